"""The feedback part of the demo data: 好差评 ratings, 差评整改 in every state, and the June
2017 and June 2018 sampling surveys.

- Ratings for a sample of the completed demo cases (and of the finished demo tickets, when the
  hall demo made any), about 98.8 % satisfied. History is bulk-inserted (system data, one audit
  entry); its few bad ratings carry finished rectifications (已整改 / 无法整改 / 申诉成立).
- Five recent bad ratings go through the services, so the rectification list shows one 待核实,
  one 整改中, one 已整改, one 申诉中 and one 超期.
- Two surveys of the cases completed from January to May, interviewed in June: their stratified
  实现率 and 满意率 rise by 20.2 and 11.8 percentage points (the briefing: "实现率和满意率比去年
  同期分别提高 20.2% 和 11.8%"). The interview answers are tuned to hit those figures.

Everything is drawn from `random.Random(SEED)` over rows ordered by number, so a load over the
same cases gives the same rows. Without completed cases or finished tickets it rates nothing.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.core import audit
from chuangkou.demo import DEMO_REGION_CODE
from chuangkou.hall.models import Ticket
from chuangkou.org.models import Region

from . import services, summary
from .models import Evaluation, Rectification, RectificationEvent, Survey, SurveySample
from .services.surveys import completed_cases

SEED = 2018
CASE_SHARE, MAX_CASE_RATINGS = 0.08, 3000
TICKET_SHARE, MAX_TICKET_RATINGS = 0.3, 1000
# 非常满意 … 非常不满意: 98.8 % satisfied in the history (98–99 % with the recent bad ones)
LEVEL_WEIGHTS = {5: 81.0, 4: 13.5, 3: 4.3, 2: 0.8, 1: 0.4}
MIN_RATINGS = 400  # rate at least this many (or all) cases, so that small demos look real
CASE_CHANNELS = {"sms": 55, "web": 35, "hotline": 10}
TICKET_CHANNELS = {"pad": 75, "phone": 25}
BAD_COMMENTS = ["等候时间太长", "窗口人员态度生硬", "材料要求前后说法不一", "跑了两次才办成"]
GOOD_COMMENTS = ["", "", "", "服务很耐心", "一次就办好了，很方便", "大堂经理帮忙取号，谢谢"]

State = Rectification.State
Ch = Evaluation.Channel


@dataclass(frozen=True)
class SurveyPlan:
    year: int
    seed: int
    reach: float  # share of the sample reached by phone
    realization: float  # target of the stratified 实现率
    satisfaction: float  # target of the stratified 满意率


# 2018 − 2017: 实现率 +20.2, 满意率 +11.8 percentage points.
SURVEYS = [
    SurveyPlan(2017, 20170601, 0.86, 0.6850, 0.8420),
    SurveyPlan(2018, 20180601, 0.91, 0.8870, 0.9600),
]
SURVEY_SIZE = 400
MIN_POPULATION = 30


def load() -> None:
    rng = random.Random(SEED)
    admin = get_user_model().objects.filter(username="admin").first()
    head = get_user_model().objects.filter(username="depthead01").first()
    rated = _rate_history(rng)
    featured = _featured_bad_ratings(admin=admin, head=head)
    surveys = [_survey(plan, admin) for plan in SURVEYS] if admin else []
    audit.record(
        actor=None,
        action="feedback.demo.load",
        object_type="feedback.evaluation",
        after={
            "ratings": rated,
            "featured": featured,
            "surveys": [s.name for s in surveys if s],
        },
    )


def finish() -> None:
    """After every app's demo (1call's ratings come later, consult/demo.py): the past days'
    满意率日汇总, so that the figures take the fast path."""
    first = Evaluation.objects.order_by("rated_on").values_list("rated_on", flat=True).first()
    if first is not None:
        summary.rebuild_range(start=first, end=summary.closed_before())


# history -----------------------------------------------------------------------------------------


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _sample_ids(rng, qs, share: float, cap: int, floor: int = 0) -> list[int]:
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    size = min(cap, len(ids), max(int(len(ids) * share), floor))
    return sorted(rng.sample(ids, size))


def _rated_at(rng, finished: dt.datetime, now: dt.datetime) -> dt.datetime:
    return min(now, finished + dt.timedelta(minutes=rng.randint(3, 72 * 60)))


def _rate_history(rng: random.Random) -> int:
    now = timezone.now()
    cases = Case.objects.filter(status=Case.Status.COMPLETED, completed_at__isnull=False)
    tickets = Ticket.objects.filter(status=Ticket.Status.DONE, finished_at__isnull=False)
    rows = []
    for case in cases.filter(
        pk__in=_sample_ids(rng, cases, CASE_SHARE, MAX_CASE_RATINGS, MIN_RATINGS)
    ):
        rows.append(
            _evaluation(
                rng,
                now,
                case.completed_at,
                case=case,
                channel=_pick(rng, CASE_CHANNELS),
                staff_id=case.clerk_id,
                window_id=case.window_id,
                department_id=case.department_id,
                center_id=case.center_id,
            )
        )
    picked = _sample_ids(rng, tickets, TICKET_SHARE, MAX_TICKET_RATINGS)
    for ticket in tickets.filter(pk__in=picked).select_related("window", "queue", "clerk"):
        department = ticket.window.department_id if ticket.window else None
        rows.append(
            _evaluation(
                rng,
                now,
                ticket.finished_at,
                ticket=ticket,
                channel=_pick(rng, TICKET_CHANNELS),
                staff_id=ticket.clerk_id,
                window_id=ticket.window_id,
                department_id=department or (ticket.clerk.department_id if ticket.clerk else None),
                center_id=ticket.queue.center_id,
            )
        )
    Evaluation.objects.bulk_create(rows, batch_size=1000)
    _close_history_rectifications(rng, now)
    return len(rows)


def _evaluation(rng, now, finished, **fields) -> Evaluation:
    level = _pick(rng, LEVEL_WEIGHTS)
    created_at = _rated_at(rng, finished, now)
    comment = rng.choice(BAD_COMMENTS) if level <= 2 else rng.choice(GOOD_COMMENTS)
    return Evaluation(
        level=level,
        comment=comment,
        created_at=created_at,
        rated_on=timezone.localdate(created_at),
        **fields,
    )


def _close_history_rectifications(rng: random.Random, now: dt.datetime) -> None:
    """The bad ratings of the history were all dealt with: mostly 已整改, a few not."""
    bad = Evaluation.objects.filter(level__lte=2, rectification__isnull=True).order_by("pk")
    for evaluation in bad:
        callback_due, reply_due = services.rectification_deadlines(evaluation.rated_on)
        roll = rng.random()
        state = State.RECTIFIED if roll < 0.86 else (State.UNRECTIFIABLE if roll < 0.93 else None)
        called = min(now, evaluation.created_at + dt.timedelta(hours=rng.randint(1, 20)))
        closed = min(now, called + dt.timedelta(days=rng.randint(1, 12)))
        rect = Rectification(
            evaluation=evaluation,
            callback_due=callback_due,
            reply_due=reply_due,
            opened_at=evaluation.created_at,
            callback_at=called,
            callback_note="已电话回访，向办事人致歉并了解情况",
        )
        if state is None:  # 申诉成立: a malicious rating
            rect.state = State.INVALIDATED
            rect.appeal_kind = Rectification.AppealKind.MALICIOUS
            rect.appeal_reason = "经调取窗口录音录像，评价人与窗口无业务往来，系恶意评价"
            rect.appealed_at = called
            rect.appeal_decision = Rectification.Decision.UPHELD
            rect.decision_note = "经核实属实，认定为无效评价"
            rect.decided_at = closed
            evaluation.invalidated = True
            evaluation.save(update_fields=["invalidated"])
        else:
            rect.state = state
            rect.rectified_at = closed
            rect.reply = (
                "已对窗口人员开展服务规范培训，并向办事人反馈整改情况"
                if state == State.RECTIFIED
                else "所提诉求超出法定办理条件，已向办事人解释政策依据"
            )
        rect.save()
        _history_events(rect, called, closed)


def _history_events(rect: Rectification, called: dt.datetime, closed: dt.datetime) -> None:
    steps = [(rect.opened_at, "差评生成整改", "", State.PENDING)]
    steps.append((called, "登记回访", State.PENDING, State.RECTIFYING))
    if rect.state == State.INVALIDATED:
        steps = steps[:1] + [(called, "提出申诉", State.PENDING, State.APPEALING)]
        steps.append((closed, "审核申诉", State.APPEALING, State.INVALIDATED))
    else:
        steps.append((closed, "整改反馈", State.RECTIFYING, rect.state))
    RectificationEvent.objects.bulk_create(
        RectificationEvent(rectification=rect, at=at, action=action, from_state=a, to_state=b)
        for at, action, a, b in steps
    )


# five recent bad ratings through the services ---------------------------------------------


def _featured_subject(head, days: int, used: list[dict]) -> dict | None:
    """An unrated finished service finished at least `days` days ago, the latest such: a case
    of depthead01's department first, then any case, then a ticket."""
    cutoff = timezone.now() - dt.timedelta(days=days, hours=1)
    cases = Case.objects.filter(
        status=Case.Status.COMPLETED, evaluations__isnull=True, completed_at__lte=cutoff
    ).exclude(pk__in=[u["case"].pk for u in used if "case" in u])
    tickets = Ticket.objects.filter(
        status=Ticket.Status.DONE, evaluations__isnull=True, finished_at__lte=cutoff
    ).exclude(pk__in=[u["ticket"].pk for u in used if "ticket" in u])
    headed = cases.filter(department__heads=head) if head else cases.none()
    for qs, key, order in ((headed, "case", "-completed_at"), (cases, "case", "-completed_at")):
        found = qs.order_by(order, "pk").first()
        if found is not None:
            return {key: found}
    ticket = tickets.order_by("-finished_at", "pk").first()
    return {"ticket": ticket} if ticket else None


