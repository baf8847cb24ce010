"""课件 and the year-end 业务讲堂大 PK: upload (type from the bytes), panel scores by the stated
criteria, one vote per staff member, selection for the handbook."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from chuangkou.core import audit, uploads
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role
from chuangkou.supervision.services.common import text

from .. import permissions
from ..models import Courseware, PkContest, PkScore, PkVote
from .events import staff_of

MAX_BYTES = 50 * 1024 * 1024
KINDS = uploads.DOCUMENTS | uploads.OFFICE
DEFAULT_CRITERIA = [["内容实用性", 40], ["案例典型性", 30], ["讲解表达", 20], ["课件制作", 10]]


@transaction.atomic
def upload_courseware(
    *,
    actor,
    title: str,
    domain: str,
    summary: str,
    key_points: str,
    speaker: str,
    file,
    event=None,
) -> Courseware:
    """上传课件 (PDF/PPTX/DOCX ≤ 50 MB, the type checked from the bytes)."""
    require_role(actor, *permissions.STAFF_ROLES)
    values = {
        "title": text(title, field="title", what="课件名称", limit=100, required=True),
        "domain": text(domain, field="domain", what="业务领域", limit=50, required=True),
        "summary": text(summary, field="summary", what="内容摘要", limit=2000, required=True),
        "key_points": text(key_points, field="key_points", what="要点", limit=2000, required=True),
        "speaker": text(speaker, field="speaker", what="主讲人", limit=50, required=True),
    }
    if file is None:
        raise DomainError("请选择课件文件。", field="file")
    prepared = uploads.prepare_upload(file, kinds=KINDS, max_bytes=MAX_BYTES, field="file")
    stored = uploads.save_prepared(prepared, folder="training/courseware")
    try:
        courseware = Courseware.objects.create(
            **values,
            event=event,
            file=stored.name,
            content_type=stored.content_type,
            size=stored.size,
            sha256=stored.sha256,
            original_name=stored.original_name or f"{values['title']}",
            uploaded_by=actor,
            year=(event.starts_at if event else timezone.now()).year,
        )
        audit.record(
            actor=actor,
            action="training.courseware.upload",
            obj=courseware,
            after={"title": courseware.title, "sha256": stored.sha256, "size": stored.size},
        )
    except BaseException:
        uploads.delete_upload(stored.name)
        raise
    return courseware


def _criteria(criteria) -> list[list]:
    rows = [[str(name).strip(), int(points)] for name, points in criteria]
    if not rows or any(not name or points <= 0 for name, points in rows):
        raise DomainError("请写明每项评分标准及其满分。", field="criteria")
    return rows


@transaction.atomic
def create_pk(*, actor, name: str, year: int, entries, panel, criteria=None) -> PkContest:
    """发起业务讲堂大 PK of a year, with its entries, panel and stated criteria."""
    require_role(actor, *permissions.SUGGESTION_ADMIN_ROLES)
    if PkContest.objects.filter(year=year).exists():
        raise DomainError(f"{year} 年度的大 PK 已发起。", field="year")
    contest = PkContest.objects.create(
        name=text(name, field="name", what="名称", limit=100, required=True),
        year=year,
        criteria=_criteria(criteria or DEFAULT_CRITERIA),
    )
    contest.entries.set(entries)
    contest.panel.set(panel)
    audit.record(
        actor=actor,
        action="training.pk.create",
        obj=contest,
        after={"criteria": contest.criteria, "entries": [c.pk for c in entries]},
    )
    return contest


def _entry(contest: PkContest, courseware: Courseware) -> None:
    if not contest.entries.filter(pk=courseware.pk).exists():
        raise DomainError("该课件不在本次大 PK 中。", status=404)


PkStatus = PkContest.Status


def _locked_contest(contest: PkContest) -> PkContest:
    return PkContest.objects.select_for_update().get(pk=contest.pk)


def _require_open(contest: PkContest) -> None:
    """Scores and votes only while the contest is open (the row is locked by the caller, so a
    close waits for the vote in flight and a vote after the close is refused)."""
    if contest.status == PkStatus.DRAFT:
        raise DomainError("本次大 PK 尚未开始评分和投票。", status=409)
    if contest.status == PkStatus.CLOSED:
        raise DomainError("本次大 PK 已结束，不能再评分或投票。", status=409)


@transaction.atomic
def open_pk(*, actor, contest: PkContest) -> PkContest:
    """开始评分和投票 (筹备中 → 评分投票中): the center admin, with entries and a panel."""
    require_role(actor, *permissions.SUGGESTION_ADMIN_ROLES)
    contest = _locked_contest(contest)
    if contest.status != PkStatus.DRAFT:
        raise DomainError(f"本次大 PK {contest.get_status_display()}，不能再开始。", status=409)
    if not contest.entries.exists():
        raise DomainError("请先确定参赛课件。", field="entries")
    if not contest.panel.exists():
        raise DomainError("请先确定评委。", field="panel")
    contest.status, contest.opened_at = PkStatus.OPEN, timezone.now()
    contest.save(update_fields=["status", "opened_at"])
    audit.record(
        actor=actor,
        action="training.pk.open",
        obj=contest,
        before={"status": PkStatus.DRAFT},
        after={"status": contest.status},
    )
    return contest


@transaction.atomic
def close_pk(*, actor, contest: PkContest) -> PkContest:
    """结束评分和投票 (评分投票中 → 已结束): the results are final and published."""
    from .. import selectors

    require_role(actor, *permissions.SUGGESTION_ADMIN_ROLES)
    contest = _locked_contest(contest)
    if contest.status != PkStatus.OPEN:
        raise DomainError(f"本次大 PK {contest.get_status_display()}，不能结束。", status=409)
    contest.status, contest.closed_at = PkStatus.CLOSED, timezone.now()
    contest.save(update_fields=["status", "closed_at"])
    ranking = [
        {"entry": s.courseware.pk, "final": s.final, "votes": s.votes}
        for s in selectors.pk_standings(contest)
    ]
    audit.record(
        actor=actor,
        action="training.pk.close",
        obj=contest,
        before={"status": PkStatus.OPEN},
        after={"status": contest.status, "ranking": ranking},
    )
    return contest


@transaction.atomic
def select_pk_entries(*, actor, contest: PkContest, entries) -> list[Courseware]:
    """确定汇编课件: after the contest closes, the center admin picks which entries are
    compiled into the handbook; the other entries of the contest are left out."""
    require_role(actor, *permissions.SUGGESTION_ADMIN_ROLES)
    contest = _locked_contest(contest)
    if contest.status != PkStatus.CLOSED:
        raise DomainError("大 PK 结束后才能确定汇编课件。", status=409)
    chosen = {c.pk for c in entries}
    all_entries = set(contest.entries.values_list("pk", flat=True))
    if not chosen:
        raise DomainError("请至少选择一个课件。", field="entries")
    if not chosen <= all_entries:
        raise DomainError("所选课件不在本次大 PK 中。", field="entries")
    before = sorted(
        Courseware.objects.filter(pk__in=all_entries, selected=True).values_list("pk", flat=True)
    )
    Courseware.objects.filter(pk__in=chosen).update(selected=True)
    Courseware.objects.filter(pk__in=all_entries - chosen).update(selected=False)
    audit.record(
        actor=actor,
        action="training.pk.select",
        obj=contest,
        before={"selected": before},
        after={"selected": sorted(chosen)},
    )
    return list(Courseware.objects.filter(pk__in=chosen).order_by("domain", "title", "pk"))


@transaction.atomic
def score_entry(*, actor, contest: PkContest, courseware: Courseware, points: dict) -> PkScore:
    """评委打分: a panel member, each stated criterion between 0 and its maximum; a second
    scoring of the same entry replaces the first (audited with before and after)."""
    if not contest.panel.filter(pk=actor.pk).exists():
        raise PermissionDeniedError("只有本次大 PK 的评委可以打分。")
    contest = _locked_contest(contest)
    _require_open(contest)
    _entry(contest, courseware)
    clean = {}
    for name, maximum in contest.criteria:
        value = points.get(name)
        try:
            value = Decimal(str(value)).quantize(Decimal("0.1"))
        except ArithmeticError:
            raise DomainError(f"「{name}」须为数字。", field=name) from None
        if not value.is_finite():
            raise DomainError(f"「{name}」须为数字。", field=name)
        if not Decimal(0) <= value <= maximum:
            raise DomainError(f"「{name}」须在 0 至 {maximum} 分之间。", field=name)
        clean[name] = str(value)
    total = sum(Decimal(v) for v in clean.values())
    earlier = PkScore.objects.filter(contest=contest, courseware=courseware, judge=actor).first()
    score, _ = PkScore.objects.update_or_create(
        contest=contest,
        courseware=courseware,
        judge=actor,
        defaults={"points": clean, "total": total},
    )
    audit.record(
        actor=actor,
        action="training.pk.score",
        obj=score,
        before={"total": str(earlier.total)} if earlier else None,
        after={"points": clean, "total": str(total)},
    )
    return score


@transaction.atomic
def vote_entry(*, actor, contest: PkContest, courseware: Courseware) -> PkVote:
    """员工投票: one vote per staff member per contest (the unique constraint decides)."""
    require_role(actor, *permissions.STAFF_ROLES)
    staff = staff_of(actor)
    contest = _locked_contest(contest)
    _require_open(contest)
    _entry(contest, courseware)
    try:
        with transaction.atomic():
            vote = PkVote.objects.create(contest=contest, courseware=courseware, voter=staff)
    except IntegrityError:
        raise DomainError("您已投过票，每人限投一票。", status=409) from None
    audit.record(actor=actor, action="training.pk.vote", obj=vote, after={"entry": courseware.pk})
    return vote


@transaction.atomic
def select_for_handbook(*, actor, courseware: Courseware, selected: bool) -> Courseware:
    """入选汇编: the center admin picks the courseware compiled into the handbook."""
    require_role(actor, *permissions.SUGGESTION_ADMIN_ROLES)
    before = courseware.selected
    Courseware.objects.filter(pk=courseware.pk).update(selected=selected)
    courseware.selected = selected
    audit.record(
        actor=actor,
        action="training.courseware.select",
        obj=courseware,
        before={"selected": before},
        after={"selected": selected},
    )
    return courseware


def compile_handbook(*, actor, year: int) -> bytes:
    """课件汇编成册: the docx of the year's selected courseware (the download is audited)."""
    from .. import selectors
    from ..handbook import handbook_docx

    require_role(actor, *permissions.SUGGESTION_ADMIN_ROLES)
    if not 2000 <= year <= 2100:
        raise DomainError("年度须在 2000 至 2100 之间。", field="year")
    entries = list(selectors.handbook_entries(year))
    if not entries:
        raise DomainError(f"{year} 年度还没有入选汇编的课件。", field="year", status=404)
    data = handbook_docx(entries, title=f"{year} 年业务讲堂课件汇编")
    audit.record(
        actor=actor,
        action="data.export",
        object_type="training.handbook",
        after={"year": year, "entries": len(entries)},
    )
    return data
