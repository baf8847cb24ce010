"""Every scoring rule with hand-computed cases, and the invariants under hypothesis."""

from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chuangkou.exams import scoring
from chuangkou.exams.models import MultiRule, QuestionKind

from .factories import CONFIGS

# -- single and multiple --------------------------------------------------------------------


def test_single_choice():
    assert scoring.score_single(key=["C"], answer="C", points=D("2")) == D("2.00")
    assert scoring.score_single(key=["C"], answer="B", points=D("2")) == D("0.00")
    assert scoring.score_single(key=["C"], answer=["C"], points=D("2")) == D("0.00")


@pytest.mark.parametrize(
    ("rule", "answer", "expected"),
    [
        # key A, B, C of four options; 6 points
        (MultiRule.ALL_OR_NOTHING, ["A", "B", "C"], "6.00"),
        (MultiRule.ALL_OR_NOTHING, ["A", "B"], "0.00"),
        (MultiRule.ALL_OR_NOTHING, ["A", "B", "C", "D"], "0.00"),
        (MultiRule.PARTIAL, ["A", "B", "C"], "6.00"),
        (MultiRule.PARTIAL, ["A", "B"], "4.00"),  # 6 × 2/3
        (MultiRule.PARTIAL, ["C"], "2.00"),  # 6 × 1/3
        (MultiRule.PARTIAL, ["A", "D"], "0.00"),  # a wrong option
        (MultiRule.PARTIAL, [], "0.00"),
        (MultiRule.HALF, ["A", "B", "C"], "6.00"),
        (MultiRule.HALF, ["A"], "3.00"),
        (MultiRule.HALF, ["A", "B", "D"], "0.00"),
    ],
)
def test_indefinite_multiple_choice_rules(rule, answer, expected):
    score = scoring.score_multiple(key=["A", "B", "C"], answer=answer, points=D("6"), rule=rule)
    assert score == D(expected)


def test_partial_credit_rounds_half_up_to_cents():
    # 5 × 1/3 = 1.666… → 1.67; 5 × 2/3 = 3.333… → 3.33
    assert scoring.score_multiple(key="ABC", answer=["A"], points=D(5)) == D("1.67")
    assert scoring.score_multiple(key="ABC", answer=["A", "B"], points=D(5)) == D("3.33")


# -- fill-in ----------------------------------------------------------------------------------


def test_fill_blanks_normalise_width_and_spaces():
    blanks = [["张三"], ["个人经营", "个人"], ["ＡＢＣ123"]]
    # full-width, spaces, ideographic space and case are all forgiven
    answer = ["张 三", "个人\u3000经营", "abc１２３"]
    assert scoring.score_fill(blanks=blanks, answer=answer, points=D("3")) == D("3.00")
    assert scoring.score_fill(blanks=blanks, answer=["张三", "合伙"], points=D("3")) == D("1.00")
    assert scoring.score_fill(blanks=blanks, answer=["", "", ""], points=D("3")) == D("0.00")
    assert scoring.score_fill(blanks=blanks, answer="张三", points=D("3")) == D("0.00")


def test_normalise():
    assert scoring.normalise("  Ａ Ｂ\u3000c ") == "abc"
    assert scoring.normalise(None) == ""


# -- error correction ---------------------------------------------------------------------------

ERRORS = CONFIGS[QuestionKind.CORRECTION][1]["errors"]


def test_unmarked_correction_found_and_corrected():
    answer = [
        {"wrong": "三个工作日", "right": "五个工作日"},
        {"wrong": "不予退件", "right": "予以退件"},
    ]
    score = scoring.score_correction(errors=ERRORS, answer=answer, points=D("4"), marked=False)
    assert score == D("4.00")


def test_unmarked_correction_found_but_wrongly_corrected_gets_half_a_share():
    answer = [{"wrong": "三个工作日", "right": "七个工作日"}, {"wrong": "逾期", "right": "超期"}]
    # error 1 found, not corrected: 0.5 share of 2 shares → 4 × 0.5/2 = 1
    score = scoring.score_correction(errors=ERRORS, answer=answer, points=D("4"), marked=False)
    assert score == D("1.00")


def test_each_error_counts_once():
    twice = [{"wrong": "三个工作日", "right": "五个工作日"}] * 2
    score = scoring.score_correction(errors=ERRORS, answer=twice, points=D("4"), marked=False)
    assert score == D("2.00")


def test_marked_correction_one_right_of_two():
    score = scoring.score_correction(
        errors=ERRORS, answer=["五个工作日", "退件"], points=D("4"), marked=True
    )
    assert score == D("2.00")


# -- scenario -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (["A", "B", "C"], "6.00"),
        (["A", "B"], "4.00"),  # 2 of 3
        (["A", "B", "C", "D"], "5.00"),  # 3 − 0.5 → 6 × 2.5/3
        (["A", "B", "D", "E"], "2.00"),  # 2 − 2 × 0.5 = 1 share → 6 × 1/3
        (["A", "D", "E"], "0.00"),  # 1 − 2 × 0.5 = 0 shares
        (["D", "E"], "0.00"),
    ],
)
def test_scenario_credit_per_material_with_a_penalty(answer, expected):
    score = scoring.score_scenario(key=["A", "B", "C"], answer=answer, points=D("6"))
    assert score == D(expected)