def _featured_bad_ratings(*, admin, head) -> int:
    if admin is None:
        return 0
    now = timezone.now()
    # (days ago, level, comment, what happens next)
    plans = [
        (2, 1, "办事人员故意刁难", "appeal"),
        (6, 2, "咨询电话一直打不通", None),  # left alone: 超期 after the callback deadline
        (1, 2, "材料清单和网上写的不一致，白跑一趟", "rectified"),
        (0, 2, "叫号后等了二十分钟才开始办理", None),
        (0, 1, "窗口人员说话不耐烦", "callback"),
    ]
    used: list[dict] = []
    for days, level, comment, then in plans:
        subject = _featured_subject(head, days, used)
        if subject is None:
            continue
        used.append(subject)
        finished = (
            subject["case"].completed_at if "case" in subject else subject["ticket"].finished_at
        )
        at = max(finished, now - dt.timedelta(days=days, hours=1))
        evaluation = services.rate(
            actor=admin,
            channel=Ch.HOTLINE,
            level=level,
            comment=comment,
            at=at,
            contact_phone="13957100000",
            **subject,
        )
        _follow_through(evaluation.rectification, then, admin=admin, head=head)
    services.flag_overdue()
    return len(used)


def _follow_through(rect: Rectification, then: str | None, *, admin, head) -> None:
    handler = (
        head if head and rect.evaluation.department.heads.filter(pk=head.pk).exists() else admin
    )
    if then in ("callback", "rectified"):
        rect = services.record_callback(
            actor=handler, rectification=rect, note="已电话联系办事人，核实情况属实并致歉"
        )
    if then == "rectified":
        services.record_rectification(
            actor=handler,
            rectification=rect,
            reply="已统一窗口与网上办事指南的材料清单，并电话告知办事人可一次办结",
        )
    if then == "appeal":
        services.appeal(
            actor=handler,
            rectification=rect,
            kind=Rectification.AppealKind.INVALID,
            reason="经查该事项因申请人材料不全依法不能当场办结，窗口已一次性告知补正材料",
        )


