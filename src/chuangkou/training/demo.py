"""The training part of the demo (deterministic: `random.Random(SEED)`).

- 2018's events of every kind (data/demo.json): planned through the service, attendance drawn
  from the invited demo staff (about 85 % on time, 7 % late, 8 % absent), feedback from most
  attendees.
- A 月度大讲堂 running today for clerk01's department, so its check-in screen works live.
- Courseware of six 月度大讲堂 (generated DOCX), the 2018 业务讲堂大 PK scored by grader01 and
  voted by the demo accounts, four entries selected for the handbook (课件汇编).
- The seed's "30 余条" suggestions (32 over the four aspects), handled by the admin: adopted,
  declined, answered, assigned or waiting; two became problems of the oversight tracker.
Check-ins, feedback and the suggestions themselves are demo rows written in bulk (each
suggestion with the audit entry filing it writes); absences, attendance corrections, the 大 PK
(open, scores, votes, close, selection) and every decision on a suggestion go through the
services, so the demo's audit log tells what happened.
"""

import datetime as dt
import io
import json
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone
from docx import Document

from chuangkou.core import audit
from chuangkou.org.models import Department, Staff

from . import selectors, services
from .models import Attendance, Feedback, Suggestion, TrainingEvent

SEED = 2018
DATA = json.loads((Path(__file__).parent / "data" / "demo.json").read_text(encoding="utf-8"))
YEAR = 2018
MAX_INVITED = 80  # per event: keeps the demo small and quick


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _audience(rng, spec: str, departments: list[Department]) -> dict:
    if spec == "all":
        return {}
    if spec in Staff.EmploymentType.values:
        return {"employment_types": [spec]}
    count = int(spec.split(":")[1])
    return {"departments": rng.sample(departments, min(count, len(departments)))}


def _attendance(rng, event: TrainingEvent) -> None:
    invited = list(selectors.invited_staff(event).order_by("pk")[:MAX_INVITED])
    rows, feedback = [], []
    for staff in invited:
        draw = rng.random()
        status = Attendance.Status.SIGNED_UP  # no check-in: 登记缺勤 marks it absent
        at = None
        if draw < 0.85:
            status, at = Attendance.Status.PRESENT, event.starts_at - dt.timedelta(minutes=5)
        elif draw < 0.92:
            status, at = Attendance.Status.LATE, event.starts_at + dt.timedelta(minutes=15)
        rows.append(
            Attendance(
                event=event,
                staff=staff,
                status=status,
                signed_up_at=event.starts_at - dt.timedelta(days=3),
                checked_in_at=at,
            )
        )
        if at is not None and rng.random() < 0.6:
            rating = rng.choice((5, 5, 5, 4, 4, 3))
            feedback.append(
                Feedback(
                    event=event,
                    staff=staff,
                    rating=rating,
                    usefulness=max(1, rating - rng.choice((0, 0, 1))),
                    comment=rng.choice(DATA["comments"]),
                )
            )
    Attendance.objects.bulk_create(rows)
    Feedback.objects.bulk_create(feedback)


def _events(rng, admin, departments: list[Department]) -> None:
    tz = timezone.get_current_timezone()
    for month, day, kind, title, speaker, place, hours, audience in DATA["events"]:
        starts_at = dt.datetime(YEAR, month, day, 14, 0, tzinfo=tz)
        event = services.create_event(
            actor=admin,
            title=title,
            kind=kind,
            starts_at=starts_at,
            ends_at=starts_at + dt.timedelta(hours=max(2, float(hours))),
            place=place,
            speaker=speaker,
            hours=hours,
            **_audience(rng, audience, departments),
        )
        _attendance(rng, event)
        services.record_absences(actor=admin, event=event, now=event.ends_at)
        _corrections(rng, admin, event)


CORRECTIONS = [
    ("present", "签到时手机无网络，经组织者现场核实已出席，补记出勤。"),
    ("late", "因窗口办件延误到场，经核实按迟到登记。"),
    ("present", "临时顶岗后到场参加，有签到表为证，补记出勤。"),
]


def _corrections(rng, admin, event: TrainingEvent) -> None:
    """更正出勤 through the service (audited with the reason): one absentee of every other
    event had in fact been there."""
    if event.pk % 2:
        return
    absent = list(event.attendances.filter(status=Attendance.Status.ABSENT).order_by("pk")[:5])
    if not absent:
        return
    status, reason = rng.choice(CORRECTIONS)
    services.correct_attendance(
        actor=admin, event=event, staff=rng.choice(absent).staff, status=status, reason=reason
    )


