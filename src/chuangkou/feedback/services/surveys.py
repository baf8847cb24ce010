"""抽样调查: draw a reproducible stratified sample of completed cases; record the interviews."""

import datetime as dt
import random
import secrets
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.params import DATE_WINDOW_MESSAGE, in_window
from chuangkou.org.models import Department, Region

from .. import permissions
from ..models import Survey, SurveySample, SurveyStratum
from ..statistics import allocate

MAX_SAMPLE_SIZE = 20_000
MAX_VISITS = 20


def local_day_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, end+1 00:00) in the local time zone: an index-friendly date range."""
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def completed_cases(*, region: Region, start: dt.date, end: dt.date):
    """The survey population: cases of the region's centers completed in [start, end]."""
    low, high = local_day_bounds(start, end)
    return Case.objects.filter(
        status=Case.Status.COMPLETED,
        center__region=region,
        completed_at__gte=low,
        completed_at__lt=high,
    )


def _check_draw(actor, name: str, start: dt.date, end: dt.date, size: int, seed) -> None:
    if not permissions.can_manage_surveys(actor):
        raise PermissionDeniedError("只有中心管理员可以组织抽样调查。")
    if not (name or "").strip():
        raise DomainError("请填写调查名称。", field="name")
    if end < start:
        raise DomainError("结束日期不能早于开始日期。", field="period_end")
    if end > timezone.localdate():
        raise DomainError("调查期间不能包含将来的日期。", field="period_end")
    if not 1 <= size <= MAX_SAMPLE_SIZE:
        raise DomainError(f"样本量应在 1 到 {MAX_SAMPLE_SIZE} 之间。", field="sample_size")
    if seed is not None and not 0 <= seed < 2**63:
        raise DomainError("随机种子应为非负整数。", field="seed")


@transaction.atomic
def draw_sample(
    *,
    actor,
    region: Region,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    sample_size: int,
    seed: int | None = None,
) -> Survey:
    """抽样: proportional allocation over departments (at least 1 each where possible), then a
    simple random sample in each department, drawn with `random.Random(seed)` over the cases
    ordered by 受理编号 and the departments ordered by code — same seed, same sample."""
    _check_draw(actor, name, period_start, period_end, sample_size, seed)
    seed = secrets.randbelow(2**31) if seed is None else seed
    population = completed_cases(region=region, start=period_start, end=period_end)
    counts = dict(population.values_list("department").annotate(n=Count("id")).order_by())
    if not counts:
        raise DomainError("该期间没有办结的受理件，无法抽样。", field="period_start")
    survey = Survey.objects.create(
        region=region,
        name=name.strip()[:100],
        period_start=period_start,
        period_end=period_end,
        seed=seed,
        sample_size=sample_size,
        created_by=actor,
        created_at=timezone.now(),
    )
    departments = Department.objects.in_bulk(list(counts))
    codes = {pk: d.code for pk, d in departments.items()}
    allocation = allocate({codes[pk]: n for pk, n in counts.items()}, sample_size)
    rng = random.Random(seed)  # noqa: S311 (a survey sample, not a secret)
    samples = []
    for department in sorted(departments.values(), key=lambda d: d.code):
        n = allocation[department.code]
        stratum = SurveyStratum.objects.create(
            survey=survey, department=department, population=counts[department.pk], sample_size=n
        )
        ids = list(
            population.filter(department=department).order_by("number").values_list("pk", flat=True)
        )
        for case_id in sorted(rng.sample(ids, n)):
            samples.append(SurveySample(survey=survey, stratum=stratum, case_id=case_id))
    SurveySample.objects.bulk_create(samples, batch_size=1000)
    audit.record(
        actor=actor,
        action="feedback.survey.draw",
        obj=survey,
        after={
            "period": f"{period_start}~{period_end}",
            "seed": seed,
            "sample_size": len(samples),
            "allocation": allocation,
        },
    )
    return survey


def answer_problems(reached: bool, visits: int | None, satisfied: bool | None) -> list:
    """(field, message) of each missing or impossible answer of one interview."""
    if not reached:
        return []
    problems = []
    if visits is None:
        problems.append(("visits_reported", "请填写办事人自述的跑动次数"))
    elif not 0 <= visits <= MAX_VISITS:
        problems.append(("visits_reported", f"跑动次数应在 0 到 {MAX_VISITS} 之间"))
    if satisfied is None:
        problems.append(("satisfied", "请选择是否满意"))
    return problems


