"""Setting up a competition: its settings, tiers, interview panel and the early status steps."""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError
from chuangkou.core.roles import Role, has_role
from chuangkou.org.models import Staff

from .. import permissions
from ..models import Candidate, Competition, Judge, Tier
from ..scoring import parse_score
from ._common import STATE_CONFLICT, locked, require_status, set_status
from .results import _results, store_placements

Status = Competition.Status
SETTINGS_FIELDS = (
    "name",
    "year",
    "budget",
    "written_weight",
    "interview_weight",
    "pass_line",
    "allowed_employment_types",
    "min_service_years",
    "service_reference_date",
    "notice_days",
    "exam_id",
)
ELIGIBILITY_FIELDS = {"allowed_employment_types", "min_service_years", "service_reference_date"}
EDITABLE_STATUSES = (Status.DRAFT, Status.REGISTRATION)
# Quotas and the budget may still change until 公示: an over-budget ranking is fixed this way.
ADJUSTABLE_STATUSES = (*EDITABLE_STATUSES, Status.SCORING, Status.RANKED)
ADJUSTABLE_FIELDS = {"budget", "notice_days"}
MAX_TIERS = 6
MAX_JUDGES = 15


def _int(value, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DomainError(f"{label}须为整数。", field=field)
    try:
        number = int(value)
    except ValueError:
        raise DomainError(f"{label}须为整数。", field=field) from None
    if not low <= number <= high:
        raise DomainError(f"{label}须在 {low} 到 {high} 之间。", field=field)
    return number


def _exam_exists(exam_id: int) -> bool:
    """Whether 题库与考试 has this exam."""
    from chuangkou.exams.models import Exam

    return Exam.objects.filter(pk=exam_id).exists()


def _clean_settings(data: dict) -> dict:
    """Normalise and check competition settings; DomainError names the field."""
    clean = dict(data)
    if "name" in clean:
        clean["name"] = (clean["name"] or "").strip()
        if not clean["name"]:
            raise DomainError("请填写竞聘名称。", field="name")
        if len(clean["name"]) > 100:
            raise DomainError("竞聘名称不能超过 100 个字。", field="name")
    if "year" in clean:
        clean["year"] = _int(clean["year"], field="year", label="年度", low=2000, high=2100)
    if "budget" in clean:
        clean["budget"] = _int(
            clean["budget"], field="budget", label="年度预算（元）", low=1, high=2_000_000_000
        )
    for name, label in (
        ("written_weight", "笔试权重"),
        ("interview_weight", "面试权重"),
        ("pass_line", "合格线"),
    ):
        if name in clean:
            clean[name] = parse_score(clean[name], field=name, label=label)
    if "allowed_employment_types" in clean:
        kinds = list(dict.fromkeys(clean["allowed_employment_types"] or []))
        if not kinds:
            raise DomainError("请至少选择一种可报名的用工性质。", field="allowed_employment_types")
        if any(k not in Staff.EmploymentType.values for k in kinds):
            raise DomainError("用工性质只能是在编、临编或派遣。", field="allowed_employment_types")
        clean["allowed_employment_types"] = kinds
    if "min_service_years" in clean:
        clean["min_service_years"] = _int(
            clean["min_service_years"],
            field="min_service_years",
            label="最低服务年限",
            low=0,
            high=40,
        )
    if "service_reference_date" in clean and not isinstance(
        clean["service_reference_date"], dt.date
    ):
        raise DomainError("请填写服务年限计算截止日。", field="service_reference_date")
    if "notice_days" in clean:
        clean["notice_days"] = _int(
            clean["notice_days"], field="notice_days", label="公示期（工作日）", low=1, high=30
        )
    if clean.get("exam_id") is not None:
        clean["exam_id"] = _int(
            clean["exam_id"], field="exam_id", label="笔试考试编号", low=1, high=2**31 - 1
        )
        if not _exam_exists(clean["exam_id"]):
            raise DomainError(f"考试编号 {clean['exam_id']} 不存在。", field="exam_id")
    return clean


def _check_weights(written: Decimal, interview: Decimal) -> None:
    if written + interview != 100:
        raise DomainError(
            f"笔试权重与面试权重之和须为 100%（现为 {(written + interview).normalize():f}%）。",
            field="interview_weight",
        )


def _settings(competition: Competition) -> dict:
    return audit.snapshot(competition, list(SETTINGS_FIELDS))


@transaction.atomic
def create_competition(
    *,
    actor,
    name: str,
    year: int,
    budget: int,
    written_weight: Decimal,
    interview_weight: Decimal,
    pass_line: Decimal,
    allowed_employment_types: list[str],
    min_service_years: int,
    service_reference_date: dt.date,
    notice_days: int = 5,
    exam_id: int | None = None,
) -> Competition:
    """新建竞聘 (draft): weights in percent summing to 100, budget in yuan."""
    permissions.require_manager(actor)
    data = _clean_settings(
        {
            "name": name,
            "year": year,
            "budget": budget,
            "written_weight": written_weight,
            "interview_weight": interview_weight,
            "pass_line": pass_line,
            "allowed_employment_types": allowed_employment_types,
            "min_service_years": min_service_years,
            "service_reference_date": service_reference_date,
            "notice_days": notice_days,
            "exam_id": exam_id,
        }
    )
    _check_weights(data["written_weight"], data["interview_weight"])
    competition = Competition.objects.create(created_by=actor, **data)
    audit.record(
        actor=actor,
        action="selection.competition.create",
        obj=competition,
        after=_settings(competition),
    )
    return competition


@transaction.atomic
def update_competition(*, actor, competition: Competition, changes: dict) -> Competition:
    """修改竞聘设置: while drafting or registering; the eligibility rules only until someone
    has registered; the budget and the notice period until 公示."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, *ADJUSTABLE_STATUSES, doing="修改竞聘设置")
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise DomainError(f"不能修改：{'、'.join(sorted(unknown))}。")
    if competition.status not in EDITABLE_STATUSES and set(changes) - ADJUSTABLE_FIELDS:
        raise DomainError(
            f"竞聘「{competition.name}」当前为「{competition.get_status_display()}」，"
            "只能调整年度预算和公示期。",
            field=sorted(set(changes) - ADJUSTABLE_FIELDS)[0],
            status=STATE_CONFLICT,
        )
    data = _clean_settings(changes)
    if ELIGIBILITY_FIELDS & set(data) and competition.candidates.exists():
        before = {f: getattr(competition, f) for f in ELIGIBILITY_FIELDS & set(data)}
        if any(before[f] != data[f] for f in before):
            field = sorted(ELIGIBILITY_FIELDS & set(data))[0]
            raise DomainError("已有人员报名，不能再修改报名条件。", field=field)
    _check_weights(
        data.get("written_weight", competition.written_weight),
        data.get("interview_weight", competition.interview_weight),
    )
    before = _settings(competition)
    for name, value in data.items():
        setattr(competition, name, value)
    competition.save()
    after = _settings(competition)
    changed = {k for k in after if after[k] != before[k]}
    if changed:
        audit.record(
            actor=actor,
            action="selection.competition.update",
            obj=competition,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )
    return competition


def _clean_tiers(rows: list[dict]) -> list[dict]:
    if not rows:
        raise DomainError("请至少设置一个档次。", field="tiers")
    if len(rows) > MAX_TIERS:
        raise DomainError(f"最多设置 {MAX_TIERS} 个档次。", field="tiers")
    clean = []
    for number, row in enumerate(rows, start=1):
        name = (row.get("name") or "").strip()
        if not name or len(name) > 30:
            raise DomainError(f"第 {number} 档：请填写 30 字以内的档次名称。", field="tiers")
        quota = _int(row.get("quota"), field="tiers", label=f"第 {number} 档名额", low=1, high=999)
        amount = _int(
            row.get("annual_amount"),
            field="tiers",
            label=f"第 {number} 档年度待遇（元）",
            low=1,
            high=10_000_000,
        )
        clean.append({"rank_order": number, "name": name, "quota": quota, "annual_amount": amount})
    names = [row["name"] for row in clean]
    if len(set(names)) != len(names):
        raise DomainError("档次名称不能重复。", field="tiers")
    amounts = [row["annual_amount"] for row in clean]
    if any(a <= b for a, b in zip(amounts, amounts[1:], strict=False)):
        raise DomainError("档次须按年度待遇从高到低排列（第 1 档最高）。", field="tiers")
    return clean


@transaction.atomic
def set_tiers(*, actor, competition: Competition, tiers: list[dict]) -> list[Tier]:
    """设置档次与名额: rows of {name, quota, annual_amount}, highest tier first.

    Allowed until 公示; after ranking, the placements are worked out again from the stored
    scores (an over-budget ranking is fixed by fewer seats or cheaper tiers)."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, *ADJUSTABLE_STATUSES, doing="修改档次")
    rows = _clean_tiers(tiers)
    before = {"tiers": list(competition.tiers.values("name", "quota", "annual_amount"))}
    after = {"tiers": [{k: r[k] for k in ("name", "quota", "annual_amount")} for r in rows]}
    competition.candidates.update(tier=None)
    competition.tiers.all().delete()
    created = Tier.objects.bulk_create(Tier(competition=competition, **row) for row in rows)
    if competition.status == Status.RANKED:
        before["results"] = _results(competition)
        store_placements(competition)
        after["results"] = _results(competition)
    audit.record(
        actor=actor, action="selection.tiers.set", obj=competition, before=before, after=after
    )
    return created


@transaction.atomic
def set_judges(*, actor, competition: Competition, users: list) -> list[Judge]:
    """组建面试评委: users holding the grader role, in seat order."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, *EDITABLE_STATUSES, doing="调整面试评委")
    if not users:
        raise DomainError("请至少选择一名评委。", field="judges")
    if len(users) > MAX_JUDGES:
        raise DomainError(f"评委最多 {MAX_JUDGES} 名。", field="judges")
    if len({u.pk for u in users}) != len(users):
        raise DomainError("评委不能重复。", field="judges")
    not_graders = [str(u) for u in users if not has_role(u, Role.GRADER) or not u.is_active]
    if not_graders:
        raise DomainError(
            f"以下账号没有有效的“阅卷/评委”角色：{'、'.join(not_graders)}。", field="judges"
        )
    before = [j.user.get_username() for j in competition.judges.select_related("user")]
    competition.judges.all().delete()
    judges = Judge.objects.bulk_create(
        Judge(competition=competition, user=u, seat=seat) for seat, u in enumerate(users, start=1)
    )
    audit.record(
        actor=actor,
        action="selection.judges.set",
        obj=competition,
        before={"judges": before},
        after={"judges": [u.get_username() for u in users]},
    )
    return judges


@transaction.atomic
def open_registration(*, actor, competition: Competition) -> Competition:
    """开始报名: draft → registration."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.DRAFT, doing="开始报名")
    change = set_status(competition, Status.REGISTRATION)
    competition.save(update_fields=["status"])
    audit.record(actor=actor, action="selection.registration.open", obj=competition, **change)
    return competition


@transaction.atomic
def start_scoring(*, actor, competition: Competition) -> Competition:
    """截止报名、开始评分: registration → scoring; needs tiers, a panel and candidates."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.REGISTRATION, doing="开始评分")
    if not competition.tiers.exists():
        raise DomainError("请先设置档次与名额。", field="tiers")
    if not competition.judges.exists():
        raise DomainError("请先组建面试评委。", field="judges")
    if not competition.candidates.filter(status=Candidate.Status.REGISTERED).exists():
        raise DomainError("还没有人报名。")
    change = set_status(competition, Status.SCORING)
    competition.save(update_fields=["status"])
    audit.record(actor=actor, action="selection.scoring.start", obj=competition, **change)
    return competition


@transaction.atomic
def reopen_scoring(*, actor, competition: Competition, reason: str) -> Competition:
    """退回评分 (e.g. after an upheld objection): the ranking, tiers and any 公示 are withdrawn;
    scores are kept and may be corrected, then the ranking is computed again."""
    permissions.require_manager(actor)
    competition = locked(competition)
    require_status(competition, Status.RANKED, Status.PUBLISHED, doing="退回评分")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写退回评分的原因。", field="reason")
    results = list(
        competition.candidates.exclude(rank=None).values_list("pk", "rank", "tier__name")
    )
    competition.candidates.update(
        final_score=None, rank=None, tier=None, outcome=Candidate.Outcome.PENDING, tie_break=None
    )
    change = set_status(competition, Status.SCORING)
    change["before"].update(notice_start=competition.notice_start, results=results)
    competition.notice_start = competition.notice_end = competition.published_at = None
    competition.save(update_fields=["status", "notice_start", "notice_end", "published_at"])
    change["after"]["reason"] = reason
    audit.record(actor=actor, action="selection.scoring.reopen", obj=competition, **change)
    return competition
