"""Plans, visit reports, duty resolution, findings and who sees them."""

import datetime as dt
from collections import Counter

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.hall.models import TicketEvent, WindowSignIn
from chuangkou.supervision import selectors, services
from chuangkou.supervision.models import (
    Finding,
    ObservedWindow,
    SecretVisit,
    VisitPhoto,
    VisitPlan,
)
from chuangkou.supervision.services import Check
from tests.factories import UserFactory
from tests.feedback.factories import QueueFactory, TicketFactory

from .conftest import photo, stored_files, visit_time

pytestmark = pytest.mark.django_db


def file(o, **overrides):
    values = {
        "actor": o.sup1.user,
        "assignment": o.assignment,
        "visited_at": visit_time(),
        "windows": ["a01", "B01"],
        "checks": [
            Check("smile", "bad", "A01", "面无表情"),
            Check("phone", "ok", "A01"),
            Check("hands", "bad", "B01"),
            Check("lobby_water", "bad"),
        ],
        "summary": "总体良好",
        "photos": [photo()],
    }
    return services.file_visit(**{**values, **overrides})


# Planning ---------------------------------------------------------------------------------------


def test_plan_draw_respects_the_constraints_and_is_reproducible(sv):
    def draw(seed):
        plan = services.draw_plan(
            actor=sv.admin,
            name="二季度暗访",
            period_start=dt.date(2018, 4, 1),
            period_end=dt.date(2018, 6, 30),
            visits_per_center=3,
            centers=[sv.main, sv.sub],
            seed=seed,
        )
        return list(plan.assignments.order_by("date", "center_id"))

    rows = draw(7)
    per_month = Counter((a.center_id, a.date.month) for a in rows)
    assert set(per_month.values()) == {3} and len(per_month) == 6
    for a in rows:
        assert a.center_id in {c.pk for c in a.supervisor.centers.all()}
        # sup3 came from department B, stationed at the main center
        assert not (a.supervisor == sv.sup3 and a.center == sv.main)
    assert len({(a.supervisor_id, a.date) for a in rows}) == len(rows)
    for key in per_month:  # three visits of a center in a month fall on three weekdays
        weekdays = {a.date.weekday() for a in rows if (a.center_id, a.date.month) == key}
        assert len(weekdays) == 3
    VisitPlan.objects.all().delete()
    assert [(a.supervisor_id, a.center_id, a.date) for a in draw(7)] == [
        (a.supervisor_id, a.center_id, a.date) for a in rows
    ]


def test_plan_fails_clearly_when_no_supervisor_can_go(sv):
    sv.sup1.centers.set([sv.main])
    sv.sup3.centers.set([sv.main])
    with pytest.raises(DomainError, match="武林街道分中心.*没有足够的可派监督员"):
        services.draw_plan(
            actor=sv.admin,
            name="x",
            period_start=dt.date(2018, 4, 1),
            period_end=dt.date(2018, 4, 30),
            visits_per_center=1,
            centers=[sv.sub],
            seed=1,
        )
    with pytest.raises(PermissionDeniedError):
        services.draw_plan(
            actor=sv.sup1.user,
            name="x",
            period_start=dt.date(2018, 4, 1),
            period_end=dt.date(2018, 4, 30),
            visits_per_center=1,
        )


# Filing a visit ---------------------------------------------------------------------------------


