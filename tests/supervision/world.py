"""The supervision rows of the permission matrix's world (tests/permissions/world.py)."""

from django.utils import timezone

from chuangkou.core.roles import Role
from chuangkou.supervision import services
from chuangkou.supervision.models import SittingSlot, VisitAssignment, VisitPlan

from .conftest import TERM, photo, visit_time


def build_supervision(w) -> dict:
    """The supervisor player's plan for today, one filed visit with a photo and findings of
    department A (one pending, one disputed with evidence), a sitting-in of the head of A
    and an open slot. Returns the ids for the placeholders."""
    supervisor = services.appoint_supervisor(
        actor=w.admin,
        user=w.players[Role.SUPERVISOR],
        name="矩阵监督员",
        term_start=TERM[0],
        term_end=TERM[1],
        centers=[w.main],
    )
    today = timezone.localdate()
    plan = VisitPlan.objects.create(
        name="矩阵",
        period_start=today,
        period_end=today,
        visits_per_center=1,
        seed=1,
        created_by=w.admin,
    )
    filed = VisitAssignment.objects.create(
        plan=plan, supervisor=supervisor, center=w.main, date=today
    )
    visit = services.file_visit(
        actor=supervisor.user,
        assignment=filed,
        visited_at=visit_time(),
        windows=["A01"],
        checks=[services.Check("smile", "bad", "A01"), services.Check("hands", "bad", "A01")],
        photos=[photo()],
    )
    open_assignment = VisitAssignment.objects.create(
        plan=VisitPlan.objects.create(
            name="矩阵二",
            period_start=today,
            period_end=today,
            visits_per_center=1,
            seed=2,
            created_by=w.admin,
        ),
        supervisor=services.appoint_supervisor(
            actor=w.admin,
            user=_second_supervisor(),
            name="另一监督员",
            term_start=TERM[0],
            term_end=TERM[1],
            centers=[w.main],
        ),
        center=w.main,
        date=today,
    )
    pending = visit.findings.get(item="smile")
    disputed = services.dispute_finding(
        actor=w.head_a, finding=visit.findings.get(item="hands"), reason="x", evidence=photo()
    )
    services.publish_questionnaire(actor=w.admin, version=1)
    sitting = services.book_sitting(
        actor=w.head_a,
        slot=SittingSlot.objects.create(window=w.w_a01, date=today, half="am"),
    )
    slot = SittingSlot.objects.create(window=w.w_a01, date=today, half="pm", capacity=5)
    return {
        "sv_visit": visit.pk,
        "sv_photo": visit.photos.first().pk,
        "sv_finding": pending.pk,
        "sv_disputed": disputed.pk,
        "sv_sitting": sitting.pk,
        "sv_slot": slot.pk,
        "sv_others_assignment": open_assignment.pk,
        "sv_own_assignment": _own_open(supervisor, plan, w),
        **_problems(w),
    }


def _problems(w) -> dict:
    """Three problems of department A: just found, being coordinated, solved on the spot."""

    def report(title):
        return services.report_problem(actor=w.admin, title=title, kind="pain", owner=w.dept_a)

    coordinating = services.start_coordinating(
        actor=w.admin, problem=report("协调中的问题"), note="会同税务"
    )
    solved = services.solve_on_spot(
        actor=w.admin, problem=report("已解决的问题"), resolution="已办"
    )
    return {
        "sv_problem": report("新发现的问题").pk,
        "sv_problem_coordinating": coordinating.pk,
        "sv_problem_solved": solved.pk,
    }


def _second_supervisor():
    from tests.factories import UserFactory

    return UserFactory(username="supervisor_other", roles=[Role.SUPERVISOR])


def _own_open(supervisor, plan, w) -> int:
    """An unfiled assignment of the player on another day (the form opens; filing is not
    possible that day, which the matrix does not try)."""
    import datetime as dt

    day = timezone.localdate() + dt.timedelta(days=1)
    return VisitAssignment.objects.create(
        plan=plan, supervisor=supervisor, center=w.main, date=day
    ).pk
