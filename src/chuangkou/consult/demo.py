"""The 1call part of the demo (deterministic: `random.Random(SEED)`, dates relative to today).

- The duty roster of the last half year and the next two weeks: clerk01 and clerk02, each for
  their department in one shift and 综合咨询 in the other.
- About six consultations a working day for half a year, drawn from the demo catalog matters of
  those two departments (and general questions), answered and closed by the clerk on duty, with
  a few late first replies and resolutions, and the people's ratings (channel 1call).
- A few good answers promoted to FAQ entries (through the service, audited), and today's
  waiting questions (through the service) for the inbox.
Question and answer templates are in data/demo.json. History is inserted as rows.
"""

import datetime as dt
import json
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangkou.catalog.models import Matter
from chuangkou.catalog.text import index_tokens
from chuangkou.core.calendar import is_working_day
from chuangkou.feedback.models import (
    BAD_LEVELS,
    Evaluation,
    Rectification,
    RectificationEvent,
)
from chuangkou.feedback.services import rectification_deadlines
from chuangkou.hall.hours import OPEN_PERIODS
from chuangkou.org.models import Center, Staff

from . import search, services, sla
from .models import Consultation, DutyShift, Message

SEED = 2018
DATA = json.loads((Path(__file__).parent / "data" / "demo.json").read_text(encoding="utf-8"))
DAYS_BACK, DAYS_AHEAD = 182, 14
PER_DAY = (3, 9)
LEVELS = [5] * 62 + [4] * 22 + [3] * 9 + [2] * 5 + [1] * 2


def _clerks() -> list[Staff]:
    return list(
        Staff.objects.filter(user__username__in=["clerk01", "clerk02"]).order_by("user__username")
    )


def _roster(clerks: list[Staff], today: dt.date) -> None:
    rows = []
    day = today - dt.timedelta(days=DAYS_BACK)
    while day <= today + dt.timedelta(days=DAYS_AHEAD):
        if is_working_day(day):
            for n, staff in enumerate(clerks):
                own, general = ("am", "pm") if n % 2 == 0 else ("pm", "am")
                rows.append(
                    DutyShift(staff=staff, department=staff.department, date=day, shift=own)
                )
                rows.append(DutyShift(staff=staff, department=None, date=day, shift=general))
        day += dt.timedelta(days=1)
    DutyShift.objects.bulk_create(rows)


def _asked_at(rng: random.Random, day: dt.date, tz) -> dt.datetime:
    if rng.random() < 0.15:  # in the evening, answered next opening
        return dt.datetime.combine(day, dt.time(rng.randint(18, 22), rng.randint(0, 59)), tz)
    opens, closes = rng.choice(OPEN_PERIODS)
    start = opens.hour * 60 + opens.minute
    minute = rng.randint(start, closes.hour * 60 + closes.minute - 10)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tz)


def _answer(rng: random.Random, matter: Matter | None) -> str:
    if matter is None:
        return rng.choice(DATA["general_answers"])
    materials = "、".join(m.name for m in matter.materials.all()[:6]) or "本人有效身份证件"
    online = (
        "可在浙江政务服务网在线申请，材料审核通过后无需到现场"
        if matter.online
        else ("需到中心窗口办理")
    )
    return rng.choice(DATA["matter_answers"]).format(
        matter=matter.name, materials=materials, days=matter.promised_days, online=online
    )


def _history(rng, clerks, matters, center, today) -> list[Consultation]:
    tz = timezone.get_current_timezone()
    by_dept = {s.department_id: s for s in clerks}
    made, threads = [], []
    day = today - dt.timedelta(days=DAYS_BACK)
    n = 0
    while day < today:
        for _ in range(rng.randint(*PER_DAY) if is_working_day(day) else rng.randint(0, 2)):
            n += 1
            matter = rng.choice(matters) if rng.random() < 0.8 else None
            asked = _asked_at(rng, day, tz)
            question = (
                rng.choice(DATA["matter_questions"]).format(matter=matter.name)
                if matter
                else rng.choice(DATA["general_questions"])
            )
            agent = by_dept.get(matter.department_id) if matter else rng.choice(clerks)
            first_due, resolve_due = sla.deadlines(asked)
            start = max(asked, first_due - dt.timedelta(minutes=sla.FIRST_REPLY_MINUTES))
            late = rng.random() < 0.08
            replied = sla.add_working_minutes(
                start, rng.randint(35, 90) if late else rng.randint(3, 28)
            )
            closed = sla.add_working_minutes(replied, rng.randint(5, 600 if late else 240))
            answer = _answer(rng, matter)
            made.append(
                Consultation(
                    code=f"D{n:09d}",
                    center=center,
                    matter=matter,
                    department_id=matter.department_id if matter else None,
                    question=question,
                    phone=f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
                    status=Consultation.Status.CLOSED,
                    agent=agent,
                    created_at=asked,
                    claimed_at=replied - dt.timedelta(minutes=2),
                    first_reply_at=replied,
                    closed_at=closed,
                    first_reply_due=first_due,
                    resolve_due=resolve_due,
                    answer=answer,
                    search_tokens=index_tokens(question, answer),
                )
            )
            threads.append((question, answer, asked, replied, agent))
        day += dt.timedelta(days=1)
    Consultation.objects.bulk_create(made, batch_size=500)
    messages = []
    for c, (question, answer, asked, replied, agent) in zip(made, threads, strict=True):
        messages.append(Message(consultation=c, author="person", body=question, created_at=asked))
        messages.append(
            Message(consultation=c, author="agent", staff=agent, body=answer, created_at=replied)
        )
    Message.objects.bulk_create(messages, batch_size=1000)
    return made


