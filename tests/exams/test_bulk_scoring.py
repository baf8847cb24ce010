"""The bulk submission (issue 9) scores exactly as the old per-answer path did: on a generated
exam (every kind, odd points, every multiple-choice rule, answers right, partly right, wrong,
blank and of the wrong shape), each item's score and each attempt's totals equal the score of
each answer taken one by one, whether the candidate submits (submit_attempt) or the finaliser
submits many at once (submit_many); an answer saved after it was scored is scored again."""

import datetime as dt
import random
from decimal import Decimal as D

import pytest
from django.utils import timezone

from chuangkou.core.models import AuditEntry
from chuangkou.exams.models import Attempt, AttemptItem, MultiRule, PaperItem, QuestionKind
from chuangkou.exams.scoring import ZERO, score_objective
from chuangkou.exams.services import sitting as sit
from chuangkou.org.models import Staff

from .factories import CONFIGS, make_exam, make_paper, make_question

pytestmark = pytest.mark.django_db

K = QuestionKind
MARKED = {
    "passage": "①应当在三日内补正；②逾期不予受理。",
    "marked": True,
    "errors": [{"right": ["五日"]}, {"right": ["视为撤回", "视为放弃"]}],
}
WIDE_MULTIPLE = {
    "options": [{"key": k, "text": k} for k in "ABCDE"],
    "answer": ["B", "D"],
}
POINTS = [D("1"), D("2.5"), D("3"), D("7"), D("10"), D("0.5")]


def random_answer(rng: random.Random, kind: str, config: dict):
    """Right, partly right, wrong, blank or of the wrong shape."""
    if rng.random() < 0.1:
        return rng.choice([None, "", "   ", 7, {"x": 1}, ["A"], "A"])
    keys = [o["key"] for o in config.get("options", [])]
    if kind == K.SINGLE:
        return rng.choice([*keys, "Z"])
    if kind in (K.MULTIPLE, K.SCENARIO):
        return rng.sample(keys, rng.randint(0, len(keys)))
    if kind == K.FILL:
        return [rng.choice([*accepted, " 张　三 ", "错"]) for accepted in config["blanks"]][
            : rng.randint(0, len(config["blanks"]))
        ]
    if kind == K.CORRECTION and config.get("marked"):
        return [rng.choice([*e["right"], "不对"]) for e in config["errors"]]
    if kind == K.CORRECTION:
        pairs = []
        for error in config["errors"]:
            if rng.random() < 0.7:
                pairs.append({"wrong": error["wrong"], "right": rng.choice([*error["right"], "?"])})
        return pairs
    return rng.choice(["我的做法是先受理。", None, ""])


def generated_exam(rule: str, staff: list, rng: random.Random):
    configs = [
        *((k, CONFIGS[k][1]) for k in K.values),
        (K.CORRECTION, MARKED),
        (K.MULTIPLE, WIDE_MULTIPLE),
        (K.FILL, CONFIGS[K.FILL][1]),
    ]
    questions = [make_question(kind, config=config) for kind, config in configs]
    paper = make_paper(questions, multi_rule=rule)
    for item in PaperItem.objects.filter(paper=paper):
        item.points = rng.choice(POINTS)
        item.save(update_fields=["points"])
    return make_exam(paper, staff)


def answered(exam, rng: random.Random) -> list[Attempt]:
    attempts = list(exam.attempts.select_related("staff"))
    for attempt in attempts:
        sit._build_items(attempt)
        Attempt.objects.filter(pk=attempt.pk).update(
            status=Attempt.Status.IN_PROGRESS,
            started_at=timezone.now(),
            deadline=timezone.now() + dt.timedelta(hours=1),
        )
        attempt.refresh_from_db()
    for item in AttemptItem.objects.filter(attempt__exam=exam).select_related("version"):
        item.response = random_answer(rng, item.kind, item.version.config)
        item.save(update_fields=["response"])
    return attempts


