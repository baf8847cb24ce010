"""Grading of each question kind: pure functions of (key/config, answer, points, rule) → Decimal.

Every score is rounded half-up to 2 places and kept within [0, points]. An answer of the wrong
shape (never saved by the services, but possible in old data) scores 0 rather than failing.

Answer shapes:
- single: "B"                    multiple / scenario: ["A", "C"]
- fill: ["blank 1", "blank 2"]   correction (marked): ["correction of ①", "correction of ②"]
- correction (unmarked): [{"wrong": "text found", "right": "its correction"}, ...]
- open: "text" (graded by hand; see final_open_score)
"""

import unicodedata
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from .models import MultiRule, QuestionKind

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
DEFAULT_FOUND_CREDIT = Decimal("0.5")
DEFAULT_SCENARIO_PENALTY = Decimal("0.5")


def clamp(value: Decimal, points: Decimal) -> Decimal:
    """Rounded half-up to 0.01 and kept within [0, points]."""
    points = Decimal(points)
    value = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(max(value, ZERO), points.quantize(CENT, rounding=ROUND_HALF_UP))


def normalise(text: object) -> str:
    """For comparing typed answers: NFKC (全角→半角), no whitespace at all, case-folded."""
    if not isinstance(text, str):
        return ""
    return _normalised(text)


