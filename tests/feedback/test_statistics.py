"""The survey arithmetic against values worked out by hand from the formulas."""

import pytest

from chuangkou.feedback.statistics import (
    StratumCount,
    allocate,
    change_in_points,
    stratified_estimate,
    wilson_interval,
)


def test_wilson_interval_of_8_out_of_10():
    # centre = (0.8 + 1.96²/20) / (1 + 1.96²/10) = 0.99208 / 1.38416 = 0.71674
    # half = 1.96 √(0.016 + 0.009604) / 1.38416 = 0.22658
    low, high = wilson_interval(0.8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4)
    assert high == pytest.approx(0.9433, abs=1e-4)


def test_wilson_interval_stays_inside_0_and_1():
    assert wilson_interval(1.0, 10)[1] == pytest.approx(1.0)
    assert wilson_interval(0.0, 10)[0] == pytest.approx(0.0)
    assert 0 <= wilson_interval(0.0, 3)[0] <= wilson_interval(1.0, 3)[1] <= 1
    low, high = wilson_interval(1.0, 10)
    assert low == pytest.approx(0.7225, abs=1e-4)  # 10/(10 + 3.8415) = 0.7225
    assert wilson_interval(0.5, 0) == (0.0, 1.0)


def test_stratified_estimate_weights_by_population_and_uses_effective_size():
    # W = 0.9, 0.1; p = 0.9×0.6 + 0.1×0.9 = 0.63
    # Var = 0.81×0.24/10 + 0.01×0.09/30 = 0.01947; n_eff = 0.63×0.37/0.01947 = 11.972
    estimate = stratified_estimate(
        [StratumCount(population=900, respondents=10, positives=6), StratumCount(100, 30, 27)]
    )
    assert estimate.rate == pytest.approx(0.63)
    assert estimate.effective_size == pytest.approx(11.9723, abs=1e-4)
    assert estimate.low == pytest.approx(0.3584, abs=1e-4)
    assert estimate.high == pytest.approx(0.8385, abs=1e-4)
    assert estimate.respondents == 40
    assert estimate.percent == 63.0


def test_effective_size_is_truncated_at_the_respondents():
    # proportional strata: the stratified variance is below the simple one, n_eff would exceed r
    estimate = stratified_estimate([StratumCount(500, 20, 15), StratumCount(500, 20, 18)])
    assert estimate.rate == pytest.approx(0.825)
    assert estimate.effective_size == 40
    assert (estimate.low, estimate.high) == wilson_interval(0.825, 40)


def test_strata_nobody_answered_in_are_left_out():
    estimate = stratified_estimate([StratumCount(100, 0, 0), StratumCount(300, 4, 3)])
    assert estimate.rate == pytest.approx(0.75)
    empty = stratified_estimate([StratumCount(100, 0, 0)])
    assert empty.rate is None and empty.percent is None


def test_all_yes_keeps_an_interval():
    estimate = stratified_estimate([StratumCount(50, 10, 10), StratumCount(50, 10, 10)])
    assert estimate.rate == 1.0
    assert estimate.effective_size == 20
    assert estimate.low < 1.0


def test_proportional_allocation_by_largest_remainder():
    # quotas 66.67, 23.33, 10.0 → 66 + 23 + 10 = 99, the extra unit to the largest remainder
    assert allocate({"A": 2000, "B": 700, "C": 300}, 100) == {"A": 67, "B": 23, "C": 10}
    assert sum(allocate({"A": 3, "B": 5, "C": 11}, 7).values()) == 7


def test_allocation_gives_every_stratum_one_where_possible():
    # C's quota is 0.4: it still gets one, taken from the largest
    assert allocate({"A": 990, "B": 6, "C": 4}, 10) == {"A": 8, "B": 1, "C": 1}
    # fewer units than strata: the largest strata get them
    assert allocate({"A": 990, "B": 6, "C": 4}, 2) == {"A": 2, "B": 0, "C": 0}


def test_allocation_never_exceeds_a_population():
    assert allocate({"A": 3, "B": 2}, 100) == {"A": 3, "B": 2}
    assert allocate({"A": 0, "B": 5}, 3) == {"A": 0, "B": 3}
    assert allocate({}, 5) == {}


def test_change_in_percentage_points():
    assert change_in_points(0.887, 0.685) == 20.2
    assert change_in_points(None, 0.5) is None
