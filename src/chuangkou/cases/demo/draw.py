"""One demo case: applicant, window or online, trips, outcome, and for live cases the visit
records and status history that the services would have written."""

import datetime as dt
import random
from dataclasses import dataclass, field

from chuangkou.catalog.models import Matter
from chuangkou.core.validators import id_check_digit

from ..identity import CREDIT_CODE_CHARS, credit_code_check_char
from ..models import Case, counts_as_one_trip
from ..services.status import paused_working_days
from ..workdays import add_working_days
from .plan import (
    COMPANY_TRADES,
    COMPANY_WORDS,
    EXTRA_TRIP,
    GIVEN_NAMES,
    ID_REGIONS,
    LATER_EXTRA_TRIP,
    LATER_ONLINE_SHARE,
    LATER_ZERO_TRIP_ONLINE,
    LIVE_SINCE,
    MOBILE_PREFIXES,
    ONLINE_SHARE,
    SURNAMES,
    ZERO_TRIP_ONLINE,
    Context,
)


def person_id(rng: random.Random) -> str:
    born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 18_000))
    first17 = f"{rng.choice(ID_REGIONS)}{born:%Y%m%d}{rng.randint(0, 999):03d}"
    return first17 + id_check_digit(first17)


def credit_code(rng: random.Random) -> str:
    body = "91330103" + "".join(rng.choice(CREDIT_CODE_CHARS) for _ in range(9))
    return body + credit_code_check_char(body)


def _applicant(rng: random.Random, company_share: float) -> dict:
    phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"
    if rng.random() < company_share:
        name = f"杭州{rng.choice(COMPANY_WORDS.split())}{rng.choice(COMPANY_TRADES)}有限公司"
        return {
            "applicant_kind": Case.ApplicantKind.COMPANY,
            "applicant_name": name,
            "applicant_id": credit_code(rng),
            "applicant_phone": phone,
        }
    return {
        "applicant_kind": Case.ApplicantKind.PERSON,
        "applicant_name": rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
        "applicant_id": person_id(rng),
        "applicant_phone": phone,
    }


def _moment(rng: random.Random, tz, day: dt.date, earliest: dt.time | None = None) -> dt.datetime:
    minute = rng.randint(0, 179) if rng.random() < 0.6 else rng.randint(300, 509)
    start = dt.datetime.combine(day, dt.time(8, 30), tzinfo=tz) + dt.timedelta(minutes=minute)
    if earliest is not None:
        floor = dt.datetime.combine(day, earliest, tzinfo=tz)
        start = max(start, floor + dt.timedelta(minutes=rng.randint(15, 120)))
    return start


def _on_duty(postings, day: dt.date, rng: random.Random) -> tuple[int | None, str]:
    here = [p for p in postings if p[1] <= day and (p[2] is None or p[2] >= day)]
    if not here:
        return None, ""
    staff_id, _, _, name = rng.choice(here)
    return staff_id, name


CASE_FIELDS = [
    "number",
    "matter_id",
    "department_id",
    "center_id",
    "window_id",
    "clerk_id",
    "channel",
    "applicant_kind",
    "applicant_name",
    "applicant_id",
    "applicant_phone",
    "status",
    "accepted_at",
    "accepted_date",
    "due_date",
    "paused_days",
    "completed_at",
    "completed_date",
    "visits",
    "is_overdue",
    "is_one_trip",
    "import_job_id",
]
VISIT_FIELDS = ["case_id", "visited_at", "note"]
EVENT_FIELDS = ["case_id", "action", "from_status", "to_status", "actor_name", "at", "note"]


@dataclass
class Drawn:
    """One case (its values by field) with the visits and history it brings along."""

    case: dict
    matter: Matter
    visits: list[tuple[dt.datetime, str]] = field(default_factory=list)
    events: list[tuple[str, str, str, dt.datetime, str]] = field(default_factory=list)
    clerk_name: str = ""

    def row(self) -> tuple:
        return tuple(self.case[f] for f in CASE_FIELDS)


def _visits(rng: random.Random, online: bool, year: int) -> int:
    """跑动次数: online mostly none, at the window mostly one; second trips (补正) were common
    before the reform took hold (the briefing: 实现率 up 20.2 points in a year)."""
    again = EXTRA_TRIP.get(year, LATER_EXTRA_TRIP)
    r = rng.random()
    trips = 0 if online else 1
    if r < again:
        trips += 1 if r < again * 0.85 else 2
    return trips


