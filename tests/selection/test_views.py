"""The 竞聘上岗 pages: who gets in, the forms and their errors, imports and exports, 公示."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from chuangkou.core.models import AuditEntry
from chuangkou.core.roles import Role
from chuangkou.org.models import Staff
from chuangkou.selection import services
from chuangkou.selection.models import Candidate, Competition, InterviewScore, Objection, Tier
from tests.factories import StaffFactory

from .conftest import candidate, score_all, temporary_staff
from .factories import make_exam

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def url(name: str, *args) -> str:
    return reverse(f"selection:{name}", args=args)


# --- who gets in -----------------------------------------------------------------------------

ADMIN_PAGES = [
    ("competition_list", ()),
    ("competition_create", ()),
    ("competition_detail", ("c",)),
    ("competition_edit", ("c",)),
    ("tiers_edit", ("c",)),
    ("judges_edit", ("c",)),
    ("competition_reopen", ("c",)),
    ("candidates", ("c",)),
    ("candidate_withdraw", ("c", "cand")),
    ("written_import", ("c",)),
    ("written_template", ("c",)),
    ("ranking", ("c",)),
    ("publish", ("c",)),
    ("objections", ("c",)),
    ("objection_handle", ("c", "o")),
]
ADMIN_POSTS = [
    ("competition_step", ("c", "rank")),
    ("candidate_register", ("c",)),
    ("written_score", ("c", "cand")),
    ("written_from_exam", ("c",)),
    ("tie_resolve", ("c",)),
]
JUDGE_PAGES = [("judge_home", ()), ("judge_sheet", ("c",))]


@pytest.fixture
def ids(scoring, role_user):
    objection = Objection.objects.create(
        competition=scoring.competition, submitted_by=role_user(Role.CLERK), text="对结果有异议"
    )
    return {"c": scoring.competition.pk, "cand": scoring.candidates[0].pk, "o": objection.pk}


def resolve(name, args, ids):
    return url(name, *[ids.get(a, a) for a in args])


def test_anonymous_visitors_are_sent_to_the_login(client, ids):
    for name, args in ADMIN_PAGES + JUDGE_PAGES:
        response = client.get(resolve(name, args, ids))
        assert response.status_code == 302 and "/login/" in response["Location"], name
    for name, args in ADMIN_POSTS + [("judge_score", ("c", "cand"))]:
        response = client.post(resolve(name, args, ids))
        assert response.status_code == 302 and "/login/" in response["Location"], name


@pytest.mark.parametrize("role", [Role.CLERK, Role.GRADER, Role.AUDITOR, Role.DEPT_HEAD])
def test_admin_pages_refuse_other_roles(client_as, role_user, ids, role):
    client = client_as(role_user(role))
    for name, args in ADMIN_PAGES:
        assert client.get(resolve(name, args, ids)).status_code == 403, name
    for name, args in ADMIN_POSTS:
        assert client.post(resolve(name, args, ids)).status_code == 403, name


def test_the_admin_opens_every_admin_page(client_as, ids, scoring):
    client = client_as(scoring.admin)
    for name, args in ADMIN_PAGES:
        assert client.get(resolve(name, args, ids)).status_code == 200, name


def test_judge_pages_need_the_grader_role_and_a_seat(client_as, role_user, ids, scoring):
    for role in (Role.CENTER_ADMIN, Role.CLERK):
        client = client_as(role_user(role))
        for name, args in JUDGE_PAGES:
            assert client.get(resolve(name, args, ids)).status_code == 403
    off_panel = client_as(role_user(Role.GRADER))
    assert off_panel.get(url("judge_home")).status_code == 200
    assert off_panel.get(url("judge_sheet", ids["c"])).status_code == 404
    response = off_panel.post(url("judge_score", ids["c"], ids["cand"]), {"score": 80})
    assert response.status_code == 404
    judge = client_as(scoring.graders[0])
    assert judge.get(url("judge_sheet", ids["c"])).status_code == 200


def test_unknown_ids_are_404(client_as, scoring):
    client = client_as(scoring.admin)
    cid = scoring.competition.pk
    assert client.get(url("competition_detail", 999999)).status_code == 404
    assert client.get(url("candidate_withdraw", cid, 999999)).status_code == 404
    assert client.get(url("objection_handle", cid, 999999)).status_code == 404
    assert client.post(url("competition_step", cid, "explode")).status_code == 404
    assert client.get(url("notice_detail", 999999)).status_code == 404


def test_status_steps_only_accept_posts(client_as, scoring):
    client = client_as(scoring.admin)
    response = client.get(url("competition_step", scoring.competition.pk, "rank"))
    assert response.status_code == 405


def test_read_only_pages_refuse_other_methods(client_as, client, ids, scoring):
    admin = client_as(scoring.admin)
    for name, args in [
        ("competition_list", ()),
        ("competition_detail", ("c",)),
        ("candidates", ("c",)),
        ("ranking", ("c",)),
        ("objections", ("c",)),
        ("written_template", ("c",)),
    ]:
        assert admin.post(resolve(name, args, ids)).status_code == 405, name
    judge = client_as(scoring.graders[0])
    assert judge.post(url("judge_home")).status_code == 405
    assert judge.post(url("judge_sheet", ids["c"])).status_code == 405
    assert client.post(url("notice_list")).status_code == 405


def test_bad_query_parameters_never_fail(client_as, scoring):
    client = client_as(scoring.admin)
    cid = scoring.competition.pk
    bad = {"page": "zz", "year": "abc", "status": "x" * 40, "department": "-3", "outcome": "?"}
    for page in (
        url("competition_list"),
        url("candidates", cid),
        url("ranking", cid),
        url("objections", cid),
    ):
        assert client.get(page, bad).status_code == 200, page
    judge = client_as(scoring.graders[0])
    assert judge.get(url("judge_sheet", cid), {"page": "-1", "q": "x" * 80}).status_code == 200


# --- setting up ------------------------------------------------------------------------------

FORM = {
    "name": "2019 年竞聘上岗",
    "year": "2019",
    "budget": "500000",
    "written_weight": "50",
    "interview_weight": "50",
    "pass_line": "60",
    "allowed_employment_types": ["temporary"],
    "min_service_years": "1",
    "service_reference_date": "2019-04-30",
    "notice_days": "5",
}


def test_creating_a_competition_shows_errors_on_the_fields(client_as, admin):
    client = client_as(admin)
    response = client.post(url("competition_create"), {**FORM, "written_weight": "60"})
    assert response.status_code == 200
    assert "笔试权重与面试权重之和须为 100%" in str(
        response.context["form"].errors["interview_weight"]
    )
    response = client.post(
        url("competition_create"), {**FORM, "budget": "abc", "allowed_employment_types": []}
    )
    assert {"budget", "allowed_employment_types"} <= set(response.context["form"].errors)
    response = client.post(url("competition_create"), FORM)
    competition = Competition.objects.get()
    assert response["Location"] == url("competition_detail", competition.pk)


def test_tiers_are_set_in_a_table(client_as, admin):
    client = client_as(admin)
    client.post(url("competition_create"), FORM)
    competition = Competition.objects.get()
    page = client.get(url("tiers_edit", competition.pk))
    assert page.context["formset"].initial[0]["annual_amount"] == 24000  # 一档 2.4 万 suggested
    data = {"tier-TOTAL_FORMS": "3", "tier-INITIAL_FORMS": "0"}
    rows = [("一档", "8", "24000"), ("二档", "15", "12000"), ("三档", "", "6000")]
    for i, (name, quota, amount) in enumerate(rows):
        data.update(
            {f"tier-{i}-name": name, f"tier-{i}-quota": quota, f"tier-{i}-annual_amount": amount}
        )
    response = client.post(url("tiers_edit", competition.pk), data)
    assert response.status_code == 200 and "请完整填写" in response.content.decode()
    data["tier-2-quota"] = "20"
    data["tier-1-annual_amount"] = "30000"
    response = client.post(url("tiers_edit", competition.pk), data)
    assert "从高到低" in response.content.decode()
    data["tier-1-annual_amount"] = "12000"
    response = client.post(url("tiers_edit", competition.pk), data)
    assert response.status_code == 302
    assert list(Tier.objects.values_list("quota", flat=True)) == [8, 15, 20]


def test_judges_are_chosen_among_graders(client_as, admin, graders, role_user):
    client = client_as(admin)
    client.post(url("competition_create"), FORM)
    competition = Competition.objects.get()
    clerk = role_user(Role.CLERK)
    page = client.get(url("judges_edit", competition.pk))
    choices = {u.pk for u in page.context["form"].fields["judges"].queryset}
    assert choices == {g.pk for g in graders}
    response = client.post(url("judges_edit", competition.pk), {"judges": [clerk.pk]})
    assert response.status_code == 200 and response.context["form"].errors["judges"]
    client.post(url("judges_edit", competition.pk), {"judges": [g.pk for g in graders]})
    assert competition.judges.count() == 5


def test_a_refused_step_shows_the_reason(client_as, admin):
    client = client_as(admin)
    client.post(url("competition_create"), FORM)
    competition = Competition.objects.get()
    client.post(url("competition_step", competition.pk, "open-registration"))
    response = client.post(url("competition_step", competition.pk, "start-scoring"), follow=True)
    assert "请先设置档次与名额" in response.content.decode()
    assert Competition.objects.get().status == Competition.Status.REGISTRATION


def test_the_detail_page_asks_before_each_step(client_as, registering):
    body = client_as(registering.admin).get(url("competition_detail", registering.competition.pk))
    html = body.content.decode()
    assert "截止报名、开始评分" in html and 'data-confirm="截止报名后' in html
    assert "onsubmit=" not in html


# --- registration and written scores ---------------------------------------------------------


def test_registration_by_staff_number_shows_refusals_on_the_field(client_as, registering):
    client = client_as(registering.admin)
    cid = registering.competition.pk
    response = client.post(url("candidate_register", cid), {"staff_no": "NOPE"})
    assert "没有工号为 NOPE 的人员" in response.content.decode()
    regular = StaffFactory(name="在编丁", employment_type=Staff.EmploymentType.REGULAR)
    response = client.post(url("candidate_register", cid), {"staff_no": regular.staff_no})
    assert "本次竞聘仅限临编人员报名" in str(response.context["register_form"].errors["staff_no"])
    staff = temporary_staff(1)[0]
    response = client.post(url("candidate_register", cid), {"staff_no": staff.staff_no})
    assert response.status_code == 302
    assert Candidate.objects.get().staff == staff


def test_the_candidates_page_shows_eligibility_and_progress_not_scores(client_as, scoring):
    services.enter_interview_score(
        actor=scoring.graders[0], candidate=scoring.candidates[0], score="77.7"
    )
    html = client_as(scoring.admin).get(url("candidates", scoring.competition.pk)).content.decode()
    assert "2 年" in html and "1/5" in html
    assert "77.7" not in html  # 盲评: one judge's score is not shown
    assert scoring.staff[0].phone not in html


def test_a_written_score_row_is_saved_or_shows_its_error(client_as, scoring):
    client = client_as(scoring.admin)
    c = scoring.candidates[0]
    response = client.post(
        url("written_score", scoring.competition.pk, c.pk), {"score": "101"}, headers=HX
    )
    html = response.content.decode()
    assert response.status_code == 200 and "is-invalid" in html and "0 到 100" in html
    response = client.post(
        url("written_score", scoring.competition.pk, c.pk), {"score": "88.5"}, headers=HX
    )
    assert "is-valid" in response.content.decode()
    assert candidate(c).written_score == 88.5
    response = client.post(url("written_score", scoring.competition.pk, c.pk), {"score": "x"})
    assert response.status_code == 302  # without htmx: back to the page with a message


def sheet(rows, header=("工号", "姓名", "笔试成绩")) -> bytes:
    wb = Workbook()
    wb.active.append(list(header))
    for row in rows:
        wb.active.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, cid, content: bytes, name="scores.xlsx"):
    f = io.BytesIO(content)
    f.name = name
    return client.post(url("written_import", cid), {"file": f})


def test_xlsx_import_reports_every_bad_row_and_writes_nothing(client_as, scoring):
    client = client_as(scoring.admin)
    s1, s2, s3, _ = scoring.staff
    content = sheet(
        [
            (s1.staff_no, s1.name, 101),
            (s2.staff_no, "张冠李戴", 80),
            ("CK99999", "无此人", 70),
            (s3.staff_no, s3.name, "八十"),
            (s3.staff_no, s3.name, 80),
        ]
    )
    response = upload(client, scoring.competition.pk, content)
    errors = {(e.row, e.column) for e in response.context["report"].errors}
    assert errors == {(2, "笔试成绩"), (3, "姓名"), (4, "工号"), (5, "笔试成绩"), (6, "工号")}
    assert "整个文件都不会导入" in response.content.decode()
    assert not Candidate.objects.exclude(written_score=None).exists()
    assert not AuditEntry.objects.filter(action="selection.written_score").exists()


def test_xlsx_import_of_a_good_sheet(client_as, scoring):
    client = client_as(scoring.admin)
    template = client.get(url("written_template", scoring.competition.pk))
    rows = list(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("工号", "姓名", "笔试成绩") and len(rows) == 5
    filled = [(no, name, 60 + i) for i, (no, name, _) in enumerate(rows[1:])]
    response = upload(client, scoring.competition.pk, sheet(filled))
    assert response.status_code == 302
    assert sorted(Candidate.objects.values_list("written_score", flat=True)) == [60, 61, 62, 63]
    assert AuditEntry.objects.filter(action="selection.written_score").count() == 4


def test_xlsx_import_refuses_other_files(client_as, scoring):
    client = client_as(scoring.admin)
    response = upload(client, scoring.competition.pk, b"not a workbook", name="scores.txt")
    assert "xlsx" in str(response.context["form"].errors["file"])
    response = upload(client, scoring.competition.pk, b"not a workbook")
    assert "无法读取文件" in response.content.decode()
    response = upload(client, scoring.competition.pk, sheet([], header=("工号", "分数")))
    assert "表头缺少列" in response.content.decode()


def test_importing_from_the_exam_explains_what_is_missing(client_as, scoring):
    response = client_as(scoring.admin).post(
        url("written_from_exam", scoring.competition.pk), follow=True
    )
    assert "没有关联笔试考试" in response.content.decode()


def test_the_linked_exam_is_chosen_in_the_form_and_imported(client_as, admin, scoring):
    exam = make_exam({s: 96 for s in scoring.staff})  # 96 of 120 points = 80
    client = client_as(admin)
    page = client.get(url("competition_create"))
    assert (exam.pk, "2018年业务通办竞岗笔试（成绩已发布）") in page.context["form"].fields[
        "exam_id"
    ].choices
    client.post(url("competition_create"), {**FORM, "exam_id": str(exam.pk)})
    assert Competition.objects.get(name=FORM["name"]).exam == exam
    response = client.post(url("competition_create"), {**FORM, "exam_id": "999999"})
    assert response.context["form"].errors["exam_id"]

    Competition.objects.filter(pk=scoring.competition.pk).update(exam=exam)
    response = client.post(url("written_from_exam", scoring.competition.pk), follow=True)
    assert "已从考试导入笔试成绩：4 人有变化" in response.content.decode()
    assert set(Candidate.objects.values_list("written_score", flat=True)) == {80}


def test_candidate_export(client_as, scoring):
    response = client_as(scoring.admin).get(
        url("candidates", scoring.competition.pk), {"export": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("工号", "姓名", "部门") and len(rows) == 5
    assert rows[1][8] == "0/5"


def test_withdrawing_a_candidate_needs_a_reason(client_as, scoring):
    client = client_as(scoring.admin)
    page = url("candidate_withdraw", scoring.competition.pk, scoring.candidates[0].pk)
    assert 'data-confirm="' in client.get(page).content.decode()
    response = client.post(page, {"reason": ""})
    assert response.context["form"].errors["reason"]
    assert client.post(page, {"reason": "面试缺考"}).status_code == 302
    assert candidate(scoring.candidates[0]).status == Candidate.Status.WITHDRAWN


# --- judging ---------------------------------------------------------------------------------


def test_the_judge_sheet_shows_only_the_judges_own_scores(client_as, scoring):
    first, second = scoring.graders[:2]
    c = scoring.candidates[0]
    services.enter_interview_score(actor=second, candidate=c, score="93.25")
    html = client_as(first).get(url("judge_sheet", scoring.competition.pk)).content.decode()
    assert "93.25" not in html and "0/4" in html
    html = client_as(second).get(url("judge_sheet", scoring.competition.pk)).content.decode()
    assert "93.25" in html and "1/4" in html


def test_a_judge_scores_a_row(client_as, scoring):
    judge = client_as(scoring.graders[0])
    c = scoring.candidates[0]
    target = url("judge_score", scoring.competition.pk, c.pk)
    response = judge.post(target, {"score": "-3"}, headers=HX)
    assert "is-invalid" in response.content.decode() and not InterviewScore.objects.exists()
    response = judge.post(target, {"score": "86.5"}, headers=HX)
    assert 'value="86.50"' in response.content.decode()
    assert InterviewScore.objects.get().score == 86.5
    response = judge.post(target, {"score": "87"})
    assert response.status_code == 302


def test_judges_cannot_score_once_scoring_is_over(client_as, ranked):
    judge = client_as(ranked.graders[0])
    html = judge.get(url("judge_sheet", ranked.competition.pk)).content.decode()
    assert "评分已结束" in html and "hx-post" not in html
    response = judge.post(
        url("judge_score", ranked.competition.pk, ranked.candidates[0].pk),
        {"score": "1"},
        headers=HX,
    )
    assert "录入面试评分" in response.content.decode()
    assert not InterviewScore.objects.filter(score=1).exists()


# --- ranking, ties, publication and objections -----------------------------------------------


def test_the_ranking_page_shows_tiers_and_the_budget(client_as, ranked):
    response = client_as(ranked.admin).get(url("ranking", ranked.competition.pk))
    html = response.content.decode()
    assert "一档" in html and "48,000" in html and "60,000" in html
    assert [c.rank for c in response.context["page"]] == [1, 2, 3, 4]
    only_placed = client_as(ranked.admin).get(
        url("ranking", ranked.competition.pk), {"outcome": "placed"}
    )
    assert len(only_placed.context["page"]) == 3


def test_ranking_export_has_each_judges_score(client_as, ranked):
    response = client_as(ranked.admin).get(
        url("ranking", ranked.competition.pk), {"export": "xlsx"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][5:10] == ("评委1", "评委2", "评委3", "评委4", "评委5")
    assert rows[1][0] == 1 and rows[1][-2:] == ("一档", 24000)


def test_exports_follow_the_filters(client_as, published, role_user):
    client = client_as(published.admin)
    cid = published.competition.pk
    response = client.get(url("ranking", cid), {"outcome": "placed", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    services.submit_objection(
        actor=role_user(Role.CLERK), competition=published.competition, text="对整体结果有异议"
    )
    response = client.get(url("objections", cid), {"status": "pending", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][2:5] == ("整体结果", "对整体结果有异议", "待处理")
    response = client.get(url("objections", cid), {"status": "rejected", "export": "xlsx"})
    assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 1


def test_the_admin_settles_a_tie_on_the_ranking_page(client_as, scoring):
    score_all(scoring, written=[90, 85, 85, 85], interview=[[90] * 5, [85] * 5, [85] * 5, [85] * 5])
    services.compute_ranking(actor=scoring.admin, competition=scoring.competition)
    client = client_as(scoring.admin)
    html = client.get(url("ranking", scoring.competition.pk)).content.decode()
    assert "跨档待定" in html
    a, b, c = scoring.candidates[1:]
    data = {f"order_{a.pk}": "3", f"order_{b.pk}": "1", f"order_{c.pk}": "2", "reason": "抽签"}
    response = client.post(
        url("tie_resolve", scoring.competition.pk), {**data, f"order_{a.pk}": "x"}, follow=True
    )
    assert "整数" in response.content.decode()
    client.post(url("tie_resolve", scoring.competition.pk), data)
    assert candidate(a).outcome == "unplaced" and candidate(b).tier.name == "二档"


def test_publishing_from_the_page_and_the_public_notice(
    client, client_as, ranked, role_user, monkeypatch
):
    admin = client_as(ranked.admin)
    page = admin.get(url("publish", ranked.competition.pk)).content.decode()
    assert 'data-confirm="' in page
    response = admin.post(url("publish", ranked.competition.pk), {"notice_start": "2018-05-23"})
    assert "不能早于今天" in str(response.context["form"].errors["notice_start"])
    response = admin.post(url("publish", ranked.competition.pk), {"notice_start": "bad"})
    assert response.context["form"].errors["notice_start"]
    from django.utils import timezone

    from chuangkou.selection.services import next_working_day

    today = timezone.localdate()
    first_day = next_working_day(today)
    assert (
        admin.post(
            url("publish", ranked.competition.pk), {"notice_start": first_day.isoformat()}
        ).status_code
        == 302
    )
    if first_day > today:  # a weekend or holiday: the notice, and objections, start later
        early = client.get(url("notice_detail", ranked.competition.pk)).content.decode()
        assert ranked.staff[0].name in early and "登录后实名提出异议" not in early
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: first_day)

    public = client.get(url("notice_detail", ranked.competition.pk))
    html = public.content.decode()
    assert public.status_code == 200
    for s in ranked.staff[:3]:
        assert s.name in html
        assert s.staff_no not in html and s.phone not in html and s.id_number not in html
    assert ranked.staff[3].name not in html  # below the pass line: not on the notice
    assert "登录后实名提出异议" in html and "objection-form" not in html
    assert client.get(url("notice_list")).status_code == 200

    clerk = client_as(role_user(Role.CLERK))
    html = clerk.get(url("notice_detail", ranked.competition.pk)).content.decode()
    assert "csrfmiddlewaretoken" in html and "objection-form" in html
    response = clerk.post(url("objection_submit", ranked.competition.pk), {"text": "短"})
    assert "至少 5 个字" in response.content.decode()
    response = clerk.post(
        url("objection_submit", ranked.competition.pk),
        {"text": "对二档人员的笔试成绩有疑问", "candidate": ranked.candidates[1].pk},
    )
    assert response.status_code == 302
    assert Objection.objects.get().candidate_id == ranked.candidates[1].pk


def test_objections_need_a_login_and_csrf(client, ranked):
    services.publish_results(actor=ranked.admin, competition=ranked.competition)
    response = client.post(url("objection_submit", ranked.competition.pk), {"text": "匿名的异议"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(url("objection_submit", ranked.competition.pk)).status_code in (302, 405)
    assert not Objection.objects.exists()


def test_unpublished_results_are_not_public(client, ranked):
    assert client.get(url("notice_detail", ranked.competition.pk)).status_code == 404


def test_handling_an_objection_on_its_page(client_as, published, role_user):
    objection = services.submit_objection(
        actor=role_user(Role.CLERK), competition=published.competition, text="对整体结果有异议"
    )
    client = client_as(published.admin)
    html = client.get(url("objections", published.competition.pk)).content.decode()
    assert "对整体结果有异议" in html and "待处理" in html
    page = url("objection_handle", published.competition.pk, objection.pk)
    assert client.post(page, {"decision": "rejected", "reply": ""}).context["form"].errors["reply"]
    assert client.post(page, {"decision": "rejected", "reply": "经核查不成立"}).status_code == 302
    response = client.post(page, {"decision": "upheld", "reply": "再处理"})
    assert "该异议已处理" in response.content.decode()


def test_finalising_too_early_shows_the_date(client_as, published):
    response = client_as(published.admin).post(
        url("competition_step", published.competition.pk, "finalise"), follow=True
    )
    assert "期满后才能确认定岗" in response.content.decode()


def test_reopening_from_the_page(client_as, published):
    client = client_as(published.admin)
    page = url("competition_reopen", published.competition.pk)
    assert client.post(page, {"reason": ""}).context["form"].errors["reason"]
    assert client.post(page, {"reason": "异议成立"}).status_code == 302
    assert Competition.objects.get().status == Competition.Status.SCORING


def test_sidebar_entries_follow_the_roles(client_as, role_user):
    admin_html = client_as(role_user(Role.CENTER_ADMIN)).get("/").content.decode()
    grader_html = client_as(role_user(Role.GRADER)).get("/").content.decode()

    def link(name):
        return f'href="{url(name)}"'

    assert link("competition_list") in admin_html and link("judge_home") not in admin_html
    assert link("judge_home") in grader_html and link("competition_list") not in grader_html
    assert link("notice_list") in grader_html
