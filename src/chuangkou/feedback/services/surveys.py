"""抽样调查: draw a reproducible stratified sample of completed cases; record the interviews."""

import datetime as dt
import random
import secrets

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.core import audit
from chuangkou.core.errors import DomainError, PermissionDeniedError
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
    if reached:
        if visits_reported is None:
            raise DomainError("请填写办事人自述的跑动次数。", field="visits_reported")
        if not 0 <= visits_reported <= MAX_VISITS:
            raise DomainError(f"跑动次数应在 0 到 {MAX_VISITS} 之间。", field="visits_reported")
        if satisfied is None:
            raise DomainError("请选择是否满意。", field="satisfied")
    else:
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
