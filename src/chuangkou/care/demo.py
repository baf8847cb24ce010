"""The care part of the demo (deterministic: `random.Random(SEED)`, dates relative to today).

- 心理假 across the past year for the demo staff (past days are history and are inserted as
  rows; this month's and next month's days of clerk01/clerk02 go through the service).
- counselor01's slots: past sessions with notes (encrypted through the service, so only
  counselor01 can read them) and slots to come, two of them booked by clerk01 and clerk02.
- 约谈 held by depthead01 with staff of the department and by the admin.
Texts are in data/demo.json.
"""

import datetime as dt
import json
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangkou.core.calendar import is_working_day
from chuangkou.core.errors import DomainError
from chuangkou.org.models import Staff
from chuangkou.org.selectors import departments_headed_by

from . import services
from .models import Appointment, CareTalk, CounselingSlot, PsychLeave

SEED = 2018
DATA = json.loads((Path(__file__).parent / "data" / "demo.json").read_text(encoding="utf-8"))
LEAVE_SHARE = 0.35  # about a third of the staff take their day in a given month
PAST_WEEKS, FUTURE_DAYS = 10, 14


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    months, month = [], today.replace(day=1)
    for _ in range(count):
        month = (month - dt.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months


def _working_days(month: dt.date, before: dt.date) -> list[dt.date]:
    day, days = month, []
    while day.month == month.month and day < before:
        if is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _leave_history(rng: random.Random, staff: list[Staff], today: dt.date) -> None:
    rows = []
    for month in [today.replace(day=1), *_months_back(today, 12)]:  # this month: days gone
        days = _working_days(month, today)
        for person in staff:
            if days and rng.random() < LEAVE_SHARE:
                rows.append(PsychLeave(staff=person, date=rng.choice(days), month=month))
    PsychLeave.objects.bulk_create(rows)


def _leave_now(today: dt.date) -> None:
    for username in ("clerk01", "clerk02"):
        user = _user(username)
        month = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        days = _working_days(month, month + dt.timedelta(days=31))
        if user is not None and days:
            try:
                services.take_leave(actor=user, date=days[2 if username == "clerk01" else 5])
            except DomainError:
                pass  # the account has no active staff record in this demo


def _past_sessions(rng: random.Random, counselor, clients: list, now: dt.datetime) -> None:
    start = timezone.localtime(now).replace(hour=14, minute=0, second=0, microsecond=0)
    for week in range(PAST_WEEKS, 0, -1):
        for offset in (1, 3):  # Tuesday-ish and Thursday-ish afternoons
            at = start - dt.timedelta(weeks=week) + dt.timedelta(days=offset)
            mode = rng.choice(CounselingSlot.Mode.values)
            slot = CounselingSlot.objects.create(
                counselor=counselor, starts_at=at, mode=mode, place=_place(mode)
            )
            if rng.random() < 0.7:
                appointment = Appointment.objects.create(
                    slot=slot, client=rng.choice(clients), booked_at=at - dt.timedelta(days=3)
                )
                services.write_note(
                    actor=counselor, appointment=appointment, text=rng.choice(DATA["notes"])
                )


def _place(mode: str) -> str:
    return DATA["places"][2] if mode == CounselingSlot.Mode.PHONE else DATA["places"][0]


def _slots_to_come(counselor, now: dt.datetime) -> list[CounselingSlot]:
    start = timezone.localtime(now).replace(hour=9, minute=30, second=0, microsecond=0)
    slots = []
    for day in range(1, FUTURE_DAYS + 1):
        at = start + dt.timedelta(days=day)
        if not is_working_day(at.date()):
            continue
        for hour, mode in ((0, "onsite"), (5, "phone")):
            slots.append(
                services.publish_slot(
                    actor=counselor,
                    starts_at=at + dt.timedelta(hours=hour),
                    mode=mode,
                    place=_place(mode),
                )
            )
    return slots


def _talks(rng: random.Random, today: dt.date) -> None:
    head, admin = _user("depthead01"), _user("admin")
    for actor, count in ((head, 8), (admin, 6)):
        if actor is None:
            continue
        staff = list(
            Staff.objects.filter(status=Staff.Status.ACTIVE).order_by("staff_no")
            if actor == admin
            else Staff.objects.filter(
                status=Staff.Status.ACTIVE, department__in=departments_headed_by(actor)
            ).order_by("staff_no")
        )
        for _ in range(count if staff else 0):
            services.record_talk(
                actor=actor,
                staff=rng.choice(staff),
                date=today - dt.timedelta(days=rng.randint(1, 330)),
                topic=rng.choice(CareTalk.Topic.values),
                follow_up=rng.choice(DATA["follow_ups"]),
            )


def load() -> None:
    rng = random.Random(SEED)
    today, now = timezone.localdate(), timezone.now()
    staff = list(Staff.objects.exclude(status=Staff.Status.LEFT).order_by("staff_no"))
    _leave_history(rng, staff, today)
    _leave_now(today)
    counselor = _user("counselor01")
    clients = [u for u in (_user(n) for n in ("clerk01", "clerk02", "lobby01")) if u]
    if counselor is not None and clients:
        _past_sessions(rng, counselor, clients, now)
        coming = _slots_to_come(counselor, now)
        for client, slot in zip(clients[:2], coming[1::3], strict=False):
            services.book_slot(actor=client, slot=slot)
    _talks(rng, today)