def _today(admin) -> None:
    clerk = Staff.objects.filter(user__username="clerk01").select_related("department").first()
    now = timezone.localtime()
    start = now.replace(hour=8, minute=30, second=0, microsecond=0)
    services.create_event(
        actor=admin,
        title="月度大讲堂：今日业务难点答疑",
        kind="monthly",
        starts_at=min(start, now - dt.timedelta(minutes=5)),
        ends_at=max(start + dt.timedelta(hours=10), now + dt.timedelta(hours=2)),
        place="三楼培训室",
        speaker="业务骨干",
        hours=2,
        departments=[clerk.department] if clerk else [],
    )


def _suggestions(rng, admin) -> None:
    staff = list(Staff.objects.exclude(status=Staff.Status.LEFT).order_by("pk")[:200])
    head = _user("depthead01")
    made = []
    for aspect, titles in DATA["suggestions"].items():
        for title in titles:
            made.append(
                Suggestion.objects.create(
                    author=rng.choice(staff),
                    aspect=aspect,
                    title=title,
                    content=f"{title}。此建议来自窗口一线，旨在提高窗口服务水平、提升群众满意度。",
                )
            )
    for s in made:  # the entry file_suggestion writes (most demo staff have no account)
        audit.record(
            actor=s.author.user,
            actor_name=s.author.name,
            action="training.suggestion.file",
            obj=s,
            after={"aspect": s.aspect},
        )
    rng.shuffle(made)
    for i, s in enumerate(made):
        created = dt.datetime(
            YEAR, 1 + i % 12, 1 + i % 27, 10, 0, tzinfo=timezone.get_current_timezone()
        )
        Suggestion.objects.filter(pk=s.pk).update(created_at=created)
        _handle(i, s, admin, head)


def _handle(i: int, suggestion: Suggestion, admin, head) -> None:
    if i < 14:
        services.decide_suggestion(
            actor=admin,
            suggestion=suggestion,
            adopted=True,
            reason="建议可行，已纳入年度工作计划。",
        )
    elif i < 18:
        services.decide_suggestion(
            actor=admin, suggestion=suggestion, adopted=False, reason="受场地和编制所限，暂不实施。"
        )
    elif i < 20:
        services.suggestion_to_problem(
            actor=admin, suggestion=suggestion, kind="pain", owner=suggestion.author.department
        )
    elif i < 25 and head is not None:
        services.assign_suggestion(actor=admin, suggestion=suggestion, assignee=head)
        if i < 23:
            services.answer_suggestion(
                actor=head, suggestion=suggestion, answer="已研究，将在下月部门例会落实。"
            )


def _docx(title: str, points: list[str]) -> io.BytesIO:
    document = Document()
    document.add_heading(title, level=1)
    for point in points:
        document.add_paragraph(point, style="List Bullet")
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return buffer


def _courseware(admin) -> None:
    clerk, grader = _user("clerk01"), _user("grader01")
    if clerk is None or not Staff.objects.filter(user=clerk).exists():
        return
    monthly = list(
        TrainingEvent.objects.filter(kind="monthly", starts_at__year=YEAR).order_by("starts_at")
    )
    made = []
    for (title, domain, summary, points), event in zip(DATA["courseware"], monthly, strict=False):
        made.append(
            services.upload_courseware(
                actor=clerk,
                title=title,
                domain=domain,
                summary=summary,
                key_points="\n".join(points),
                speaker=event.speaker,
                file=_docx(title, points),
                event=event,
            )
        )
    panel = [u for u in (grader, admin) if u is not None]
    contest = services.create_pk(
        actor=admin, name=f"{YEAR} 年度业务讲堂大 PK", year=YEAR, entries=made, panel=panel
    )
    services.open_pk(actor=admin, contest=contest)
    for i, entry in enumerate(made):
        for judge in panel:
            points = {name: top - (i + len(judge.username)) % 4 for name, top in contest.criteria}
            services.score_entry(actor=judge, contest=contest, courseware=entry, points=points)
    for n, username in enumerate(("clerk01", "clerk02", "lobby01")):
        voter = _user(username)
        if voter is not None and Staff.objects.filter(user=voter).exists():
            services.vote_entry(actor=voter, contest=contest, courseware=made[n % 2])
    services.close_pk(actor=admin, contest=contest)
    best = [standing.courseware for standing in selectors.pk_standings(contest)[:4]]
    services.select_pk_entries(actor=admin, contest=contest, entries=best)


def load() -> None:
    admin = _user("admin")
    departments = list(Department.objects.order_by("code"))
    if admin is None or not departments or not Staff.objects.exists():
        return
    rng = random.Random(SEED)  # noqa: S311 (reproducible demo data)
    _events(rng, admin, departments)
    _today(admin)
    _courseware(admin)
    _suggestions(rng, admin)
