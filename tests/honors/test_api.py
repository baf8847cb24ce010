"""The honors API: the same services behind JSON, bad input as clear 4xx, nothing changed."""

import datetime as dt

import pytest
from django.utils import timezone

from chuangkou.honors.models import Campaign, Commendation, Vote
from chuangkou.honors.services.voting import vote_token

from .conftest import served

pytestmark = pytest.mark.django_db


def test_public_vote_by_token_and_live_counts(voting, api_client_as):
    public = api_client_as(None)
    ticket = served(voting)
    token = vote_token(ticket)
    state = public.get(f"/honors/vote/{token}")
    assert state.status_code == 200 and state.json()["ticket_number"] == ticket.number
    stranger = {"campaign_id": voting.campaign.pk, "nomination_ids": [2**62]}
    refused = public.post(f"/honors/vote/{token}", stranger)
    assert refused.status_code == 400 and "不属于本次评选" in refused.json()["detail"]
    body = {"campaign_id": voting.campaign.pk, "nomination_ids": [voting.n["A01"].pk]}
    assert public.post(f"/honors/vote/{token}", body).status_code == 201
    again = public.post(f"/honors/vote/{token}", body)
    assert again.status_code == 400 and "只能投一次" in again.json()["detail"]
    counts = public.get(f"/honors/campaigns/{voting.campaign.pk}/counts").json()
    assert {c["nomination_id"]: c["votes"] for c in counts["window"]}[voting.n["A01"].pk] == 1
    assert Vote.objects.count() == 1


@pytest.mark.parametrize(
    "token, body, code",
    [
        ("forged", {"campaign_id": 1, "nomination_ids": [1]}, 404),
        ("x", {"campaign_id": 2**70, "nomination_ids": [1]}, 422),
        ("x", {"campaign_id": 1, "nomination_ids": []}, 422),
        ("x", "not json", 422),
    ],
)
def test_public_vote_bad_input_is_a_clear_4xx(voting, api_client_as, token, body, code):
    public = api_client_as(None)
    if token == "x":
        token = vote_token(served(voting))
    if isinstance(body, dict) and body.get("campaign_id") == 1:
        body["campaign_id"] = voting.campaign.pk
    response = (
        public.post(f"/honors/vote/{token}", raw=body)
        if isinstance(body, str)
        else (public.post(f"/honors/vote/{token}", body))
    )
    assert response.status_code == code and response.json()["detail"]
    assert not Vote.objects.exists()


def test_campaign_flow_through_the_api(hw, api_client_as):
    admin = api_client_as(hw.admin)
    today = timezone.localdate()
    created = admin.post(
        "/honors/campaigns",
        {
            "name": "API 评选",
            "period_start": str(today - dt.timedelta(days=10)),
            "period_end": str(today),
            "vote_start": str(today),
            "vote_end": str(today + dt.timedelta(days=3)),
        },
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert "综合得分" in created.json()["formula"]
    head = api_client_as(hw.head_a)
    nominated = head.post(
        f"/honors/campaigns/{pk}/nominations",
        {"kind": "staff", "staff_id": hw.a1.pk, "deeds": "服务热情周到，业务熟练，全年零差评。"},
    )
    assert nominated.status_code == 201, nominated.json()
    refused = head.post(
        f"/honors/campaigns/{pk}/nominations",
        {"kind": "staff", "staff_id": hw.b1.pk, "deeds": "服务热情周到，业务熟练，全年零差评。"},
    )
    assert refused.status_code == 403
    assert admin.post(f"/honors/campaigns/{pk}/open-voting").json()["status"] == "voting"
    vote = api_client_as(hw.clerk_b1).post(
        f"/honors/campaigns/{pk}/votes", {"nomination_ids": [nominated.json()["id"]]}
    )
    assert vote.status_code == 201
    listed = admin.get("/honors/campaigns", {"status": "voting"}).json()
    assert [c["id"] for c in listed["items"]] == [pk]
    assert Campaign.objects.get(pk=pk).nominations.get().votes == 1


def test_commendations_and_counts(org_small, api_client_as):
    admin = api_client_as(org_small.admin)
    body = {
        "type": "banner",
        "received_on": "2018-03-08",
        "sender": "张先生",
        "staff_id": org_small.a1.pk,
    }
    created = admin.post("/honors/commendations", body)
    assert created.status_code == 201 and created.json()["sender_masked"] == "张**"
    future = admin.post("/honors/commendations", {**body, "received_on": "2099-01-01"})
    assert future.status_code == 400 and "不能晚于今天" in future.json()["detail"]
    counts = admin.get("/honors/commendations/counts", {"start": "2018-01-01", "end": "2018-06-30"})
    assert counts.json()["banners"] == 1
    assert admin.get("/honors/commendations/counts", {"start": "2018-02-30"}).status_code == 422
    assert Commendation.objects.count() == 1