@transaction.atomic
def record_interview(
    *,
    actor,
    sample: SurveySample,
    reached: bool,
    visits_reported: int | None = None,
    satisfied: bool | None = None,
    note: str = "",
    at: dt.datetime | None = None,
) -> SurveySample:
    """电话回访 result: reached or not; if reached, the visits the person says it took and
    whether they were satisfied. Recording again replaces the earlier result (audited)."""
    if not permissions.can_manage_surveys(actor):
        raise PermissionDeniedError("只有中心管理员可以登记回访结果。")
    sample = SurveySample.objects.select_for_update().get(pk=sample.pk)
    problems = answer_problems(reached, visits_reported, satisfied)
    if problems:
        field, message = problems[0]
        raise DomainError(f"{message}。", field=field)
    if not reached:
        visits_reported, satisfied = None, None
    before = {"reached": sample.reached, "visits": sample.visits_reported, "ok": sample.satisfied}
    sample.reached = bool(reached)
    sample.visits_reported = visits_reported
    sample.satisfied = satisfied
    sample.note = (note or "").strip()[:200]
    sample.interviewer = actor
    sample.interviewed_at = at or timezone.now()
    sample.save()
    audit.record(
        actor=actor,
        action="feedback.survey.interview",
        obj=sample,
        before=before,
        after={"reached": sample.reached, "visits": visits_reported, "ok": satisfied},
    )
    return sample


@dataclass(frozen=True)
class Interview:
    """One interview of an outside body's survey: the case, and the answers if reached."""

    case: Case
    reached: bool
    visits_reported: int | None = None
    satisfied: bool | None = None
    at: dt.datetime | None = None
    note: str = ""


def check_external_survey(
    *, actor, name: str, conducted_by: str, period_start: dt.date, period_end: dt.date
) -> None:
    """The survey's own fields (before any interview is read)."""
    if not permissions.can_manage_surveys(actor):
        raise PermissionDeniedError("只有中心管理员可以导入抽样调查。")
    if not (name or "").strip():
        raise DomainError("请填写调查名称。", field="name")
    if not (conducted_by or "").strip():
        raise DomainError("请填写调查机构。", field="conducted_by")
    if not in_window(period_start):
        raise DomainError(DATE_WINDOW_MESSAGE, field="period_start")
    if period_end < period_start:
        raise DomainError("结束日期不能早于开始日期。", field="period_end")
    if period_end > timezone.localdate():
        raise DomainError("调查期间不能包含将来的日期。", field="period_end")


@transaction.atomic
def import_external_survey(
    *,
    actor,
    region: Region,
    name: str,
    conducted_by: str,
    period_start: dt.date,
    period_end: dt.date,
    interviews: list[Interview],
) -> Survey:
    """外部机构的抽样调查 (the province's sampling survey): its sampled cases — completed in
    the region in the period — and their interviews, stratified by department like a sample
    drawn here, so the survey report reads them the same way."""
    check_external_survey(
        actor=actor,
        name=name,
        conducted_by=conducted_by,
        period_start=period_start,
        period_end=period_end,
    )
    population = completed_cases(region=region, start=period_start, end=period_end)
    ids = {i.case.pk for i in interviews}
    if len(ids) != len(interviews):
        raise DomainError("同一受理件只能回访一次。", field="case")
    if population.filter(pk__in=ids).count() != len(ids):
        raise DomainError("有的受理件不是该区县在调查期间办结的。", field="case")
    survey = Survey.objects.create(
        region=region,
        name=name.strip()[:100],
        conducted_by=conducted_by.strip()[:100],
        period_start=period_start,
        period_end=period_end,
        seed=0,
        sample_size=len(interviews),
        created_by=actor,
        created_at=timezone.now(),
    )
    strata = _strata(survey, population, interviews)
    SurveySample.objects.bulk_create(
        (_sample(survey, strata[i.case.department_id], i) for i in interviews), batch_size=1000
    )
    audit.record(
        actor=actor,
        action="feedback.survey.import",
        obj=survey,
        after={
            "conducted_by": survey.conducted_by,
            "period": f"{period_start}~{period_end}",
            "samples": len(interviews),
            "reached": sum(1 for i in interviews if i.reached),
        },
    )
    return survey


def _strata(survey: Survey, population, interviews: list[Interview]) -> dict:
    drawn = Counter(i.case.department_id for i in interviews)
    counts = dict(
        population.filter(department_id__in=list(drawn))
        .values_list("department")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        department_id: SurveyStratum.objects.create(
            survey=survey,
            department_id=department_id,
            population=counts[department_id],
            sample_size=n,
        )
        for department_id, n in drawn.items()
    }


def _sample(survey: Survey, stratum: SurveyStratum, i: Interview) -> SurveySample:
    return SurveySample(
        survey=survey,
        stratum=stratum,
        case=i.case,
        reached=i.reached,
        visits_reported=i.visits_reported if i.reached else None,
        satisfied=i.satisfied if i.reached else None,
        note=(i.note or "").strip()[:200],
        interviewed_at=i.at,
    )
