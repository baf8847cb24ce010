"""暗访问题的确认与申辩:

    待确认 --confirm_finding (department head)--> 已确认
    待确认 --dispute_finding (head, with evidence, within 3 working days)--> 申辩中
    申辩中 --decide_dispute (center admin): upheld--> 申辩成立已撤销
                                          rejected--> 已确认
    待确认 past the deadline --confirm_lapsed_findings--> 已确认 (逾期未申辩)

A clerk sees a finding against themselves only once it is confirmed (selectors)."""

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit, uploads
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.permissions import require_role
from chuangkou.core.roles import Role

from .. import permissions
from ..models import Finding
from .common import text

State = Finding.State
EVIDENCE_FOLDER = "supervision/evidence"


def _locked(finding: Finding) -> Finding:
    return Finding.objects.select_for_update().get(pk=finding.pk)


def _require_pending(finding: Finding, doing: str) -> None:
    if finding.state != State.PENDING:
        label = State(finding.state).label
        raise DomainError(f"该问题当前为「{label}」，不能{doing}。", field="state")


def _require_head(actor, finding: Finding) -> None:
    if not permissions.can_answer_finding(actor, finding):
        raise PermissionDeniedError("只有被暗访窗口所在部门的负责人可以确认或申辩。")


def _record(actor, finding: Finding, action: str, before: str, **after) -> Finding:
    audit.record(
        actor=actor,
        action=f"supervision.finding.{action}",
        obj=finding,
        before={"state": before},
        after={"state": finding.state, **after},
    )
    return finding


@transaction.atomic
def confirm_finding(*, actor, finding: Finding) -> Finding:
    """确认: the department accepts the finding."""
    finding = _locked(finding)
    _require_head(actor, finding)
    _require_pending(finding, "确认")
    finding.state = State.CONFIRMED
    finding.answered_by, finding.answered_at = actor, timezone.now()
    finding.save()
    return _record(actor, finding, "confirm", State.PENDING)


@transaction.atomic
def dispute_finding(*, actor, finding: Finding, reason: str, evidence=None) -> Finding:
    """申辩: with the reason and, optionally, a photo or PDF as evidence, by the deadline."""
    finding = _locked(finding)
    _require_head(actor, finding)
    _require_pending(finding, "申辩")
    if timezone.localdate() > finding.confirm_due:
        raise DomainError(
            f"申辩期限（{finding.confirm_due:%Y-%m-%d}，3 个工作日）已过，不能再申辩。",
            field="reason",
        )
    reason = text(reason, field="reason", what="申辩理由", limit=1000, required=True)
    prepared = None
    if evidence:
        prepared = uploads.prepare_upload(
            evidence, kinds=uploads.IMAGES_AND_DOCUMENTS, field="evidence"
        )
    finding.state = State.DISPUTED
    finding.dispute_reason = reason
    finding.answered_by, finding.answered_at = actor, timezone.now()
    if prepared is not None:
        stored = uploads.save_prepared(prepared, folder=EVIDENCE_FOLDER)
        finding.evidence, finding.evidence_type = stored.name, stored.content_type
    try:
        finding.save()
        return _record(actor, finding, "dispute", State.PENDING, reason=reason)
    except BaseException:
        if prepared is not None:
            uploads.delete_upload(finding.evidence.name)
        raise


@transaction.atomic
def decide_dispute(*, actor, finding: Finding, upheld: bool, note: str = "") -> Finding:
    """裁定申辩 (center admin): upheld withdraws the finding, rejected confirms it."""
    require_role(actor, Role.CENTER_ADMIN)
    finding = _locked(finding)
    if finding.state != State.DISPUTED:
        raise DomainError("只有申辩中的问题可以裁定。", field="state")
    finding.state = State.WITHDRAWN if upheld else State.CONFIRMED
    finding.decision_note = text(note, field="note", what="裁定意见", limit=500, required=upheld)
    finding.decided_by, finding.decided_at = actor, timezone.now()
    finding.save()
    return _record(actor, finding, "decide", State.DISPUTED, upheld=upheld, note=note)


@transaction.atomic
def confirm_lapsed_findings(*, today=None) -> int:
    """逾期未申辩视为确认: pending findings past their deadline (run daily)."""
    today = today or timezone.localdate()
    count = 0
    for finding in Finding.objects.select_for_update().filter(
        state=State.PENDING, confirm_due__lt=today
    ):
        finding.state = State.CONFIRMED
        finding.save(update_fields=["state"])
        _record(None, finding, "lapse", State.PENDING, due=finding.confirm_due)
        count += 1
    return count
