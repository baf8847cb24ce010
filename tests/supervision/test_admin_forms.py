"""The center admin's forms: draw a visit plan, open sitting-in slots, move a problem."""

import pytest

from chuangkou.core.models import AuditEntry
from chuangkou.supervision import services
from chuangkou.supervision.models import Problem, SittingSlot, VisitAssignment, VisitPlan

pytestmark = pytest.mark.django_db

PLAN = {
    "name": "三月暗访",
    "period_start": "2026-03-02",
    "period_end": "2026-03-31",
    "visits_per_center": "2",
    "seed": "42",
}


def test_the_admin_draws_a_plan_from_the_form(sv, client_as):
    client = client_as(sv.admin)
    assert "制定暗访计划" in client.get("/supervision/visits/").content.decode()
    assert client.get("/supervision/plans/new/").status_code == 200
    response = client.post("/supervision/plans/new/", {**PLAN, "centers": [sv.main.pk]})
    assert response.status_code == 302
    plan = VisitPlan.objects.get(name="三月暗访")
    assert (plan.seed, plan.assignments.count()) == (42, 2)
    assert AuditEntry.objects.filter(action="supervision.plan.draw").count() == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"period_end": "2026-02-01"}, "结束日期不能早于开始日期"),
        ({"period_end": "2101-01-01"}, "2000"),
        ({"visits_per_center": "0"}, "1"),
        ({"visits_per_center": "15", "period_end": "2026-03-06"}, "不足以安排"),
        ({"name": ""}, "必填"),
    ],
)
def test_bad_plans_are_explained_on_the_form(sv, client_as, extra, message):
    response = client_as(sv.admin).post("/supervision/plans/new/", {**PLAN, **extra})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert VisitPlan.objects.count() == 1 and VisitAssignment.objects.count() == 1


def test_only_the_admin_plans_or_opens_slots(sv, client_as):
    for user in (sv.head_a, sv.sup1.user):
        assert client_as(user).get("/supervision/plans/new/").status_code == 403
        assert client_as(user).post("/supervision/sittings/slots/new/").status_code == 403


def test_the_admin_opens_slots_on_working_days(sv, client_as):
    client = client_as(sv.admin)
    assert "开放坐班时段" in client.get("/supervision/sittings/").content.decode()
    data = {
        "windows": [sv.w_a01.pk, sv.w_b01.pk],
        "start": "2026-03-02",
        "end": "2026-03-08",
        "halves": ["am"],
        "capacity": "2",
    }
    assert client.post("/supervision/sittings/slots/new/", data).status_code == 302
    assert SittingSlot.objects.count() == 10  # 5 working days × 2 windows × am
    again = client.post("/supervision/sittings/slots/new/", {**data, "halves": ["am", "pm"]})
    assert again.status_code == 302 and SittingSlot.objects.count() == 20
    bad = client.post("/supervision/sittings/slots/new/", {**data, "end": "2026-12-31"})
    assert bad.status_code == 400 and "92 天" in bad.content.decode()
    assert (
        client.post("/supervision/sittings/slots/new/", {**data, "windows": []}).status_code == 400
    )


def _problem(sv) -> Problem:
    return services.report_problem(
        actor=sv.admin, title="材料重复提交", kind="hard", owner=sv.dept_a
    )


def test_a_problem_is_solved_by_consultation_closed_and_reopened(sv, client_as):
    problem = _problem(sv)
    url = f"/supervision/problems/{problem.pk}/"
    head, admin = client_as(sv.head_a), client_as(sv.admin)
    page = head.get(url).content.decode()
    assert 'data-testid="action-consult"' in page and 'data-testid="action-close"' not in page
    missing = head.post(url, {"action": "consult", "consult-resolution": "已解决"})
    assert missing.status_code == 400 and "会商记录" in missing.content.decode()
    done = head.post(
        url,
        {
            "action": "consult",
            "consult-meeting_record": "市场监管、人力社保会商，统一材料清单",
            "consult-resolution": "材料清单已统一",
        },
    )
    assert done.status_code == 302
    assert head.post(url, {"action": "close"}).status_code == 403
    assert admin.post(url, {"action": "close", "close-note": "验收"}).status_code == 302
    reopened = admin.post(url, {"action": "reopen", "reopen-reason": "群众再次反映"})
    assert reopened.status_code == 302
    problem.refresh_from_db()
    assert (problem.state, problem.meeting_record) == (
        "found",
        "市场监管、人力社保会商，统一材料清单",
    )
    history = admin.get(url).content.decode()
    for label in ("会商解决", "关闭", "重新打开"):
        assert label in history


def test_a_problem_is_coordinated_then_resolved_and_bad_moves_are_explained(sv, client_as):
    problem = _problem(sv)
    url = f"/supervision/problems/{problem.pk}/"
    head = client_as(sv.head_a)
    future = head.post(
        url, {"action": "coordinate", "coordinate-note": "x", "coordinate-on": "2999-01-01"}
    )
    assert future.status_code == 400
    wrong = head.post(url, {"action": "resolve", "resolve-resolution": "x"})
    assert wrong.status_code == 400 and "不能登记解决" in wrong.content.decode()
    assert (
        head.post(url, {"action": "coordinate", "coordinate-note": "会同民政"}).status_code == 302
    )
    assert head.post(url, {"action": "resolve", "resolve-resolution": "已办结"}).status_code == 302
    assert Problem.objects.get().state == "resolved"
    assert head.post(url, {"action": "nonsense"}).status_code == 302
    assert client_as(sv.clerk_a1).get(url).status_code == 403


def test_a_head_reports_a_problem_by_hand(sv, client_as):
    client = client_as(sv.head_a)
    assert "登记问题" in client.get("/supervision/problems/").content.decode()
    data = {
        "title": "办事指南与窗口要求不一致",
        "kind": "block",
        "owner": sv.dept_a.pk,
        "coordinating": [sv.dept_b.pk],
        "center": sv.main.pk,
    }
    response = client.post("/supervision/problems/new/", data)
    problem = Problem.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{problem.pk}/")
    assert (problem.source, list(problem.coordinating.all())) == ("manual", [sv.dept_b])
    future = client.post("/supervision/problems/new/", {**data, "found_on": "2099-01-01"})
    assert future.status_code == 400 and "不能晚于今天" in future.content.decode()
    assert client.post("/supervision/problems/new/", {**data, "owner": "x"}).status_code == 400
    assert Problem.objects.count() == 1
    assert client_as(sv.sup1.user).get("/supervision/problems/new/").status_code == 403