def test_visit_resolves_the_clerk_on_duty_and_opens_findings(sv):
    WindowSignIn.objects.create(
        window=sv.w_a01,
        staff=sv.a2,
        user=UserFactory(),
        signed_in_at=visit_time() - dt.timedelta(hours=1),
    )
    visit = file(sv)
    duty = {o.window.number: (o.staff, o.source) for o in visit.windows.all()}
    assert duty["A01"] == (sv.a2, ObservedWindow.Source.SIGN_IN)
    # B01: nobody signed in; two staff are posted there, no ticket: not guessed
    assert duty["B01"] == (None, ObservedWindow.Source.UNKNOWN)
    findings = {(f.window.number if f.window else "大堂", f.item) for f in visit.findings.all()}
    assert findings == {("A01", "smile"), ("B01", "hands"), ("大堂", "lobby_water")}
    smile = visit.findings.get(item="smile")
    assert (smile.staff, smile.department, smile.state) == (sv.a2, sv.dept_a, "pending")
    assert visit.observations.count() == 2 * 9 + 5
    assert visit.observations.filter(result="unseen").count() == 2 * 9 + 5 - 4
    stored = VisitPhoto.objects.get(visit=visit)
    assert default_storage.exists(stored.file.name)
    assert AuditEntry.objects.filter(action="supervision.visit.file").count() == 1


def test_duty_from_the_ticket_served_at_that_moment(sv):
    queue = QueueFactory(center=sv.main)
    at = visit_time()
    ticket = TicketFactory(
        queue=queue,
        window=sv.w_b01,
        clerk=sv.b2,
        called_at=at - dt.timedelta(minutes=3),
        finished_at=at + dt.timedelta(minutes=10),
    )
    TicketEvent.objects.create(ticket=ticket, kind="called", at=ticket.called_at, window=sv.w_b01)
    visit = file(sv, visited_at=at)
    b01 = visit.windows.get(window=sv.w_b01)
    assert (b01.staff, b01.source) == (sv.b2, ObservedWindow.Source.TICKET)
    assert visit.findings.get(item="hands").staff == sv.b2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"visited_at": timezone.now() + dt.timedelta(hours=2)}, "不能晚于现在"),
        ({"visited_at": timezone.now() - dt.timedelta(days=3)}, "计划安排的日期"),
        ({"windows": ["Z99"]}, "没有窗口 Z99"),
        ({"windows": ["S01"]}, "没有窗口 S01"),  # a window of the sub-center
        ({"windows": []}, "至少填写一个"),
        ({"photos": [photo() for _ in range(7)]}, "最多上传 6 张"),
        (
            {"photos": [SimpleUploadedFile("a.jpg", b"GIF89a....", "image/jpeg")]},
            "只接受 JPEG/PNG",
        ),
        ({"checks": [Check("smile", "bad", "B01")], "windows": ["A01"]}, "不在本次观察的窗口"),
        ({"checks": [Check("nap", "bad", "A01")]}, "未知的检查项"),
    ],
)
def test_bad_visits_change_nothing(sv, overrides, message):
    with pytest.raises(DomainError, match=message):
        file(sv, **overrides)
    assert not SecretVisit.objects.exists()
    assert not Finding.objects.exists()
    assert stored_files() == []


def test_only_the_assigned_supervisor_files_and_only_once(sv):
    with pytest.raises(PermissionDeniedError):
        file(sv, actor=sv.sup2.user)
    with pytest.raises(PermissionDeniedError):
        file(sv, actor=sv.admin)
    file(sv)
    with pytest.raises(DomainError, match="已提交过"):
        file(sv)


def test_former_department_windows_are_not_visited(sv):
    sv.assignment.supervisor = sv.sup3
    sv.assignment.save()
    with pytest.raises(DomainError, match="原工作部门"):
        file(sv, actor=sv.sup3.user)


# Findings ---------------------------------------------------------------------------------------


def test_head_confirms_or_disputes_and_admin_decides(sv):
    visit = file(sv)
    smile = visit.findings.get(item="smile")
    with pytest.raises(PermissionDeniedError):  # department B's finding, head of A
        services.confirm_finding(actor=sv.head_a, finding=visit.findings.get(item="hands"))
    disputed = services.dispute_finding(
        actor=sv.head_a,
        finding=smile,
        reason="当时在接听业务电话",
        evidence=photo("证据.png", "PNG"),
    )
    assert disputed.state == "disputed" and disputed.evidence.name.endswith(".png")
    with pytest.raises(DomainError, match="不能确认"):
        services.confirm_finding(actor=sv.head_a, finding=smile)
    with pytest.raises(PermissionDeniedError):
        services.decide_dispute(actor=sv.head_a, finding=smile, upheld=True, note="x")
    decided = services.decide_dispute(actor=sv.admin, finding=smile, upheld=False)
    assert decided.state == "confirmed"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"supervision.finding.dispute", "supervision.finding.decide"} <= actions