# surveys -----------------------------------------------------------------------------------------


def _survey(plan: SurveyPlan, admin):
    region = Region.objects.filter(code=DEMO_REGION_CODE).first()
    if region is None:
        return None
    start, end = dt.date(plan.year, 1, 1), dt.date(plan.year, 5, 31)
    population = completed_cases(region=region, start=start, end=end).count()
    if population < MIN_POPULATION:
        return None
    survey = services.draw_sample(
        actor=admin,
        region=region,
        name=f"{plan.year}年6月“最多跑一次”抽样调查评估",
        period_start=start,
        period_end=end,
        sample_size=min(SURVEY_SIZE, population),
        seed=plan.seed,
    )
    rng = random.Random(plan.seed)
    interviewed_at = dt.datetime(plan.year, 6, 12, 10, tzinfo=timezone.get_current_timezone())
    Survey.objects.filter(pk=survey.pk).update(created_at=interviewed_at)
    _answer(survey, plan, rng, admin, interviewed_at)
    return survey


def _answer(survey, plan: SurveyPlan, rng: random.Random, admin, at: dt.datetime) -> None:
    strata = list(survey.strata.order_by("department__code"))
    reached = {
        s.pk: [x for x in s.samples.order_by("case__number") if rng.random() < plan.reach]
        for s in strata
    }
    weights = {s.pk: s.population for s in strata if reached[s.pk]}
    realized = tune(weights, {k: len(v) for k, v in reached.items()}, plan.realization, rng)
    satisfied = tune(weights, {k: len(v) for k, v in reached.items()}, plan.satisfaction, rng)
    answers: dict[tuple[int, bool], list[int]] = {}
    for stratum in strata:
        people = reached[stratum.pk]
        rng.shuffle(people)
        # the first x say it took at most one visit; the first s are satisfied (realised first)
        x, s = realized.get(stratum.pk, 0), satisfied.get(stratum.pk, 0)
        for i, sample in enumerate(people):
            visits = rng.choice([1] * 9 + [0]) if i < x else rng.choice([2, 2, 2, 3])
            answers.setdefault((visits, i < s), []).append(sample.pk)
    survey.samples.update(reached=False, interviewer=admin, interviewed_at=at)
    for (visits, happy), ids in sorted(answers.items()):
        SurveySample.objects.filter(pk__in=ids).update(
            reached=True, visits_reported=visits, satisfied=happy
        )


