"""The pre-review part of the demo: half a year of 材料预审 at the main center up to today.

Drawn from the demo catalog: matters with required materials that a queue of the main center
serves. About eight pre-reviews a working day; most pass at the first submission, some need one
or two rounds of 补正 (reasons from the material's common problems); a few are abandoned or still
waiting. Four in ten of the passed ones are linked to a later case of the same matter (accepted
within ten days, at the window), nearly always one that took a single trip — the demo's
visits-saved figure is therefore by construction, not a measurement. No files are written: the
materials are shown as deleted when their case closed more than PREREVIEW_FILE_DAYS ago.
Deterministic: every draw comes from `random.Random(SEED)`.
"""

import datetime as dt
import random
from collections import defaultdict

from django.conf import settings
from django.utils import timezone

from chuangkou.cases.models import Case
from chuangkou.catalog.models import Material
from chuangkou.core import audit
from chuangkou.core.calendar import is_working_day
from chuangkou.hall.models import ServiceQueue
from chuangkou.org.models import Center, Staff

from .models import PreReview, PreReviewItem, ReviewRecord
from .problems import problems_for

SEED = 20180712
DAYS = 183
PER_DAY = 8
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明"]
COMPANIES = ["杭州某某餐饮管理有限公司", "杭州武林商贸有限公司", "杭州下城科技有限公司"]
NOTES = ["", "", "请重新拍摄，四角完整", "请上传清晰的彩色扫描件", "第 2 页缺失"]


def _name(rng: random.Random) -> str:
    if rng.random() < 0.2:
        return rng.choice(COMPANIES)
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _moment(day: dt.date, rng: random.Random, after: dt.datetime | None = None) -> dt.datetime:
    moment = timezone.make_aware(
        dt.datetime.combine(day, dt.time(rng.randint(8, 20), rng.randint(0, 59)))
    )
    if after is not None and moment <= after:
        moment = after + dt.timedelta(minutes=rng.randint(20, 240))
    return moment


def _plan(rng, matters, materials_of, reviewers_of, today):
    """(pre-review fields, [(material, required, status, problem, label, note, reviewer, at)],
    [(material, submission, decision, problem, label, note, reviewer, at)])."""
    plans = []
    for back in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=back)
        if not is_working_day(day):
            continue
        for _ in range(rng.randint(PER_DAY - 3, PER_DAY + 3)):
            matter = rng.choice(matters)
            materials = materials_of[matter.pk]
            reviewer = rng.choice(reviewers_of[matter.department_id])
            started = _moment(day, rng)
            rounds = rng.choices([0, 1, 2], weights=[62, 30, 8])[0]
            fate = rng.random()
            at = started
            reviews, fixed = [], {}
            submissions = 0
            status = PreReview.Status.PASSED
            for round_no in range(rounds + 1):
                submissions += 1
                at = at + dt.timedelta(hours=rng.randint(1, 30))
                last = round_no == rounds
                pending = [m for m in materials if m.requirement == "required"]
                if round_no:
                    pending = [m for m in pending if m.pk in fixed]
                fixed = {}
                for m in pending:
                    if not last and (not fixed or rng.random() < 0.3):
                        code, label = rng.choice(problems_for(m.name)[:4])
                        fixed[m.pk] = (code, label, rng.choice(NOTES))
                        reviews.append(
                            (m, submissions, "fix", code, label, fixed[m.pk][2], reviewer, at)
                        )
                    else:
                        reviews.append((m, submissions, "pass", "", "", "", reviewer, at))
                if not last and fate < 0.06:  # gave up after being asked to fix
                    status = PreReview.Status.NEEDS_FIX
                    break
            passed_at = at if status == PreReview.Status.PASSED else None
            if back <= 2 and fate > 0.7:  # recent, not looked at yet
                status, passed_at, reviews, submissions = PreReview.Status.REVIEWING, None, [], 1
            plans.append(
                {
                    "matter": matter,
                    "started_at": started,
                    "submitted_at": at if submissions else None,
                    "status": status,
                    "passed_at": passed_at,
                    "submissions": submissions,
                    "fix_rounds": len({r[1] for r in reviews if r[2] == "fix"}),
                    "reviews": reviews,
                    "name": _name(rng),
                    "phone": f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
                }
            )
    return plans


def _cases_by_matter(matter_ids, since: dt.date):
    found = defaultdict(list)
    rows = (
        Case.objects.filter(
            matter_id__in=matter_ids, accepted_date__gte=since, channel=Case.Channel.WINDOW
        )
        .order_by("accepted_date", "pk")
        .values_list("pk", "matter_id", "accepted_date", "visits", "status", "completed_at")
    )
    for row in rows:
        found[row[1]].append(row)
    return found