def one_by_one(exam) -> tuple[dict, dict]:
    """The old path: each answer scored on its own with its own version's key, then summed."""
    items, totals = {}, {}
    rule = exam.paper.multi_rule
    for item in AttemptItem.objects.filter(attempt__exam=exam).select_related("version"):
        score = score_objective(
            kind=item.kind,
            config=item.version.config,
            answer=item.response,
            points=item.points,
            multi_rule=rule,
        )
        items[item.pk] = score
        if item.kind != K.OPEN:
            totals[item.attempt_id] = totals.get(item.attempt_id, ZERO) + score
    return items, totals


@pytest.mark.parametrize("rule", MultiRule.values)
def test_bulk_scores_equal_the_per_answer_scores(org_small, rule):
    rng = random.Random(f"exam-{rule}")  # noqa: S311
    staff = list(Staff.objects.order_by("pk"))
    exam = generated_exam(rule, staff, rng)
    attempts = answered(exam, rng)
    expected_items, expected_totals = one_by_one(exam)
    assert len({s for s in expected_items.values() if s is not None}) > 5  # a varied exam

    by_hand, by_finaliser = attempts[: len(attempts) // 2], attempts[len(attempts) // 2 :]
    for attempt in by_hand:
        sit.submit_attempt(actor=None, attempt=attempt)
    Attempt.objects.filter(pk__in=[a.pk for a in by_finaliser]).update(
        deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    assert sit.finalise_overdue_attempts(exam=exam) == len(by_finaliser)

    stored = dict(AttemptItem.objects.filter(attempt__exam=exam).values_list("pk", "score"))
    assert stored == expected_items
    for attempt in Attempt.objects.filter(exam=exam):
        assert attempt.status == Attempt.Status.SUBMITTED
        assert attempt.objective_score == expected_totals.get(attempt.pk, ZERO)
        open_answered = attempt.items.filter(kind=K.OPEN, score__isnull=True).exists()
        assert attempt.graded is not open_answered
        if attempt.graded:
            assert attempt.total_score == attempt.objective_score + attempt.subjective_score
    entries = AuditEntry.objects.filter(object_type="exams.attempt")
    assert entries.filter(action="exams.attempt.submit").count() == len(by_hand)
    assert entries.filter(action="exams.attempt.auto_submit").count() == len(by_finaliser)


def test_an_answer_saved_after_scoring_is_scored_again(sitting):
    from .test_services import answer_all, started

    user, attempt = started(sitting)
    answer_all(user, attempt)
    scored = sit._scored_items(attempt)  # read and scored before the transaction…
    item = attempt.items.select_related("version").get(kind=K.SINGLE)
    sit.save_answer(actor=user, attempt=attempt, item=item, response="A")  # …then changed
    attempt = sit._submit(actor=user, attempt=attempt, auto=False, scored=scored)
    assert AttemptItem.objects.get(pk=item.pk).score == ZERO
    assert attempt.objective_score == D("30.00")


def test_the_finaliser_rescores_an_answer_saved_after_scoring(sitting):
    from .test_services import answer_all, started

    user, attempt = started(sitting)
    answer_all(user, attempt)
    scored = sit._scored_many([attempt.pk])
    item = attempt.items.select_related("version").get(kind=K.SINGLE)
    sit.save_answer(actor=user, attempt=attempt, item=item, response="A")
    assert sit._submit_chunk([attempt.pk], auto=True, scored=scored) == 1
    attempt.refresh_from_db()
    assert attempt.objective_score == D("30.00") and attempt.auto_submitted
    assert sit._submit_chunk([attempt.pk], auto=True, scored=scored) == 0  # already submitted


def test_the_finaliser_leaves_submitted_and_unstarted_attempts_alone(sitting):
    from .test_services import answer_all, started

    user, attempt = started(sitting)
    answer_all(user, attempt)
    attempt = sit.submit_attempt(actor=user, attempt=attempt)
    Attempt.objects.filter(exam=sitting.exam).update(
        deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    assert sit.submit_many(attempt_ids=[attempt.pk, sitting.attempt_b1.pk]) == 0
    assert Attempt.objects.get(pk=sitting.attempt_b1.pk).status == Attempt.Status.PENDING
    assert AuditEntry.objects.filter(action__startswith="exams.attempt.auto").count() == 0
