"""The selection part of the demo data: the salary reform's 竞聘上岗 of May 2018.

"薪酬改革采取“笔试+面试”的方式，考察业务通办能力，5月底竞聘上岗43名业务骨干，分0.6万元/年、
1.2万元/年、2.4万元/年三档落实差别待遇。" Temporary staff (临编) with at least one year of
service on 2018-04-30 could register; 90 of them did. Their written scores come from the exams
demo's published 业务通办 written exam when it holds them (scaled to 100 points), otherwise they
are drawn here. Seven judges scored the interview (体操计分法); the result was published on
2018-05-23 for five working days and finalised on 2018-05-31: 8 + 15 + 20 = 43 people placed,
492,000 yuan a year against a budget of 500,000.

Rows are bulk-inserted (system data, not user actions) with their 2018 dates; ranks and tiers
come from the same code as the services (`apply_ranking`), and the load is summarised in one
audit entry. Everything is drawn from `random.Random(SEED)`.
"""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from chuangkou.core import audit
from chuangkou.core.roles import Role
from chuangkou.core.services import create_account
from chuangkou.demo import DEMO_PASSWORD
from chuangkou.org.models import Staff

from .models import Candidate, Competition, InterviewScore, Judge, Objection, Tier
from .scoring import HUNDRED, interview_score, rounded, service_years
from .services.results import apply_ranking, notice_end_for, store_placements

SEED = 20180531
NAME = "2018 年窗口临编人员竞聘上岗（业务骨干）"
REFERENCE_DATE = dt.date(2018, 4, 30)
REGISTRATION_OPENS = dt.date(2018, 5, 2)
INTERVIEW_DAY = dt.date(2018, 5, 19)
NOTICE_START = dt.date(2018, 5, 23)
FINALISED_ON = dt.date(2018, 5, 31)
CANDIDATES = 90
MIN_FROM_EXAM = 60  # the exam is used when at least this many eligible staff sat it
WITHDRAWN = {"面试缺考": 1, "本人放弃": 1}
BUDGET = 500_000
TIERS = [("一档", 8, 24_000), ("二档", 15, 12_000), ("三档", 20, 6_000)]
# The panel: grader01 and six more judges (区审管办、中心和进驻部门的负责人).
JUDGES = [
    ("grader01", ""),
    ("judge02", "徐建明"),
    ("judge03", "金晓红"),
    ("judge04", "楼国强"),
    ("judge05", "沈丽萍"),
    ("judge06", "方卫东"),
    ("judge07", "俞海燕"),
]
HALF = Decimal("0.5")
TENTH = Decimal("0.1")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _to_step(value: float, step: Decimal, low: float = 0, high: float = 100) -> Decimal:
    clipped = Decimal(str(min(high, max(low, value))))
    return ((clipped / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step).quantize(
        Decimal("0.01")
    )


def eligible_staff() -> list[Staff]:
    """临编 in post through May 2018 with a full year of service on the reference date."""
    hired_by = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - 1)
    return list(
        Staff.objects.filter(
            employment_type=Staff.EmploymentType.TEMPORARY, hire_date__lte=hired_by
        )
        .filter(Q(separation__isnull=True) | Q(separation__date__gt=FINALISED_ON))
        .select_related("user")
        .order_by("staff_no")
    )


def _exam_scores(staff: list[Staff]) -> tuple[int | None, dict[int, Decimal]]:
    """The exams demo's exam taken by most of these staff, scaled to 100 points, if any."""
    from chuangkou.exams.models import Exam
    from chuangkou.exams.selectors import candidate_scores, exam_max_score

    ids = {s.pk for s in staff}
    best: tuple[int | None, dict[int, Decimal]] = (None, {})
    for exam in Exam.objects.filter(status=Exam.Status.PUBLISHED).order_by("pk"):
        maximum = Decimal(exam_max_score(exam=exam))
        if maximum <= 0:
            continue
        totals = {k: v for k, v in candidate_scores(exam=exam).items() if k in ids}
        if len(totals) > len(best[1]):
            scaled = {
                k: min(HUNDRED, max(Decimal(0), rounded(Decimal(v) * HUNDRED / maximum)))
                for k, v in totals.items()
            }
            best = (exam.pk, scaled)
    return best if len(best[1]) >= MIN_FROM_EXAM else (None, {})


