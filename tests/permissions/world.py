"""The one world every declaration of the matrix is called in, built once per test module.

On top of the small organisation (departments A and B, windows A01/B01/S01): the catalog's
matters and bundle, a queue with tickets, cases of both departments, rectifications, a survey,
an open exam with a contest, a competition being scored and a published one with an objection.
Each role is played by one account: the center admin, the head of department A, clerk01 (staff
a1 at A01, candidate of the exam), lobby01, grader01 (a grader of the exam and a judge of both
competitions); every other role by an account holding only that role.

`ids` are what the `{placeholders}` of the declared paths and bodies stand for.
"""

import datetime as dt
import io
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.test import Client
from django.utils import timezone

from chuangkou.cases.models import ImportJob
from chuangkou.core.models import ApiToken
from chuangkou.core.roles import Role
from chuangkou.exams.models import Grade
from chuangkou.exams.services import contest as contests
from chuangkou.feedback import services as feedback
from chuangkou.feedback.pad import pad_token
from chuangkou.hall.models import Appointment, AppointmentSlot
from chuangkou.org.models import Staff
from chuangkou.selection import services as selection
from chuangkou.selection.models import Competition
from tests.cases.conftest import accept_at_window, at
from tests.catalog.conftest import build_catalog
from tests.conftest import build_org_small
from tests.exams.conftest import build_sitting
from tests.factories import StaffFactory, UserFactory
from tests.feedback.conftest import build_fb
from tests.feedback.factories import CaseFactory, TicketFactory
from tests.selection.conftest import TIERS, make_competition, temporary_staff
from tests.supervision.world import build_supervision

NO_ROLE = "no_role"  # a signed-in account that holds no role at all
ANONYMOUS = "anonymous"


def _players(w) -> dict:
    graders = [UserFactory(username=f"grader{n:02d}", roles=[Role.GRADER]) for n in (1, 2, 3)]
    build_sitting(w, graders)
    StaffFactory(name="大堂", department=w.dept_a, center=w.main, user=w.lobby)
    players = {
        Role.CENTER_ADMIN: w.admin,
        Role.DEPT_HEAD: w.head_a,
        Role.CLERK: w.clerk_a1,
        Role.LOBBY_MANAGER: w.lobby,
        Role.GRADER: graders[0],
    }
    for role in Role:
        players.setdefault(role, UserFactory(username=f"only_{role.value}", roles=[role]))
    players[NO_ROLE] = UserFactory(username="no_role")
    w.judges = [*graders, *(UserFactory(roles=[Role.GRADER]) for _ in range(2))]
    return players


def _hall(w) -> None:
    w.queue.windows.set([w.w_a01, w.w_b01])
    w.queue.matters.set([w.matter_a, w.matter_b])
    w.slot = AppointmentSlot.objects.create(
        queue=w.queue,
        date=timezone.localdate() + dt.timedelta(days=1),
        start=dt.time(9),
        end=dt.time(10),
        capacity=5,
    )
    w.appointment = Appointment.objects.create(
        slot=w.slot, phone="13800001111", code="123456", booked_at=timezone.now()
    )


def _cases(w) -> None:
    w.case = accept_at_window(w, at("2018-03-05", 9))
    w.job = ImportJob.objects.create(
        filename="x.csv", format="csv", status=ImportJob.Status.DONE, created_by=w.admin
    )


def _feedback(w) -> None:
    """Rectifications of department B (the head of A sees none of them) and a survey."""

    def rect():
        case = CaseFactory(matter=w.matter_b, center=w.main, window=w.w_b01, clerk=w.b1)
        return feedback.rate(actor=w.admin, channel="hotline", level=1, case=case).rectification

    w.rect = rect()
    w.rect_called = feedback.record_callback(actor=w.admin, rectification=rect(), note="ok")
    called = feedback.record_callback(actor=w.admin, rectification=rect(), note="ok")
    w.rect_appealing = feedback.appeal(
        actor=w.admin, rectification=called, kind="invalid", reason="x"
    )
    today = timezone.localdate()
    w.survey = feedback.draw_sample(
        actor=w.admin,
        region=w.region,
        name="调查",
        period_start=today - dt.timedelta(days=30),
        period_end=today,
        sample_size=5,
        seed=1,
    )
    w.sample = w.survey.samples.first()
    w.rating_ticket = TicketFactory(queue=w.queue, window=w.w_a01, clerk=w.a1)
    w.pad_token = pad_token(window=w.w_a01, staff=w.a1)


def _competition(w, *, publish: bool):
    competition = make_competition(w.admin, name="竞聘" + ("公示" if publish else "评分"))
    selection.set_tiers(actor=w.admin, competition=competition, tiers=TIERS)
    selection.set_judges(actor=w.admin, competition=competition, users=w.judges)
    selection.open_registration(actor=w.admin, competition=competition)
    candidates = [
        selection.register_candidate(actor=w.admin, competition=competition, staff=s)
        for s in temporary_staff(2, department=w.dept_b, center=w.main)
    ]
    selection.start_scoring(actor=w.admin, competition=competition)
    if publish:
        for candidate, score in zip(candidates, (90, 80), strict=True):
            selection.set_written_score(actor=w.admin, candidate=candidate, score=score)
            for judge in w.judges:
                selection.enter_interview_score(actor=judge, candidate=candidate, score=score)
        selection.compute_ranking(actor=w.admin, competition=competition)
        competition.refresh_from_db()
        selection.publish_results(actor=w.admin, competition=competition)
        # on a rest day the notice starts on the next working day: objections need it open today
        today = timezone.localdate()
        Competition.objects.filter(pk=competition.pk, notice_start__gt=today).update(
            notice_start=today
        )
    competition.refresh_from_db()
    return competition, candidates