def tune(weights: dict, respondents: dict, target: float, rng: random.Random) -> dict:
    """Counts x_h ≤ r_h whose stratified proportion Σ W_h x_h / r_h lies as close to `target`
    as single and paired ±1 moves can bring it (within 0.0002 on demo-sized samples)."""
    total = sum(weights.values())
    step = {k: weights[k] / total / respondents[k] for k in weights}
    x = {
        k: min(respondents[k], max(0, round(respondents[k] * rng.gauss(target, 0.03))))
        for k in weights
    }

    def estimate(counts):
        return sum(step[k] * counts[k] for k in weights)

    keys = sorted(weights)
    moves = [((k, 1),) for k in keys] + [((k, -1),) for k in keys]
    moves += [((a, 1), (b, -1)) for a in keys for b in keys if a != b]
    best = abs(estimate(x) - target)
    while best > 0.00005:
        candidates = []
        for move in moves:
            trial = dict(x)
            for k, d in move:
                trial[k] += d
            if all(0 <= trial[k] <= respondents[k] for k, _ in move):
                candidates.append((abs(estimate(trial) - target), move, trial))
        if not candidates:
            break
        gap, _, trial = min(candidates, key=lambda c: c[0])
        if gap >= best:
            break
        best, x = gap, trial
    return x