def _pick(rng: random.Random, staff: list[Staff], exam_scores: dict[int, Decimal]) -> list[Staff]:
    pool = [s for s in staff if s.pk in exam_scores] if exam_scores else staff
    linked = [s for s in pool if s.user_id]  # clerk01/clerk02 take part when eligible
    others = [s for s in pool if not s.user_id]
    chosen = linked + rng.sample(others, min(len(others), CANDIDATES - len(linked)))
    return sorted(chosen, key=lambda s: s.staff_no)


def _abilities(
    rng: random.Random, chosen: list[Staff], exam_scores: dict[int, Decimal]
) -> tuple[dict[int, float], dict[int, Decimal]]:
    """Each candidate's ability (what the interview sees) and written score: from the exam
    when there is one (ability leaning on it), else both drawn around the same ability."""
    ability, written = {}, {}
    for s in chosen:
        if s.pk in exam_scores:
            written[s.pk] = exam_scores[s.pk]
            ability[s.pk] = 0.6 * float(written[s.pk]) + 0.4 * rng.gauss(78, 8)
        else:
            ability[s.pk] = rng.gauss(73, 9)
            written[s.pk] = _to_step(ability[s.pk] + rng.gauss(0, 5), HALF, 30, 99)
        ability[s.pk] = min(97.0, max(45.0, ability[s.pk]))
    return ability, written


def _judges() -> list:
    users = get_user_model().objects
    judges = []
    for username, display_name in JUDGES:
        user = users.filter(username=username).first()
        if user is None:
            user = create_account(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                display_name=display_name,
                roles=[Role.GRADER],
            )
        judges.append(user)
    return judges


