"""岗位记录 as a whole: a person's posting history replaced at once (the history import), under
the posting rules of `services.assign_staff`: within the hire and separation dates, an exchange
has an end date and goes to a center other than the home one, postings of one kind never
overlap (an open regular posting is closed by the next one), and the open postings close at the
separation."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError

from . import permissions
from .models import Assignment, Center, Separation, Staff, Window

Kind = Assignment.Kind
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Posting:
    """One posting as given (the end may be empty: still open)."""

    kind: str
    center: Center
    start: dt.date
    end: dt.date | None = None
    window: Window | None = None
    note: str = ""


@dataclass(frozen=True)
class PostingProblem:
    index: int  # position in the list given
    field: str  # kind, center, window, start_date or end_date
    message: str


def posting_problems(staff: Staff, postings: Sequence[Posting]) -> list[PostingProblem]:
    """Every broken rule of `postings` as the whole history of `staff` (empty: all good)."""
    separation = Separation.objects.filter(staff=staff).first()
    problems: list[PostingProblem] = []
    for i, p in enumerate(postings):
        problems += [PostingProblem(i, f, m) for f, m in _own_problems(staff, p, separation)]
    if postings and not any(p.kind == Kind.REGULAR for p in postings):
        problems.append(PostingProblem(0, "kind", "须至少有一条常驻岗位记录"))
    if not any(x.field in ("kind", "start_date", "end_date") for x in problems):
        problems += _overlaps(postings)
        problems += _exchanges_at_home(staff, postings)
    return problems


def _own_problems(staff: Staff, p: Posting, separation) -> list[tuple[str, str]]:
    found = []
    if p.kind not in Kind.values:
        found.append(("kind", "岗位类型只能是常驻或阶段性进驻交流"))
    if p.window is not None and p.window.center_id != p.center.pk:
        found.append(("window", f"窗口 {p.window.number} 不属于 {p.center.name}"))
    if p.start < staff.hire_date:
        found.append(("start_date", f"开始日期不能早于入职日期 {staff.hire_date:%Y-%m-%d}"))
    if p.end is not None and p.end < p.start:
        found.append(("end_date", "结束日期不能早于开始日期"))
    if p.kind == Kind.EXCHANGE and p.end is None:
        found.append(("end_date", "阶段性进驻交流须填写结束日期"))
    if separation is not None and p.start > separation.date:
        found.append(("start_date", f"开始日期晚于离职日期 {separation.date:%Y-%m-%d}"))
    if separation is not None and p.end is not None and p.end > separation.date:
        found.append(("end_date", f"结束日期晚于离职日期 {separation.date:%Y-%m-%d}"))
    return found


def effective_ends(postings: Sequence[Posting], until: dt.date | None) -> list[dt.date | None]:
    """The end of each posting once stored: an open regular posting ends the day before the
    next regular one starts, and every open posting ends at the separation (`until`)."""
    ends = [p.end for p in postings]
    regular = sorted(
        (i for i, p in enumerate(postings) if p.kind == Kind.REGULAR),
        key=lambda i: postings[i].start,
    )
    for i, j in zip(regular, regular[1:], strict=False):
        if ends[i] is None and postings[j].start > postings[i].start:
            ends[i] = postings[j].start - DAY
    return [until if end is None else end for end in ends]


def _overlaps(postings: Sequence[Posting]) -> list[PostingProblem]:
    ends = effective_ends(postings, None)
    problems = []
    for kind in Kind.values:
        order = sorted((i for i, p in enumerate(postings) if p.kind == kind), key=_start(postings))
        for before, after in zip(order, order[1:], strict=False):
            if ends[before] is None or ends[before] >= postings[after].start:
                until = f"{ends[before]:%Y-%m-%d}" if ends[before] else "今"
                label = Kind(kind).label
                problems.append(
                    PostingProblem(
                        after,
                        "start_date",
                        f"与 {postings[before].start:%Y-%m-%d} 至 {until} 的{label}岗位记录重叠",
                    )
                )
    return problems


def _start(postings: Sequence[Posting]):
    return lambda i: (postings[i].start, i)


def _exchanges_at_home(staff: Staff, postings: Sequence[Posting]) -> list[PostingProblem]:
    """An exchange goes to a center other than the one of the regular posting it interrupts."""
    ends = effective_ends(postings, None)
    problems = []
    for i, p in enumerate(postings):
        if p.kind != Kind.EXCHANGE:
            continue
        home = next(
            (
                q.center
                for j, q in enumerate(postings)
                if q.kind == Kind.REGULAR
                and q.start <= p.start
                and (ends[j] is None or ends[j] >= p.start)
            ),
            staff.center,
        )
        if home.pk == p.center.pk:
            message = f"阶段性进驻交流须去往本人所在中心（{home.name}）以外的中心"
            problems.append(PostingProblem(i, "center", message))
    return problems


def _as_list(staff: Staff) -> list[list]:
    return [
        [a.kind, a.center.name, a.window.number if a.window else None, a.start_date, a.end_date]
        for a in staff.assignments.select_related("center", "window").order_by("start_date", "pk")
    ]


@transaction.atomic
def replace_postings(*, actor, staff: Staff, postings: Sequence[Posting]) -> list[Assignment]:
    """导入岗位记录: `postings` become the whole posting history of `staff`; the home center and
    window follow the latest regular posting. Every broken rule is reported at once."""
    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    if not permissions.can_manage_postings(actor, staff):
        raise PermissionDeniedError("只有中心管理员或本部门负责人可以调整岗位。")
    if not postings:
        raise DomainError("至少要有一条岗位记录。", field="start_date")
    problems = posting_problems(staff, postings)
    if problems:
        first = problems[0]
        text = "；".join(f"第 {p.index + 1} 条：{p.message}" for p in problems)
        raise DomainError(f"岗位记录有误：{text}。", field=first.field)
    separation = Separation.objects.filter(staff=staff).first()
    before = _as_list(staff)
    staff.assignments.all().delete()
    ends = effective_ends(postings, separation.date if separation else None)
    created = Assignment.objects.bulk_create(
        Assignment(
            staff=staff,
            kind=p.kind,
            center=p.center,
            window=p.window,
            start_date=p.start,
            end_date=end,
            note=p.note[:200],
        )
        for p, end in zip(postings, ends, strict=True)
    )
    latest = max((p for p in postings if p.kind == Kind.REGULAR), key=lambda p: p.start)
    staff.center = latest.center
    staff.window = None if separation else latest.window
    staff.save(update_fields=["center", "window", "updated_at"])
    audit.record(
        actor=actor,
        action="staff.postings.replace",
        obj=staff,
        before={"postings": before},
        after={"postings": _as_list(staff)},
    )
    return created
