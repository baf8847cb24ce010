"""The cases API: list with the shared filter, detail with masking, acceptance, status actions,
figures, import progress; bad input gives 4xx with a message, never 500."""

import pytest

from chuangkou.cases import services
from chuangkou.cases.models import Case, ImportJob
from chuangkou.hall.models import Ticket

from .conftest import APPLICANT, accept_at_window, accept_online, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(hall):
    return accept_at_window(hall, at("2018-03-05", 9))


def test_list_is_paginated_filtered_and_masked(hall, case, api_client_as):
    accept_online(hall, at("2018-03-06", 9), applicant_name="杭州云端科技有限公司")
    api = api_client_as(hall.admin)
    body = api.get("/cases/").json()
    assert body["count"] == 2
    first = body["items"][1]
    assert first["number"] == case.number and first["status"] == "accepted"
    assert first["applicant_id"] == "330" + "*" * 11 + APPLICANT["applicant_id"][-4:]
    assert first["applicant_phone"] == "138****5678"
    assert first["window"]["number"] == "A01" and first["overdue"] is True
    assert api.get("/cases/", {"q": "云端"}).json()["count"] == 1
    assert api.get("/cases/", {"channel": "window"}).json()["items"][0]["id"] == case.pk
    assert api.get("/cases/", {"overdue": "false"}).json()["count"] == 0


def test_a_clerk_lists_their_own_cases_and_sees_them_in_full(hall, case, api_client_as):
    other = accept_at_window(hall, at("2018-03-05", 10), clerk=hall.clerk_b1, matter=hall.matter_b)
    api = api_client_as(hall.clerk_a1, token=True)
    body = api.get("/cases/").json()
    assert [c["id"] for c in body["items"]] == [case.pk]
    assert body["items"][0]["applicant_id"] == APPLICANT["applicant_id"]  # the handling clerk
    assert api.get(f"/cases/{other.pk}").status_code == 404
    head = api_client_as(hall.head_a).get(f"/cases/{case.pk}").json()
    assert "*" in head["applicant_id"]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "nonsense"},
        {"department": "abc"},
        {"date_from": "2018-13-01"},
        {"overdue": "maybe"},
        {"q": "x" * 51},
        {"page": "0"},
    ],
)
def test_bad_list_parameters_are_422(hall, api_client_as, params):
    response = api_client_as(hall.admin).get("/cases/", params)
    assert response.status_code == 422 and response.json()["detail"]


def test_detail_has_history_and_visits(hall, case, api_client_as):
    services.record_visit(actor=hall.clerk_a1, case=case, note="补交材料")
    body = api_client_as(hall.admin).get(f"/cases/{case.pk}").json()
    assert [e["action"] for e in body["events"]] == ["accept", "visit"]
    assert [v["note"] for v in body["visit_records"]] == ["窗口受理", "补交材料"]
    assert body["visits"] == 2
    assert api_client_as(hall.admin).get("/cases/999999").status_code == 404


def test_accept_from_a_ticket_through_the_api(hall, ticket, api_client_as):
    api = api_client_as(hall.clerk_a1)
    response = api.post("/cases/", {"ticket_id": ticket.pk, **APPLICANT})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["ticket_id"] == ticket.pk and body["matter"]["code"] == "A-001"
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.DONE
    again = api.post("/cases/", {"ticket_id": ticket.pk, **APPLICANT})
    assert again.status_code == 400 and again.json()["field"] == "matter"


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"ticket_id": 999999}, 400, "ticket_id"),
        ({"matter_id": 999999}, 400, "matter_id"),
        ({"applicant_id": "123"}, 400, "applicant_id"),
        ({"applicant_kind": "robot"}, 400, "applicant_kind"),
        ({"applicant_name": ""}, 422, None),
    ],
)
def test_bad_acceptances(hall, api_client_as, payload, status, field):
    body = {"matter_id": hall.matter_a.pk, **APPLICANT, **payload}
    response = api_client_as(hall.clerk_a1).post("/cases/", body)
    assert response.status_code == status, response.json()
    if field:
        assert response.json()["field"] == field
    assert not Case.objects.exists()