def load() -> None:
    main = Center.objects.filter(kind=Center.Kind.MAIN).order_by("pk").first()
    if main is None:
        return
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    today = timezone.localdate()
    served = ServiceQueue.objects.filter(center=main, is_active=True).values("matters")
    materials_of = defaultdict(list)
    for m in Material.objects.filter(matter__in=served, matter__is_active=True).select_related(
        "matter"
    ):
        materials_of[m.matter_id].append(m)
    matters = sorted(
        {m.matter for ms in materials_of.values() for m in ms if m.requirement == "required"},
        key=lambda m: m.code,
    )
    if not matters:
        return
    reviewers_of = defaultdict(list)
    for staff in Staff.objects.filter(center=main, user__isnull=False).select_related("user"):
        reviewers_of[staff.department_id].append(staff.user)
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.filter(username="admin").first()
    for matter in matters:
        reviewers_of[matter.department_id] = reviewers_of[matter.department_id] or [admin]
    plans = _plan(rng, matters, materials_of, reviewers_of, today)
    cases = _cases_by_matter([m.pk for m in matters], today - dt.timedelta(days=DAYS))
    used: set[int] = set()
    keep = dt.timedelta(days=int(getattr(settings, "PREREVIEW_FILE_DAYS", 30)))
    now = timezone.now()
    rows = []
    for plan in plans:
        case_id, deleted = None, None
        if plan["passed_at"] and rng.random() < 0.4:
            first = timezone.localdate(plan["passed_at"])
            options = [
                c
                for c in cases[plan["matter"].pk]
                if first <= c[2] <= first + dt.timedelta(days=10) and c[0] not in used
            ]
            single = [c for c in options if c[3] <= 1]
            pool = single if single and rng.random() < 0.95 else options
            if pool:
                chosen = rng.choice(pool)
                used.add(chosen[0])
                case_id = chosen[0]
                closed = chosen[5]
                if chosen[4] not in Case.OPEN_STATUSES and closed and closed + keep < now:
                    deleted = closed + keep
        rows.append(
            PreReview(
                matter=plan["matter"],
                center=main,
                applicant_name=plan["name"],
                phone=plan["phone"],
                status=plan["status"],
                submissions=plan["submissions"],
                fix_rounds=plan["fix_rounds"],
                started_at=plan["started_at"],
                submitted_at=plan["submitted_at"],
                passed_at=plan["passed_at"],
                case_id=case_id,
                files_deleted_at=deleted,
            )
        )
    created = PreReview.objects.bulk_create(rows, batch_size=500)
    if not created or created[0].pk is None:  # backends that return no ids
        created = list(PreReview.objects.order_by("pk"))
    items, records = [], []
    for prereview, plan in zip(created, plans, strict=True):
        last = {}
        for m, _submission, decision, code, label, note, reviewer, at in plan["reviews"]:
            last[m.pk] = (decision, code, label, note, reviewer, at)
        for m in materials_of[plan["matter"].pk]:
            decision = last.get(m.pk)
            if decision:
                status = "passed" if decision[0] == "pass" else "needs_fix"
            else:
                status = "pending" if m.requirement == "required" else "missing"
            items.append(
                PreReviewItem(
                    prereview=prereview,
                    material=m,
                    required=m.requirement == "required",
                    status=status,
                    uploads=1 if status != "missing" else 0,
                    uploaded_at=plan["started_at"] if status != "missing" else None,
                    problem=decision[1] if decision else "",
                    problem_label=decision[2] if decision else "",
                    note=decision[3] if decision else "",
                    reviewed_by=decision[4] if decision else None,
                    reviewed_at=decision[5] if decision else None,
                )
            )
    PreReviewItem.objects.bulk_create(items, batch_size=1000)
    item_of = {
        (i.prereview_id, i.material_id): i.pk
        for i in PreReviewItem.objects.filter(prereview__in=created).only(
            "pk", "prereview_id", "material_id"
        )
    }
    for prereview, plan in zip(created, plans, strict=True):
        for m, submission, decision, code, label, note, reviewer, at in plan["reviews"]:
            records.append(
                ReviewRecord(
                    item_id=item_of[(prereview.pk, m.pk)],
                    submission=submission,
                    decision=decision,
                    problem=code,
                    problem_label=label,
                    note=note,
                    reviewer=reviewer,
                    at=at,
                )
            )
    ReviewRecord.objects.bulk_create(records, batch_size=1000)
    audit.record(
        actor=None,
        action="prereview.demo_load",
        obj=main,
        after={"prereviews": len(created), "linked_cases": len(used), "reviews": len(records)},
    )