def _outcome(rng: random.Random, ctx: Context, drawn: Drawn) -> None:
    """Status and end: most done within the promise, some late, a few refused or returned."""
    case, matter = drawn.case, drawn.matter
    day, promised = case["accepted_date"], matter.promised_days
    r = rng.random()
    if r < 0.01:
        status, end_day = Case.Status.REJECTED, add_working_days(day, rng.randint(0, 2))
    elif r < 0.02:
        status, end_day = Case.Status.RETURNED, add_working_days(day, rng.randint(0, 3))
    elif r < 0.05:
        status, end_day = Case.Status.COMPLETED, add_working_days(day, promised + rng.randint(1, 5))
    else:
        status = Case.Status.COMPLETED
        end_day = add_working_days(day, rng.randint(promised // 3, promised))
    earliest = case["accepted_at"].astimezone(ctx.tz).time() if end_day == day else None
    end = _moment(rng, ctx.tz, end_day, earliest)
    stays_open = rng.random() < 0.004 and (ctx.now.date() - day).days < 90
    if end > ctx.now or stays_open:
        case["status"] = Case.Status.SUPPLEMENT if case["visits"] > 1 else Case.Status.ACCEPTED
        return
    case.update(
        status=status,
        completed_at=end,
        completed_date=end_day,
        is_overdue=end_day > case["due_date"],
        is_one_trip=status == Case.Status.COMPLETED and counts_as_one_trip(case["visits"]),
    )


def _pick(rng: random.Random, items: list, cumulative: list[float]):
    return rng.choices(items, cum_weights=cumulative)[0]


def draw_case(rng: random.Random, ctx: Context, day: dt.date) -> Drawn:
    online = rng.random() < ONLINE_SHARE.get(day.year, LATER_ONLINE_SHARE)
    if online:
        matter = _pick(rng, ctx.online, ctx.online_weights)
        window, center = None, ctx.main
        postings = ctx.department_staff.get(matter.department_id, [])
    else:
        plan = _pick(rng, ctx.windows, ctx.window_weights)
        matter = _pick(rng, plan.matters, plan.matter_weights)
        window, center = plan.window, plan.window.center
        postings = ctx.staff_at.get(window.pk, [])
        if matter.online and matter.max_visits == 0:
            if rng.random() < ZERO_TRIP_ONLINE.get(day.year, LATER_ZERO_TRIP_ONLINE):
                online, window, center = True, None, ctx.main
                postings = ctx.department_staff.get(matter.department_id, [])
    clerk_id, clerk_name = _on_duty(postings, day, rng)
    company_share = 0.45 if matter.online and matter.max_visits == 0 else 0.15
    drawn = Drawn(
        case={
            "number": "",
            "matter_id": matter.pk,
            "department_id": matter.department_id,
            "center_id": center.pk,
            "window_id": window.pk if window else None,
            "clerk_id": clerk_id,
            "channel": Case.Channel.ONLINE if online else Case.Channel.WINDOW,
            "status": Case.Status.ACCEPTED,
            "accepted_at": min(_moment(rng, ctx.tz, day), ctx.now),
            "accepted_date": day,
            "due_date": add_working_days(day, matter.promised_days),
            "paused_days": 0,
            "completed_at": None,
            "completed_date": None,
            "visits": _visits(rng, online, day.year),
            "is_overdue": False,
            "is_one_trip": False,
            "import_job_id": ctx.import_job.pk if day < LIVE_SINCE else None,
            **_applicant(rng, company_share),
        },
        matter=matter,
        clerk_name=clerk_name or "系统",
    )
    _outcome(rng, ctx, drawn)
    if day >= LIVE_SINCE:
        _history(rng, ctx, drawn)
    return drawn


def _pause_clock(ctx: Context, case: dict, notice: dt.datetime, back: dt.datetime) -> None:
    """补正 stops the clock, as `resume_case` does: the due date moves on by the waiting days."""
    days = paused_working_days(notice.astimezone(ctx.tz).date(), back.astimezone(ctx.tz).date())
    if not days:
        return
    case["paused_days"] = days
    case["due_date"] = add_working_days(case["due_date"], days)
    if case["completed_date"] is not None:
        case["is_overdue"] = case["completed_date"] > case["due_date"]


def _history(rng: random.Random, ctx: Context, drawn: Drawn) -> None:
    """The visit records and status steps the services would have written."""
    case = drawn.case
    accepted, at_window = case["accepted_at"], case["channel"] == Case.Channel.WINDOW
    last = case["completed_at"] or ctx.now
    steps = [("accept", "", Case.Status.ACCEPTED, accepted, "")]
    trips = [(accepted, "窗口受理")] if at_window else []
    extra = case["visits"] - len(trips)
    span = max((last - accepted).total_seconds(), 60)
    for i in range(extra):
        at = accepted + dt.timedelta(seconds=span * (i + 1) / (extra + 1))
        trips.append((at, "补交材料" if at_window else "到大厅核验原件"))
    if at_window and extra > 0:
        notice = min(accepted + dt.timedelta(minutes=rng.randint(5, 60)), trips[1][0])
        steps.append(
            (
                "supplement",
                Case.Status.ACCEPTED,
                Case.Status.SUPPLEMENT,
                notice,
                "材料不全，一次性告知需补正的材料",
            )
        )
        steps.append(
            ("resume", Case.Status.SUPPLEMENT, Case.Status.ACCEPTED, trips[-1][0], "材料已补齐")
        )
        _pause_clock(ctx, case, notice, trips[-1][0])
        if case["status"] == Case.Status.SUPPLEMENT:
            case["status"] = Case.Status.ACCEPTED
    ends = {
        Case.Status.COMPLETED: ("complete", ""),
        Case.Status.REJECTED: ("reject", "不符合受理条件，已书面告知"),
        Case.Status.RETURNED: ("return", "申请人撤回申请，材料已退还"),
    }
    if case["status"] in ends:
        action, note = ends[case["status"]]
        steps.append((action, steps[-1][2], case["status"], case["completed_at"], note))
    drawn.visits, drawn.events = trips, steps