def _selection(w) -> None:
    w.competition, w.candidates = _competition(w, publish=False)
    w.published, _ = _competition(w, publish=True)
    w.objection = selection.submit_objection(
        actor=w.clerk_b1, competition=w.published, text="对本次公示结果有异议"
    )


def _exams(w) -> None:
    staff = Staff.objects.select_related("department", "window__center")
    w.contest = contests.create_contest(actor=w.admin, name="技能大比武", staff=staff)
    w.question = next(iter(w.questions.values()))


def _honors(w) -> dict:
    from . import honors  # imports .matrix, which imports this module

    return honors.build(w)


def _care(w) -> dict:
    from . import care  # imports .matrix, which imports this module

    return care.build(w)


def _training(w) -> dict:
    from . import training  # imports .matrix, which imports this module

    return training.build(w)


def _consult(w) -> dict:
    from . import consult  # imports .matrix, which imports this module

    return consult.build(w)


def _prereview(w) -> dict:
    from . import prereview  # imports .matrix, which imports this module

    return prereview.build(w)


def _export_job(owner):
    """A finished background export of the center admin, with its file (core.exports)."""
    from chuangkou.core import exports
    from chuangkou.core.models import ExportJob

    table = exports.Table("受理件", ["受理编号"], [["A1"]], total=1)
    name = f"{exports.FOLDER}/matrix-world.xlsx"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    exports.write_xlsx(table, path)
    return ExportJob.objects.create(
        owner=owner,
        kind="cases.case",
        query_key="0" * 64,
        filename=table.filename(),
        status=ExportJob.Status.DONE,
        total_rows=1,
        written_rows=1,
        file=name,
    )


def _sessions(players: dict) -> dict:
    sessions = {}
    for who, user in players.items():
        client = Client()
        client.force_login(user)
        sessions[who] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return sessions


def build_world() -> SimpleNamespace:
    w = build_fb(build_org_small())
    w.players = _players(w)
    w.catalog = build_catalog(w)
    material = w.catalog.food.materials.first()
    material.template.save("申请书.docx", io.BytesIO(b"DOCX"))
    w.material = material
    _hall(w)
    _cases(w)
    _feedback(w)
    _exams(w)
    _selection(w)
    w.honors_ids = _honors(w)
    w.supervision_ids = build_supervision(w)
    w.care_ids = _care(w)
    w.training_ids = _training(w)
    w.consult_ids = _consult(w)
    w.prereview_ids = _prereview(w)
    w.export_job = _export_job(w.admin)
    w.other = UserFactory(username="someone", roles=[Role.CLERK])
    w.token = ApiToken.objects.create(
        user=w.other, name="他人的令牌", key_hash="0" * 64, prefix="ck_x"
    )
    w.sessions = _sessions(w.players)
    w.ids = _ids(w)
    return w


def _pk(obj) -> int:
    return obj.pk if obj is not None else 999999  # none yet: the route answers 404


def _ids(w) -> dict:
    """What each `{placeholder}` of a declared path or body stands for."""
    return {
        # core and org
        "staff_id": w.b2.pk,  # department B: the head of A cannot see this person
        "account_id": w.other.pk,
        "token_id": w.token.pk,
        "export": w.export_job.pk,
        "dept": w.dept_a.pk,
        "dept_b": w.dept_b.pk,
        "center": w.main.pk,
        "window": w.w_a01.pk,
        # catalog
        "shop": w.catalog.shop.pk,
        "sscard": w.catalog.sscard.pk,
        "company": w.catalog.company.pk,
        "bundle": w.catalog.bundle.pk,
        "material": w.material.pk,
        # hall
        "queue": w.queue.pk,
        "ticket": w.ticket_a.pk,
        "waiting": w.waiting.pk,
        "ticket_token": w.waiting.public_token,
        "slot": w.slot.pk,
        "appointment_token": w.appointment.public_token,
        # cases
        "case": w.case.pk,
        "job": w.job.pk,
        "case_done": w.case_a.pk,  # completed: it can be rated
        "matter": w.matter_a.pk,
        # feedback
        "rect": w.rect.pk,
        "rect_called": w.rect_called.pk,
        "rect_appealing": w.rect_appealing.pk,
        "survey": w.survey.pk,
        "sample": w.sample.pk,
        "rating_token": w.rating_ticket.public_token,
        "pad_token": w.pad_token,
        # exams
        "exam": w.exam.pk,
        "paper": w.paper.pk,
        "question": w.question.pk,
        "attempt": w.attempt_a1.pk,
        "attempt_b1": w.attempt_b1.pk,
        "item": _pk(w.attempt_a1.items.first()),  # items appear when it starts
        "point": w.point.pk,
        "contest": w.contest.pk,
        "paper_item": _pk(w.paper.items.first()),
        "grade": _pk(Grade.objects.order_by("pk").first()),
        "staff_a2": w.a2.pk,
        # selection
        "competition": w.competition.pk,
        "candidate": w.candidates[0].pk,
        "candidate2": w.candidates[1].pk,
        "judge": w.judges[0].pk,
        "published": w.published.pk,
        "objection": w.objection.pk,
        # honors
        "staff_a3": w.a3.pk,
        **w.honors_ids,
        # supervision
        **w.supervision_ids,
        # care
        **w.care_ids,
        # training
        **w.training_ids,
        # consult
        **w.consult_ids,
        # prereview
        **w.prereview_ids,
    }