def test_dispute_after_three_working_days_is_refused(sv):
    visit = file(sv)
    finding = visit.findings.get(item="smile")
    Finding.objects.filter(pk=finding.pk).update(
        confirm_due=timezone.localdate() - dt.timedelta(days=1)
    )
    with pytest.raises(DomainError, match="申辩期限.*已过"):
        services.dispute_finding(actor=sv.head_a, finding=finding, reason="迟到的申辩")
    finding.refresh_from_db()
    assert finding.state == "pending" and not finding.dispute_reason
    assert services.confirm_lapsed_findings() == 1
    finding.refresh_from_db()
    assert finding.state == "confirmed"


def test_confirm_due_is_three_working_days_after_filing(sv):
    from chuangkou.core.calendar import add_working_days

    visit = file(sv)
    assert visit.confirm_due == add_working_days(timezone.localdate(), 3)


def test_who_sees_which_findings_and_reports(sv):
    sv.a1.window = sv.w_a01
    WindowSignIn.objects.create(
        window=sv.w_a01, staff=sv.a1, user=sv.clerk_a1, signed_in_at=visit_time()
    )
    visit = file(sv)
    smile = visit.findings.get(item="smile")
    assert smile.staff == sv.a1
    assert not selectors.findings_visible_to(sv.clerk_a1).exists()  # not confirmed yet
    services.confirm_finding(actor=sv.head_a, finding=smile)
    assert list(selectors.findings_visible_to(sv.clerk_a1)) == [smile]
    assert list(selectors.findings_visible_to(sv.clerk_b1)) == []
    head_sees = set(selectors.findings_visible_to(sv.head_a).values_list("item", flat=True))
    assert head_sees == {"smile"}
    assert selectors.findings_visible_to(sv.admin).count() == 3
    assert list(selectors.visits_visible_to(sv.sup1.user)) == [visit]
    assert not selectors.visits_visible_to(sv.sup2.user).exists()
    assert not selectors.plans_visible_to(sv.sup1.user).exists()
    assert selectors.assignments_visible_to(sv.sup2.user).count() == 0


def test_a_confirmed_veto_finding_bars_the_person_and_window_from_honors(sv):
    """离岗/玩手机 are 一票否决 items: once confirmed they bar a nomination; a pending or
    non-veto finding does not."""
    from chuangkou.honors.eligibility import staff_problems, window_problems

    sv.a1.window = sv.w_a01
    sv.a1.save(update_fields=["window"])
    WindowSignIn.objects.create(
        window=sv.w_a01, staff=sv.a1, user=sv.clerk_a1, signed_in_at=visit_time()
    )
    visit = file(sv, checks=[Check("phone", "bad", "A01"), Check("smile", "bad", "A01")])
    day = timezone.localdate()
    period = {"start": day - dt.timedelta(days=30), "end": day}
    assert not selectors.confirmed_veto_findings(staff=sv.a1, **period).exists()  # pending
    for finding in visit.findings.all():
        services.confirm_finding(actor=sv.head_a, finding=finding)
    vetoes = selectors.confirmed_veto_findings(staff=sv.a1, **period)
    assert [f.item for f in vetoes] == ["phone"]  # 面无表情 is a finding, not a veto
    assert any("一票否决" in p for p in staff_problems(sv.a1, period["start"], period["end"]))
    assert any("一票否决" in p for p in window_problems(sv.w_a01, period["start"], day))
    earlier = {"start": day - dt.timedelta(days=90), "end": day - dt.timedelta(days=31)}
    assert not selectors.confirmed_veto_findings(window=sv.w_a01, **earlier).exists()