@lru_cache(maxsize=8192)
def _normalised(text: str) -> str:
    """normalise() of a string, remembered: the accepted answers of a paper's questions are
    normalised again for every candidate's answer (hundreds submitting at once)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if not ch.isspace())


def _choices(answer: object) -> set[str] | None:
    if not isinstance(answer, list | tuple) or not all(isinstance(a, str) for a in answer):
        return None
    return set(answer)


def score_single(*, key: Sequence[str], answer: object, points: Decimal) -> Decimal:
    """单选题: the one right option, or nothing."""
    right = isinstance(answer, str) and answer in set(key)
    return clamp(Decimal(points) if right else ZERO, points)


def score_multiple(
    *, key: Sequence[str], answer: object, points: Decimal, rule: str = MultiRule.PARTIAL
) -> Decimal:
    """不定项选择题 under the paper's rule; any wrong option chosen always scores 0.

    - all (全对得分): the exact set of right options → points, else 0;
    - partial (按比例): no wrong option → points × right chosen ÷ right options;
    - half (漏选半分): exact set → points; a non-empty subset of the right ones → points ÷ 2.
    """
    chosen, right = _choices(answer), set(key)
    points = Decimal(points)
    if not chosen or not right or chosen - right:
        return clamp(ZERO, points)
    if chosen == right:
        return clamp(points, points)
    if rule == MultiRule.PARTIAL:
        return clamp(points * len(chosen) / len(right), points)
    if rule == MultiRule.HALF:
        return clamp(points / 2, points)
    return clamp(ZERO, points)


def score_fill(*, blanks: Sequence[Sequence[str]], answer: object, points: Decimal) -> Decimal:
    """材料模版填空题: each blank an equal share; a blank is right when its normalised text equals
    one of its accepted answers."""
    if not blanks or not isinstance(answer, list | tuple):
        return clamp(ZERO, points)
    right = 0
    for i, accepted in enumerate(blanks):
        given = normalise(answer[i]) if i < len(answer) else ""
        if given and given in {normalise(a) for a in accepted}:
            right += 1
    return clamp(Decimal(points) * right / len(blanks), points)


def score_correction(
    *,
    errors: Sequence[dict],
    answer: object,
    points: Decimal,
    marked: bool,
    found_credit: Decimal = DEFAULT_FOUND_CREDIT,
) -> Decimal:
    """改错题: each error an equal share.

    Marked errors (已标出错处): the answer lists a correction per error; a right one earns the
    share. Unmarked errors: the answer lists {"wrong", "right"} pairs; an error is found when a pair
    names its wrong text, and earns the whole share if the correction is right, `found_credit` of
    it (default one half) if not. Each error counts once.
    """
    if not errors or not isinstance(answer, list | tuple):
        return clamp(ZERO, points)
    earned = Decimal(0)
    if marked:
        for i, error in enumerate(errors):
            given = normalise(answer[i]) if i < len(answer) else ""
            if given and given in {normalise(r) for r in error.get("right", [])}:
                earned += 1
    else:
        pairs = [p for p in answer if isinstance(p, dict)]
        for error in errors:
            wrong = normalise(error.get("wrong", ""))
            rights = {normalise(r) for r in error.get("right", [])}
            found = [p for p in pairs if wrong and normalise(p.get("wrong")) == wrong]
            if any(normalise(p.get("right")) in rights for p in found):
                earned += 1
            elif found:
                earned += Decimal(found_credit)
    return clamp(Decimal(points) * earned / len(errors), points)


def score_scenario(
    *,
    key: Sequence[str],
    answer: object,
    points: Decimal,
    penalty: Decimal = DEFAULT_SCENARIO_PENALTY,
) -> Decimal:
    """虚拟办事场景题: each needed material an equal share; each material picked that is not
    needed takes away `penalty` of a share (default one half); never below 0."""
    chosen, right = _choices(answer), set(key)
    if not chosen or not right:
        return clamp(ZERO, points)
    shares = len(chosen & right) - Decimal(penalty) * len(chosen - right)
    return clamp(Decimal(points) * shares / len(right), points)


def score_objective(
    *, kind: str, config: dict, answer: object, points: Decimal, multi_rule: str
) -> Decimal | None:
    """The score of an answer, or None when it needs a human grader (an open question answered
    with some text). No answer scores 0, whatever the kind."""
    if answer is None or (isinstance(answer, str) and not answer.strip()):
        return clamp(ZERO, points)
    if kind == QuestionKind.SINGLE:
        return score_single(key=config.get("answer", []), answer=answer, points=points)
    if kind == QuestionKind.MULTIPLE:
        return score_multiple(
            key=config.get("answer", []), answer=answer, points=points, rule=multi_rule
        )
    if kind == QuestionKind.FILL:
        return score_fill(blanks=config.get("blanks", []), answer=answer, points=points)
    if kind == QuestionKind.CORRECTION:
        return score_correction(
            errors=config.get("errors", []),
            answer=answer,
            points=points,
            marked=bool(config.get("marked")),
            found_credit=Decimal(str(config.get("found_credit", DEFAULT_FOUND_CREDIT))),
        )
    if kind == QuestionKind.SCENARIO:
        return score_scenario(
            key=config.get("answer", []),
            answer=answer,
            points=points,
            penalty=Decimal(str(config.get("penalty", DEFAULT_SCENARIO_PENALTY))),
        )
    return None


def needs_third_grade(first: Decimal, second: Decimal, *, gap: Decimal) -> bool:
    """Two blind grades differing by more than `gap` points call for a third grader."""
    return abs(Decimal(first) - Decimal(second)) > Decimal(gap)


def final_open_score(grades: Sequence[Decimal], *, points: Decimal, gap: Decimal) -> Decimal | None:
    """开放式陈述题的最终得分 from the blind grades, or None while it is not settled.

    - two grades within `gap`: their mean;
    - two grades further apart: None (a third grader is needed);
    - three grades: the mean of the two closest; when two pairs are equally close, the pair with
      the higher mean (the benefit of the doubt goes to the candidate).
    """
    values = [Decimal(g) for g in grades]
    if len(values) < 2:
        return None
    if len(values) == 2:
        if needs_third_grade(values[0], values[1], gap=gap):
            return None
        return clamp(sum(values) / 2, points)
    pairs = [(values[i], values[j]) for i in range(3) for j in range(i + 1, 3)]
    best = min(pairs, key=lambda p: (abs(p[0] - p[1]), -(p[0] + p[1])))
    return clamp(sum(best) / 2, points)
