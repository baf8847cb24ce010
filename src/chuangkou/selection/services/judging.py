"""面试评分: each judge scores each candidate; the panel's score follows once all have scored."""

from django.db import transaction

from chuangkou.core import audit
from chuangkou.core.errors import DomainError

from .. import permissions
from ..models import Candidate, Competition, InterviewScore
from ..scoring import interview_score, parse_score
from ._common import locked, locked_candidate, require_status, score_text


def refresh_interview_score(candidate: Candidate, panel_size: int) -> None:
    """The candidate's interview score: the trimmed mean once every judge has scored, else None."""
    scores = list(candidate.interview_scores.values_list("score", flat=True))
    value = interview_score(scores) if len(scores) == panel_size else None
    if candidate.interview_score != value:
        candidate.interview_score = value
        candidate.save(update_fields=["interview_score"])


@transaction.atomic
def enter_interview_score(*, actor, candidate: Candidate, score) -> InterviewScore:
    """录入面试评分: a judge of the competition, for their own score only, while scoring is open.

    A judge may change their own score until the ranking is computed; every entry and change is
    audited with the value before and after.
    """
    competition = locked(candidate.competition)
    judge = permissions.require_judge(actor, competition)
    require_status(competition, Competition.Status.SCORING, doing="录入面试评分")
    candidate = locked_candidate(candidate)
    if candidate.competition_id != competition.pk:
        raise DomainError("该人员没有报名本次竞聘。", field="candidate")
    if not candidate.is_active:
        raise DomainError(f"{candidate.staff.name} 已放弃/缺考，不能评分。", field="score")
    value = parse_score(score, field="score", label="面试评分")
    entry = InterviewScore.objects.filter(candidate=candidate, judge=judge).first()
    before = score_text(entry.score) if entry else None
    if entry is None:
        entry = InterviewScore.objects.create(candidate=candidate, judge=judge, score=value)
    elif entry.score != value:
        entry.score = value
        entry.save(update_fields=["score", "updated_at"])
    else:
        return entry
    refresh_interview_score(candidate, competition.judges.count())
    audit.record(
        actor=actor,
        action="selection.interview_score",
        obj=candidate,
        before={"judge": judge.seat, "score": before},
        after={"judge": judge.seat, "score": str(value)},
    )
    return entry