def _ratings(rng, made: list[Consultation]) -> None:
    rated = [c for c in made if rng.random() < 0.7]
    evaluations = [
        Evaluation(
            channel=Evaluation.Channel.ONECALL,
            level=rng.choice(LEVELS),
            staff=c.agent,
            department_id=c.department_id or c.agent.department_id,
            center=c.center,
            created_at=c.closed_at + dt.timedelta(minutes=rng.randint(5, 600)),
            rated_on=timezone.localdate(c.closed_at + dt.timedelta(minutes=5)),
        )
        for c in rated
    ]
    for c, e in zip(rated, evaluations, strict=True):
        if e.level in BAD_LEVELS:
            e.contact_phone = c.phone  # kept for the callback, as rate_answer does
    Evaluation.objects.bulk_create(evaluations, batch_size=500)
    for c, e in zip(rated, evaluations, strict=True):
        c.evaluation = e
    Consultation.objects.bulk_update(rated, ["evaluation"], batch_size=500)
    _rectifications([e for e in evaluations if e.level in BAD_LEVELS])


def _rectifications(bad: list[Evaluation]) -> None:
    """Every bad 1call rating has its 差评整改 (as rate_answer opens): those of today and yesterday
    wait for the callback, older ones were called back and rectified."""
    State = Rectification.State
    now = timezone.now()
    recent = timezone.localdate() - dt.timedelta(days=1)
    rects, steps = [], []
    for e in bad:
        callback_due, reply_due = rectification_deadlines(e.rated_on)
        rect = Rectification(
            evaluation=e, callback_due=callback_due, reply_due=reply_due, opened_at=e.created_at
        )
        history = [(e.created_at, "差评生成整改", "", State.PENDING)]
        if e.rated_on < recent:
            called = min(now, e.created_at + dt.timedelta(hours=3))
            rect.state = State.RECTIFIED
            rect.callback_at, rect.callback_note = called, "已电话回访，向咨询人致歉并补充解答"
            rect.rectified_at = min(now, called + dt.timedelta(days=2))
            rect.reply = "已组织坐席学习该事项办事指南，统一答复口径，并向咨询人反馈"
            history.append((called, "登记回访", State.PENDING, State.RECTIFYING))
            history.append((rect.rectified_at, "整改反馈", State.RECTIFYING, State.RECTIFIED))
        rects.append(rect)
        steps.append(history)
    Rectification.objects.bulk_create(rects, batch_size=500)
    RectificationEvent.objects.bulk_create(
        (
            RectificationEvent(rectification=r, at=at, action=action, from_state=a, to_state=b)
            for r, history in zip(rects, steps, strict=True)
            for at, action, a, b in history
        ),
        batch_size=1000,
    )


def load() -> None:
    rng = random.Random(SEED)
    clerks = _clerks()
    center = services.default_center()
    admin = get_user_model().objects.filter(username="admin").first()
    if not clerks or center is None or admin is None:
        return
    today = timezone.localdate()
    _roster(clerks, today)
    departments = {s.department_id for s in clerks}
    matters = list(
        Matter.objects.filter(is_active=True, department_id__in=departments)
        .prefetch_related("materials")
        .order_by("code")
    )
    if not matters:
        return
    made = _history(rng, clerks, matters, Center.objects.get(pk=center.pk), today)
    _ratings(rng, made)
    with_matter = [c for c in made if c.matter_id]
    for c in rng.sample(with_matter, min(DATA["faq"], len(with_matter))):
        services.promote_to_faq(actor=admin, consultation=c)
    for question, matter in (
        ("房产证丢了怎么补办？要带什么？", None),
        (rng.choice(DATA["matter_questions"]).format(matter=matters[0].name), matters[0]),
        (rng.choice(DATA["matter_questions"]).format(matter=matters[-1].name), matters[-1]),
    ):
        services.ask(question=question, phone="13800138000", matter=matter)
    search.reset()
