"""The arithmetic of 竞聘上岗, by hand-computed cases and by invariants (hypothesis)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chuangkou.core.errors import DomainError
from chuangkou.selection.scoring import (
    BELOW,
    PLACED,
    TIE,
    UNPLACED,
    Entry,
    TierSpec,
    assign_tiers,
    final_score,
    interview_score,
    parse_score,
    rank_candidates,
    service_years,
    total_cost,
)

D = Decimal


def scores(*values) -> list[Decimal]:
    return [D(str(v)) for v in values]


# --- interview score (体操计分法) -------------------------------------------------------------


def test_five_judges_drop_the_highest_and_the_lowest():
    # 90 and 70 dropped: (80 + 85 + 75) / 3 = 80
    assert interview_score(scores(80, 90, 70, 85, 75)) == D("80.00")


def test_seven_judges_drop_one_highest_and_one_lowest():
    # 79 and 95 dropped: (85 + 86.5 + 88 + 90 + 92.5) / 5 = 442 / 5 = 88.4
    assert interview_score(scores(88, 92.5, 79, 85, 90, 86.5, 95)) == D("88.40")


def test_four_judges_take_the_plain_mean():
    # (80 + 90 + 70 + 85) / 4 = 81.25: nothing dropped below five judges
    assert interview_score(scores(80, 90, 70, 85)) == D("81.25")


def test_only_one_of_several_equal_extremes_is_dropped():
    # one 90 and one 80 dropped: (90 + 80 + 85) / 3 = 85
    assert interview_score(scores(90, 90, 80, 80, 85)) == D("85.00")


def test_interview_score_rounds_half_up_to_two_decimals():
    assert interview_score(scores(80, 80, 81)) == D("80.33")
    assert interview_score(scores("80.5", 80, 80)) == D("80.17")
    # 80.005 rounds up (banker's rounding would give 80.00)
    assert interview_score(scores("80.00", "80.01")) == D("80.01")


def test_no_scores_no_interview_score_and_one_score_is_itself():
    assert interview_score([]) is None
    assert interview_score(scores("77.5")) == D("77.50")


# --- final score -----------------------------------------------------------------------------


def test_final_score_is_the_weighted_sum():
    assert final_score(D(80), D(90), D(50), D(50)) == D("85.00")
    # 85.5 × 40% + 88.4 × 60% = 34.2 + 53.04
    assert final_score(D("85.5"), D("88.4"), D(40), D(60)) == D("87.24")
    assert final_score(D("80.01"), D("80.00"), D(50), D(50)) == D("80.01")  # 80.005 half up
    assert final_score(D(70), D(100), D(100), D(0)) == D("70.00")


# --- ranking ---------------------------------------------------------------------------------


def entry(key, final, written, interview, tie_break=None) -> Entry:
    return Entry(key, D(str(final)), D(str(written)), D(str(interview)), tie_break)


def test_ranking_breaks_ties_by_written_then_interview_then_shares_the_rank():
    ranked = rank_candidates(
        [
            entry("a", 85, 80, 90),
            entry("d", 80, 90, 70),
            entry("b", 85, 82, 88),
            entry("c", 85, 82, 88),
            entry("e", 85, 80, 89),
        ]
    )
    assert [(r.entry.key, r.rank) for r in ranked] == [
        ("b", 1),
        ("c", 1),  # equal on all three: same rank …
        ("a", 3),  # … and the next rank skips ("1224")
        ("e", 4),  # same final and written as a, lower interview
        ("d", 5),
    ]


# --- tiers -----------------------------------------------------------------------------------

T1 = TierSpec("T1", 2, 24000)
T2 = TierSpec("T2", 3, 12000)
PASS = D(60)


def outcome(placements):
    return {p.key: (p.outcome, p.tier) for p in placements}


def test_tiers_fill_by_rank_and_quota():
    ranked = rank_candidates([entry(k, 90 - i, 80, 80) for i, k in enumerate("abcdef")])
    result = outcome(assign_tiers(ranked, [T1, T2], PASS))
    assert result == {
        "a": (PLACED, "T1"),
        "b": (PLACED, "T1"),
        "c": (PLACED, "T2"),
        "d": (PLACED, "T2"),
        "e": (PLACED, "T2"),
        "f": (UNPLACED, None),
    }


def test_a_tie_inside_one_tier_places_both():
    ranked = rank_candidates(
        [entry("a", 90, 80, 80), entry("b", 85, 80, 80), entry("c", 85, 80, 80)]
    )
    result = outcome(assign_tiers(ranked, [TierSpec("T1", 3, 24000)], PASS))
    assert result == {"a": (PLACED, "T1"), "b": (PLACED, "T1"), "c": (PLACED, "T1")}


def test_a_tie_straddling_a_tier_boundary_is_held_for_the_admin():
    ranked = rank_candidates(
        [
            entry("a", 90, 80, 80),
            entry("b", 85, 80, 80),
            entry("c", 85, 80, 80),  # b and c share rank 2: seats 2 (T1) and 3 (T2)
            entry("d", 84, 80, 80),
        ]
    )
    placements = assign_tiers(ranked, [T1, T2], PASS)
    result = outcome(placements)
    assert result["a"] == (PLACED, "T1")
    assert result["b"] == result["c"] == (TIE, None)
    assert {p.held for p in placements if p.outcome == TIE} == {("T1", "T2")}
    assert result["d"] == (PLACED, "T2")  # carries on after the held seats
    placed_t1 = sum(1 for p in placements if p.tier == "T1")
    assert placed_t1 == 1  # the held T1 seat is not given to anyone yet


def test_the_admins_order_settles_a_straddling_tie():
    ranked = rank_candidates(
        [
            entry("a", 90, 80, 80),
            entry("b", 85, 80, 80, tie_break=2),
            entry("c", 85, 80, 80, tie_break=1),
        ]
    )
    result = outcome(assign_tiers(ranked, [T1, T2], PASS))
    assert result == {"a": (PLACED, "T1"), "c": (PLACED, "T1"), "b": (PLACED, "T2")}


def test_an_incomplete_order_leaves_the_tie_pending():
    ranked = rank_candidates(
        [entry("a", 90, 80, 80), entry("b", 85, 80, 80, 1), entry("c", 85, 80, 80)]
    )
    result = outcome(assign_tiers(ranked, [T1, T2], PASS))
    assert result["b"] == result["c"] == (TIE, None)


def test_a_tie_for_the_last_seat_is_held_with_no_seat_for_the_other():
    ranked = rank_candidates(
        [entry("a", 90, 80, 80), entry("b", 85, 80, 80), entry("c", 85, 80, 80)]
    )
    placements = assign_tiers(ranked, [TierSpec("T1", 2, 6000)], PASS)
    assert outcome(placements)["b"] == (TIE, None)
    assert {p.held for p in placements if p.outcome == TIE} == {("T1", None)}


def test_nobody_below_the_pass_line_is_placed_and_the_line_itself_passes():
    ranked = rank_candidates(
        [entry("a", 75, 80, 70), entry("b", 60, 60, 60), entry("c", "59.99", 70, 50)]
    )
    result = outcome(assign_tiers(ranked, [T1, T2], PASS))
    assert result == {"a": (PLACED, "T1"), "b": (PLACED, "T1"), "c": (BELOW, None)}


def test_fewer_candidates_than_seats_leaves_seats_empty():
    ranked = rank_candidates([entry("a", 90, 80, 80)])
    placements = assign_tiers(ranked, [T1, T2], PASS)
    assert outcome(placements) == {"a": (PLACED, "T1")}
    assert total_cost(placements, [T1, T2]) == 24000


def test_total_cost_sums_the_annual_amounts_of_the_placed():
    ranked = rank_candidates([entry(k, 90 - i, 80, 80) for i, k in enumerate("abcdef")])
    placements = assign_tiers(ranked, [T1, T2], PASS)
    assert total_cost(placements, [T1, T2]) == 2 * 24000 + 3 * 12000


# --- parsing and service years ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["101", "-1", "abc", "", "NaN", "Infinity", "85.555", True, None])
def test_bad_scores_are_refused_with_a_message(value):
    with pytest.raises(DomainError) as exc:
        parse_score(value)
    assert exc.value.field == "score"
    assert "评分" in exc.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("85.5", "85.50"), (" 90 ", "90.00"), (85, "85.00"), (85.25, "85.25"), ("100", "100.00")],
)
def test_good_scores_are_kept_with_two_decimals(value, expected):
    assert parse_score(value) == D(expected)


@pytest.mark.parametrize(
    ("hired", "reference", "years"),
    [
        ("2017-04-30", "2018-04-30", 1),
        ("2017-05-01", "2018-04-30", 0),
        ("2018-05-01", "2018-04-30", 0),
        ("2016-02-29", "2017-02-28", 0),
        ("2016-02-29", "2017-03-01", 1),
        ("2011-06-01", "2018-04-30", 6),
    ],
)
def test_service_years_are_whole_years(hired, reference, years):
    assert service_years(dt.date.fromisoformat(hired), dt.date.fromisoformat(reference)) == years


# --- invariants ------------------------------------------------------------------------------

score_values = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False)


@given(st.lists(score_values, min_size=1, max_size=15))
def test_trimmed_mean_lies_between_the_lowest_and_the_highest(marks):
    result = interview_score(marks)
    assert min(marks) <= result <= max(marks)


entries = st.lists(
    st.tuples(
        st.integers(min_value=40, max_value=100),  # coarse scores make ties likely
        st.integers(min_value=40, max_value=100),
        st.integers(min_value=40, max_value=100),
        st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
    ),
    max_size=40,
)
tier_lists = st.lists(st.integers(min_value=1, max_value=8), min_size=1, max_size=4)


@settings(max_examples=300)
@given(entries, tier_lists, st.integers(min_value=40, max_value=100))
def test_tiers_never_exceed_quotas_and_never_take_anyone_below_the_pass_line(
    rows, quotas, pass_line
):
    tiers = [TierSpec(f"T{i}", q, 1000 * (10 - i)) for i, q in enumerate(quotas)]
    order = {t.key: i for i, t in enumerate(tiers)}
    ranked = rank_candidates(
        entry(i, final, written, interview, tb)
        for i, (final, written, interview, tb) in enumerate(rows)
    )
    placements = assign_tiers(ranked, tiers, D(pass_line))
    finals = {r.entry.key: r.entry.final for r in ranked}

    assert len(placements) == len(rows)
    held = {p.rank: p.held for p in placements if p.outcome == TIE}
    for tier in tiers:
        placed_here = sum(1 for p in placements if p.tier == tier.key)
        held_here = sum(seats.count(tier.key) for seats in held.values())
        assert placed_here + held_here <= tier.quota
    for p in placements:
        if finals[p.key] < pass_line:
            assert p.outcome == BELOW and p.tier is None
        else:
            assert p.outcome != BELOW
    placed = [p for p in placements if p.outcome == PLACED]
    for a in placed:
        for b in placed:
            if a.rank < b.rank:
                assert order[a.tier] <= order[b.tier]  # a better rank never gets a lower tier
    if any(p.outcome == UNPLACED for p in placements):  # only once every seat is taken
        taken = len(placed) + sum(len([s for s in seats if s]) for seats in held.values())
        assert taken == sum(t.quota for t in tiers)
    assert total_cost(placements, tiers) <= sum(t.quota * t.annual_amount for t in tiers)