def test_malformed_json_is_refused(hall, api_client_as):
    response = api_client_as(hall.clerk_a1).post("/cases/", raw="{not json")
    assert response.status_code in (400, 422)
    assert not Case.objects.exists()


def test_online_acceptance_through_the_api(hall, api_client_as):
    api = api_client_as(hall.admin)
    body = {"matter_id": hall.matter_a.pk, "center_id": hall.main.pk, **APPLICANT}
    response = api.post("/cases/online", body)
    assert response.status_code == 201 and response.json()["visits"] == 0
    bad = api.post("/cases/online", {**body, "center_id": 424242})
    assert bad.status_code == 400 and bad.json()["field"] == "center_id"


def test_status_actions_and_wrong_states(hall, case, api_client_as):
    api = api_client_as(hall.clerk_a1)
    assert api.post(f"/cases/{case.pk}/resume", {}).status_code == 400
    supplement = api.post(f"/cases/{case.pk}/supplement", {"note": ""})
    assert supplement.status_code == 400 and supplement.json()["field"] == "note"
    assert api.post(f"/cases/{case.pk}/supplement", {"note": "缺材料"}).json()["status"] == (
        "supplement"
    )
    visit = api.post(f"/cases/{case.pk}/visits", {"note": "补交材料"})
    assert visit.status_code == 201 and visit.json()["visits"] == 2
    done = api.post(f"/cases/{case.pk}/complete", {"note": "已出证"})
    assert done.status_code == 200 and done.json()["one_trip"] is False
    refused = api.post(f"/cases/{case.pk}/reject", {"reason": "太晚了"})
    assert refused.status_code == 400 and "已办结" in refused.json()["detail"]
    assert api.post(f"/cases/{case.pk}/reject", {}).status_code == 422
    assert api.post("/cases/999999/complete", {}).status_code == 404


def test_another_clerk_cannot_act_on_the_case(hall, case, api_client_as):
    response = api_client_as(hall.clerk_b1).post(f"/cases/{case.pk}/complete", {})
    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).status == Case.Status.ACCEPTED


def test_figures_through_the_api(hall, api_client_as):
    for day in ("2018-02-12", "2018-02-13", "2018-02-22"):
        accept_at_window(hall, at(day, 9))
    accept_at_window(hall, at("2017-02-13", 9))
    api = api_client_as(hall.head_a)
    body = api.get("/cases/figures", {"start": "2018-02-12", "end": "2018-02-23"}).json()
    assert (body["accepted"], body["previous_accepted"], body["year_on_year"]) == (3, 1, 3.0)
    assert body["working_days"] == 5 and body["daily_average"] == 0.6
    assert body["windows"][0]["number"] == "A01" and body["windows"][0]["daily_average"] == 0.6
    assert body["previous_start"] == "2017-02-12"
    bad = api.get("/cases/figures", {"start": "2018-02-23", "end": "2018-02-12"})
    assert bad.status_code == 400 and bad.json()["field"] == "end"
    assert api.get("/cases/figures", {"start": "not-a-date", "end": "2018-02-12"}).status_code == (
        422
    )
    assert api.get("/cases/figures").status_code == 422


def test_import_progress(hall, api_client_as):
    job = ImportJob.objects.create(
        filename="x.csv",
        format="csv",
        status=ImportJob.Status.VALIDATING,
        total_rows=200,
        processed_rows=50,
        created_by=hall.admin,
    )
    body = api_client_as(hall.admin).get(f"/cases/imports/{job.pk}").json()
    assert (body["status"], body["percent"]) == ("validating", 25)
    assert api_client_as(hall.admin).get("/cases/imports/424242").status_code == 404