def load() -> None:
    rng = random.Random(SEED)
    staff = eligible_staff()
    exam_id, exam_scores = _exam_scores(staff)
    chosen = _pick(rng, staff, exam_scores)
    admin = get_user_model().objects.filter(username="admin").first()

    competition = Competition.objects.create(
        name=NAME,
        year=2018,
        budget=BUDGET,
        written_weight=Decimal(50),
        interview_weight=Decimal(50),
        pass_line=Decimal(60),
        allowed_employment_types=[Staff.EmploymentType.TEMPORARY],
        min_service_years=1,
        service_reference_date=REFERENCE_DATE,
        exam_id=exam_id,
        notice_days=5,
        created_by=admin,
    )
    tiers = Tier.objects.bulk_create(
        Tier(competition=competition, rank_order=n, name=name, quota=quota, annual_amount=amount)
        for n, (name, quota, amount) in enumerate(TIERS, start=1)
    )
    judges = Judge.objects.bulk_create(
        Judge(competition=competition, user=user, seat=seat)
        for seat, user in enumerate(_judges(), start=1)
    )

    # ability drives both scores; each judge has a slight bias of their own
    ability, written = _abilities(rng, chosen, exam_scores)
    bias = [rng.gauss(0, 1.5) for _ in judges]
    withdrawn = rng.sample(chosen, sum(WITHDRAWN.values()))
    reasons = [reason for reason, n in WITHDRAWN.items() for _ in range(n)]
    reason_of = {s.pk: r for s, r in zip(withdrawn, reasons, strict=True)}

    candidates = Candidate.objects.bulk_create(
        Candidate(
            competition=competition,
            staff=s,
            service_years=service_years(s.hire_date, REFERENCE_DATE),
            written_score=written[s.pk],
            status=Candidate.Status.WITHDRAWN if s.pk in reason_of else Candidate.Status.REGISTERED,
            withdraw_reason=reason_of.get(s.pk, ""),
        )
        for s in chosen
    )
    if any(c.pk is None for c in candidates):  # databases that return no ids from bulk inserts
        ids = dict(competition.candidates.values_list("staff_id", "pk"))
        for c in candidates:
            c.pk = ids[c.staff_id]

    scores = []
    for c in candidates:
        if not c.is_active:
            continue
        marks = [_to_step(ability[c.staff_id] + b + rng.gauss(0, 3), TENTH, 40, 99) for b in bias]
        scores.extend(
            InterviewScore(candidate=c, judge=j, score=m)
            for j, m in zip(judges, marks, strict=True)
        )
        c.interview_score = interview_score(marks)
    InterviewScore.objects.bulk_create(scores)
    Candidate.objects.bulk_update(candidates, ["interview_score"])
    apply_ranking(competition)
    _settle_ties(competition)

    notice_end = notice_end_for(NOTICE_START, competition.notice_days)
    Competition.objects.filter(pk=competition.pk).update(
        status=Competition.Status.FINAL,
        created_at=_at(dt.date(2018, 4, 20), 9),
        notice_start=NOTICE_START,
        notice_end=notice_end,
        published_at=_at(NOTICE_START, 9),
        finalised_at=_at(FINALISED_ON, 10),
    )
    competition.candidates.update(registered_at=_at(REGISTRATION_OPENS, 9))
    InterviewScore.objects.filter(candidate__competition=competition).update(
        updated_at=_at(INTERVIEW_DAY, 11)
    )
    objections = _objections(rng, competition)

    placed = competition.candidates.filter(outcome=Candidate.Outcome.PLACED)
    audit.record(
        actor=None,
        action="demo.load",
        object_type="selection",
        after={
            "competition": NAME,
            "candidates": len(candidates),
            "judges": len(judges),
            "interview_scores": len(scores),
            "placed": {t.name: placed.filter(tier=t).count() for t in tiers},
            "annual_cost": sum(t.annual_amount * placed.filter(tier=t).count() for t in tiers),
            "budget": BUDGET,
            "written_from_exam": exam_id,
            "objections": objections,
        },
    )


def _settle_ties(competition: Competition) -> None:
    """A tie at a quota boundary was settled by an extra question (加试): order by staff number."""
    tied = list(
        competition.candidates.filter(outcome=Candidate.Outcome.TIE_PENDING).order_by(
            "rank", "staff__staff_no"
        )
    )
    if not tied:
        return
    for position, c in enumerate(tied, start=1):
        c.tie_break = position
    Candidate.objects.bulk_update(tied, ["tie_break"])
    store_placements(competition)


def _chinese_date(day: dt.date) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日"


def _objections(rng: random.Random, competition: Competition) -> int:
    """One objection raised during the notice and answered before it ended."""
    by = get_user_model().objects.filter(username="lobby01").first()
    admin = get_user_model().objects.filter(username="admin").first()
    placed = list(
        competition.candidates.filter(tier__rank_order=3).select_related("staff").order_by("rank")
    )
    if by is None or not placed:
        return 0
    about = rng.choice(placed)
    objection = Objection.objects.create(
        competition=competition,
        candidate=about,
        submitted_by=by,
        text=f"{about.staff.name} 入职时间较短，是否符合“服务满一年”的报名条件？请核实。",
        status=Objection.Status.REJECTED,
        reply=(
            f"经核查，{about.staff.name} 于 {_chinese_date(about.staff.hire_date)}入职，"
            f"截至 2018 年 4 月 30 日服务满 {about.service_years} 年，符合报名条件。异议不成立。"
        ),
        handled_by=admin,
        handled_at=_at(dt.date(2018, 5, 28), 16),
    )
    Objection.objects.filter(pk=objection.pk).update(submitted_at=_at(dt.date(2018, 5, 25), 10))
    return 1
