"""Helpers shared by the selection services: locking, state checks, snapshots."""

from decimal import Decimal

from chuangkou.core.errors import DomainError

from ..models import Candidate, Competition

STATE_CONFLICT = 409


def locked(competition: Competition) -> Competition:
    """The competition row, locked for the rest of the transaction (fresh from the database)."""
    return Competition.objects.select_for_update().get(pk=competition.pk)


def locked_candidate(candidate: Candidate) -> Candidate:
    return (
        Candidate.objects.select_for_update()
        .select_related("staff", "competition")
        .get(pk=candidate.pk)
    )


def require_status(competition: Competition, *statuses: str, doing: str) -> None:
    """DomainError (409) naming the current status unless it is one of `statuses`."""
    if competition.status not in statuses:
        raise DomainError(
            f"竞聘「{competition.name}」当前为「{competition.get_status_display()}」，不能{doing}。",
            field="status",
            status=STATE_CONFLICT,
        )


def set_status(competition: Competition, status: str) -> dict:
    """Change the status; returns the before/after pair for the audit entry."""
    change = {"before": {"status": competition.status}, "after": {"status": status}}
    competition.status = status
    return change


def score_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
