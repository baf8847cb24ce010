"""The feedback pages: they render, their forms show errors on the fields, exports open in
Excel, and bad input gives a page with a message, never a 500."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from chuangkou.feedback import services
from chuangkou.feedback.models import Evaluation, Rectification
from chuangkou.feedback.pad import pad_token

from .factories import CaseFactory

pytestmark = pytest.mark.django_db


def pad_path(fb, token=None):
    token = token if token is not None else pad_token(window=fb.w_a01, staff=fb.a1)
    return f"/feedback/pad/{fb.w_a01.pk}/?s={token}"


def test_clerk_opens_the_pad_of_their_window(fb, client_as):
    client = client_as(fb.clerk_a1)
    page = client.get("/feedback/pad/")
    assert page.status_code == 200 and "甲一" in page.content.decode()
    response = client.post("/feedback/pad/", {"window": fb.w_a01.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/feedback/pad/{fb.w_a01.pk}/?s=")
    # a window of another department is not offered
    refused = client.post("/feedback/pad/", {"window": fb.w_b01.pk})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()


def test_a_clerk_without_staff_record_is_sent_home(fb, client_as, role_user):
    from chuangkou.core.roles import Role

    response = client_as(role_user(Role.CLERK)).get("/feedback/pad/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_pad_shows_the_clerk_and_rates(fb):
    client = Client()
    html = client.get(pad_path(fb)).content.decode()
    assert "甲一" in html and "A01" in html and fb.ticket_a.number in html
    assert "非常满意" in html and "非常不满意" in html
    assert "13812345678" not in html  # the citizen's phone is never on the pad
    response = client.post(pad_path(fb), {"level": "1", "comment": "太慢"})
    assert response.status_code == 200
    assert "感谢您的评价" in response.content.decode()
    assert 'http-equiv="refresh"' in response.content.decode()
    evaluation = Evaluation.objects.get()
    assert (evaluation.level, evaluation.channel) == (1, "pad")
    assert hasattr(evaluation, "rectification")
    idle = client.get(
        f"/feedback/pad/{fb.w_a01.pk}/current/?s={pad_token(window=fb.w_a01, staff=fb.a1)}"
    )
    assert 'data-testid="pad-idle"' in idle.content.decode()
    assert "every 4s" in idle.content.decode()


@pytest.mark.parametrize("level", ["0", "6", "x", ""])
def test_the_pad_refuses_bad_levels(fb, level):
    response = Client().post(pad_path(fb), {"level": level})
    assert response.status_code == 400
    assert "请选择一个评价等级" in response.content.decode()
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("token", ["", "abc", "eyJ3IjoxfQ:1tq:forged"])
def test_a_forged_pad_link_is_403(fb, token):
    assert Client().get(pad_path(fb, token)).status_code == 403
    assert Client().post(pad_path(fb, token), {"level": "5"}).status_code == 403
    assert Client().get(f"/feedback/pad/{fb.w_a01.pk}/current/?s={token}").status_code == 403


def test_the_pad_enforces_csrf(fb):
    client = Client(enforce_csrf_checks=True)
    assert client.post(pad_path(fb), {"level": "5"}).status_code == 403
    page = client.get(pad_path(fb))
    token = page.cookies["csrftoken"].value
    response = client.post(pad_path(fb), {"level": "5", "csrfmiddlewaretoken": token})
    assert response.status_code == 200


def test_the_phone_page_rates_and_follows_up(fb):
    client = Client()
    url = f"/feedback/t/{fb.ticket_a.public_token}/"
    html = client.get(url).content.decode()
    assert fb.ticket_a.number in html and "A01" in html
    assert "13812345678" not in html and "甲一" not in html  # no personal data
    assert client.post(url, {"level": "9"}).status_code == 400
    assert client.post(url, {"level": "2", "comment": "慢"}).status_code == 302
    html = client.get(url).content.decode()
    assert "追评" in html and "感谢您的评价" in html
    assert client.post(url, {"level": "4", "follow_up": "1"}).status_code == 302
    assert 'data-testid="rated"' in client.get(url).content.decode()
    assert Evaluation.objects.filter(follow_up_of__isnull=False).count() == 1


def test_the_phone_page_of_an_unknown_or_waiting_ticket(fb):
    assert Client().get("/feedback/t/00000000-0000-0000-0000-000000000000/").status_code == 404
    html = Client().get(f"/feedback/t/{fb.waiting.public_token}/").content.decode()
    assert 'data-testid="not-finished"' in html


def test_hotline_entry_by_case_number(fb, client_as):
    client = client_as(fb.lobby)
    assert client.get("/feedback/entry/").status_code == 200
    response = client.post(
        "/feedback/entry/",
        {"channel": "hotline", "case_number": fb.case_a.number, "level": "2", "contact_phone": ""},
    )
    assert response.status_code == 302
    assert Rectification.objects.count() == 1


def test_hotline_entry_by_ticket(fb, client_as):
    client = client_as(fb.admin)
    response = client.post(
        "/feedback/entry/",
        {
            "channel": "sms",
            "center": fb.main.pk,
            "service_date": str(fb.ticket_b.service_date),
            "ticket_number": fb.ticket_b.number.lower(),
            "level": "5",
        },
    )
    assert response.status_code == 302
    assert Evaluation.objects.get().ticket == fb.ticket_b


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"channel": "sms", "case_number": "NOPE", "level": "5"}, "没有受理编号为 NOPE"),
        ({"channel": "sms", "ticket_number": "A001", "level": "5"}, "同时选择中心和取号日期"),
        ({"channel": "sms", "level": "5"}, "请填写受理编号"),
        ({"channel": "sms", "case_number": "X", "level": "0"}, "选择一个有效的选项"),
        ({"channel": "pad", "case_number": "X", "level": "5"}, "选择一个有效的选项"),
    ],
)
def test_hotline_entry_errors_show_on_the_form(fb, client_as, data, message):
    response = client_as(fb.admin).post("/feedback/entry/", data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_entry_of_an_open_case_shows_the_domain_error(fb, client_as):
    response = client_as(fb.admin).post(
        "/feedback/entry/", {"channel": "sms", "case_number": fb.open_case.number, "level": "5"}
    )
    assert "尚未办结" in response.content.decode()


@pytest.fixture
def rect(fb):
    return services.rate(actor=fb.admin, channel="sms", level=1, case=fb.case_a).rectification


def test_rectification_list_filters_and_export(fb, client_as, rect):
    client = client_as(fb.head_a)
    html = client.get("/feedback/rectifications/").content.decode()
    assert fb.case_a.number in html and "137****" in html
    assert fb.case_a.applicant_phone not in html
    empty = client.get("/feedback/rectifications/", {"state": "rectified"}).content.decode()
    assert fb.case_a.number not in empty
    export = client.get("/feedback/rectifications/", {"export": "xlsx", "q": fb.case_a.number})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "待核实" and "****" in rows[0][9]


@pytest.mark.parametrize(
    "params",
    [
        {"state": "bogus"},
        {"department": "x"},
        {"start": "2018-02-30"},
        {"page": "999"},
        {"overdue": "maybe"},
    ],
)
def test_rectification_list_bad_params(fb, client_as, rect, params):
    response = client_as(fb.admin).get("/feedback/rectifications/", params)
    assert response.status_code == 200


def test_rectification_detail_actions(fb, client_as, rect):
    client = client_as(fb.head_a)
    url = f"/feedback/rectifications/{rect.pk}/"
    html = client.get(url).content.decode()
    assert fb.case_a.applicant_phone in html  # the handler needs the number to call back
    assert 'data-confirm="确定' in html and "onsubmit=" not in html
    empty = client.post(url, {"action": "callback", "callback-note": ""})
    assert empty.status_code == 400 and "is-invalid" in empty.content.decode()
    assert client.post(url, {"action": "callback", "callback-note": "已回访"}).status_code == 302
    assert client.post(url, {"action": "rectify", "rectify-reply": "已整改"}).status_code == 302
    rect.refresh_from_db()
    assert rect.state == "rectified"
    wrong = client.post(url, {"action": "appeal", "appeal-kind": "invalid", "appeal-reason": "x"})
    assert wrong.status_code == 400 and "不能申诉" in wrong.content.decode()
    assert client.post(url, {"action": "nonsense"}).status_code == 302
    html = client.get(url).content.decode()
    assert "登记回访" in html and "整改反馈" in html  # the history


def test_department_head_cannot_decide_an_appeal(fb, client_as, rect):
    services.appeal(actor=fb.admin, rectification=rect, kind="invalid", reason="误评")
    url = f"/feedback/rectifications/{rect.pk}/"
    response = client_as(fb.head_a).post(
        url, {"action": "decide", "decide-decision": "upheld", "decide-note": "x"}
    )
    assert response.status_code == 403
    ok = client_as(fb.admin).post(
        url, {"action": "decide", "decide-decision": "upheld", "decide-note": "属实"}
    )
    assert ok.status_code == 302
    assert Evaluation.objects.get().invalidated


def test_rectification_of_another_department_is_404(fb, client_as):
    other = services.rate(actor=fb.admin, channel="sms", level=1, case=fb.case_b).rectification
    assert client_as(fb.head_a).get(f"/feedback/rectifications/{other.pk}/").status_code == 404
    assert client_as(fb.admin).get("/feedback/rectifications/999999/").status_code == 404


def test_satisfaction_page(fb, client_as):
    services.rate(actor=fb.admin, channel="sms", level=5, case=fb.case_a)
    services.rate(actor=fb.admin, channel="sms", level=2, case=fb.case_b)
    client = client_as(fb.admin)
    html = client.get("/feedback/satisfaction/").content.decode()
    assert "50.00%" in html and "有效评价数" in html and "satisfaction-data" in html
    for by in ("window", "staff", "channel", "bogus"):
        assert client.get("/feedback/satisfaction/", {"by": by}).status_code == 200
    export = client.get("/feedback/satisfaction/", {"by": "staff", "export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == ["乙一", "甲一"]
    bad = client.get("/feedback/satisfaction/", {"start": "nope", "department": "x"})
    assert bad.status_code == 200 and "筛选条件无效" in bad.content.decode()


def test_survey_pages(fb, client_as):
    for i in range(8):
        CaseFactory(number=f"SV{i}", matter=fb.matter_a if i % 2 else fb.matter_b, center=fb.main)
    client = client_as(fb.admin)
    assert client.get("/feedback/surveys/new/").status_code == 200
    today = timezone.localdate()
    data = {
        "name": "本月调查",
        "region": fb.region.pk,
        "period_start": str(today - dt.timedelta(days=10)),
        "period_end": str(today),
        "sample_size": "4",
        "seed": "42",
    }
    response = client.post("/feedback/surveys/new/", data)
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "SV" in detail.content.decode()
    survey = fb.region.survey_set.get()
    sample = survey.samples.order_by("id").first()
    url = f"/feedback/surveys/{survey.pk}/samples/{sample.pk}/"
    assert sample.case.applicant_phone in client.get(url).content.decode()
    missing = client.post(url, {"reached": "1", "visits_reported": "", "satisfied": ""})
    assert "请填写办事人自述的跑动次数" in missing.content.decode()
    saved = client.post(
        url, {"reached": "1", "visits_reported": "1", "satisfied": "1", "next": "1"}
    )
    assert saved.status_code == 302 and "/samples/" in saved["Location"]
    report = client.get(f"/feedback/surveys/{survey.pk}/report/").content.decode()
    assert "100.0%" in report and "Wilson" in report and "没有去年同期的调查" in report
    export = client.get(f"/feedback/surveys/{survey.pk}/", {"export": "xlsx"})
    assert load_workbook(io.BytesIO(export.content)).active.max_row == 5
    assert (
        client.get(f"/feedback/surveys/{survey.pk}/", {"status": "weird", "page": "x"}).status_code
        == 200
    )
    listing = client.get("/feedback/surveys/").content.decode()
    assert "本月调查" in listing


def test_survey_form_errors(fb, client_as):
    client = client_as(fb.admin)
    data = {
        "name": "x",
        "region": fb.region.pk,
        "period_start": "2018-06-01",
        "period_end": "2018-05-01",
        "sample_size": "10",
    }
    assert (
        "结束日期不能早于开始日期" in client.post("/feedback/surveys/new/", data).content.decode()
    )
    data["period_end"] = "2018-06-30"
    assert "没有办结的受理件" in client.post("/feedback/surveys/new/", data).content.decode()
    data["sample_size"] = "-3"
    assert client.post("/feedback/surveys/new/", data).status_code == 200
    assert client.get("/feedback/surveys/99999/").status_code == 404