def test_scenario_penalty_is_per_question():
    score = scoring.score_scenario(
        key=["A", "B"], answer=["A", "B", "C"], points=D("4"), penalty=D("1")
    )
    assert score == D("2.00")


# -- open answers -------------------------------------------------------------------------------


def test_final_open_score_two_close_grades_are_averaged():
    assert scoring.final_open_score([D("8"), D("9")], points=D("10"), gap=D("2")) == D("8.50")


def test_final_open_score_waits_for_a_third_when_far_apart():
    assert scoring.final_open_score([D("4"), D("9")], points=D("10"), gap=D("2")) is None
    assert scoring.needs_third_grade(D("4"), D("9"), gap=D("2"))
    assert not scoring.needs_third_grade(D("7"), D("9"), gap=D("2"))


def test_final_open_score_mean_of_the_two_closest_of_three():
    assert scoring.final_open_score([D("4"), D("9"), D("8")], points=D("10"), gap=D("2")) == D(
        "8.50"
    )
    # 4, 9 and 6.5: pairs 4–6.5 and 6.5–9 are equally close: the higher mean wins
    assert scoring.final_open_score([D("4"), D("9"), D("6.5")], points=D("10"), gap=D("2")) == D(
        "7.75"
    )


def test_score_objective_dispatch_and_blank_answers():
    for kind, (_stem, config) in CONFIGS.items():
        got = scoring.score_objective(
            kind=kind, config=config, answer=None, points=D("5"), multi_rule=MultiRule.PARTIAL
        )
        assert got == D("0.00")
    assert (
        scoring.score_objective(
            kind=QuestionKind.OPEN, config={}, answer="我的回答", points=D(5), multi_rule="all"
        )
        is None
    )


# -- invariants ---------------------------------------------------------------------------------

KEYS = "ABCDEF"
points_st = st.decimals(min_value=D("0.5"), max_value=D("100"), places=2)
key_st = st.lists(st.sampled_from(KEYS), min_size=1, max_size=6, unique=True)
answer_st = st.one_of(
    st.none(),
    st.text(max_size=5),
    st.lists(st.sampled_from(KEYS + "XY"), max_size=8),
    st.lists(st.text(max_size=6), max_size=4),
    st.lists(st.dictionaries(st.sampled_from(["wrong", "right"]), st.text(max_size=6)), max_size=6),
    st.integers(),
)


def _within(score, points):
    return D(0) <= score <= points and score == score.quantize(D("0.01"))


@settings(max_examples=150, deadline=None)
@given(key=key_st, answer=answer_st, points=points_st, rule=st.sampled_from(MultiRule.values))
def test_choice_scores_stay_within_zero_and_points(key, answer, points, rule):
    assert _within(scoring.score_multiple(key=key, answer=answer, points=points, rule=rule), points)
    assert _within(scoring.score_single(key=key[:1], answer=answer, points=points), points)
    penalty = D("0.5")
    assert _within(
        scoring.score_scenario(key=key, answer=answer, points=points, penalty=penalty), points
    )


@settings(max_examples=150, deadline=None)
@given(
    blanks=st.lists(st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=3), max_size=5),
    answer=answer_st,
    points=points_st,
)
def test_fill_scores_stay_within_zero_and_points(blanks, answer, points):
    assert _within(scoring.score_fill(blanks=blanks, answer=answer, points=points), points)


@settings(max_examples=150, deadline=None)
@given(
    wrongs=st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=4),
    answer=answer_st,
    points=points_st,
    marked=st.booleans(),
    credit=st.decimals(min_value=0, max_value=1, places=2),
)
def test_correction_scores_stay_within_zero_and_points(wrongs, answer, points, marked, credit):
    errors = [{"wrong": w, "right": [w + "改"]} for w in wrongs]
    score = scoring.score_correction(
        errors=errors, answer=answer, points=points, marked=marked, found_credit=credit
    )
    assert _within(score, points)


@settings(max_examples=150, deadline=None)
@given(
    grades=st.lists(st.decimals(min_value=0, max_value=10, places=2), min_size=2, max_size=3),
    gap=st.decimals(min_value=0, max_value=10, places=2),
)
def test_final_open_score_stays_within_the_grades(grades, gap):
    final = scoring.final_open_score(grades, points=D("10"), gap=gap)
    if final is not None:
        assert min(grades) <= final <= max(grades) and _within(final, D("10"))
    else:
        assert len(grades) == 2 and abs(grades[0] - grades[1]) > gap


@settings(max_examples=100, deadline=None)
@given(key=key_st, points=points_st)
def test_the_key_itself_earns_full_marks(key, points):
    for rule in MultiRule.values:
        assert scoring.score_multiple(key=key, answer=list(key), points=points, rule=rule) == (
            points.quantize(D("0.01"))
        )
    assert scoring.score_scenario(key=key, answer=list(key), points=points) == points
