"""The arithmetic of the sampling survey (抽样调查): allocation, stratified estimate, Wilson CI.

Pure functions on numbers, so that every formula can be checked by hand in the tests.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass

Z_95 = 1.959963984540054  # the 97.5 % quantile of the standard normal distribution


def allocate(populations: Mapping, total: int) -> dict:
    """Proportional allocation of `total` sample units to strata, at least 1 each where possible.

    n_h = N_h × n ÷ N rounded by largest remainder (Hamilton), then every non-empty stratum gets
    at least one unit (taken from the stratum with the most units above 1) as long as
    `total` ≥ the number of non-empty strata, and no stratum gets more than its population.
    With `total` ≥ N every case is taken. Keys are kept; ties are broken by key order.
    """
    keys = [k for k in sorted(populations) if populations[k] > 0]
    population = sum(populations[k] for k in keys)
    total = min(total, population)
    if total <= 0:
        return {k: 0 for k in populations}
    quotas = {k: populations[k] * total / population for k in keys}
    alloc = {k: math.floor(quotas[k]) for k in keys}
    by_remainder = sorted(keys, key=lambda k: (-(quotas[k] - alloc[k]), keys.index(k)))
    for k in by_remainder[: total - sum(alloc.values())]:
        alloc[k] += 1
    if total >= len(keys):
        for k in keys:
            if alloc[k] == 0:
                donor = max(keys, key=lambda d: (alloc[d], -keys.index(d)))
                alloc[donor] -= 1
                alloc[k] = 1
    return {k: alloc.get(k, 0) for k in populations}


def wilson_interval(p: float, n: float, z: float = Z_95) -> tuple[float, float]:
    """Wilson score interval for a proportion p observed on n units (n may be an effective size).

    centre = (p + z²/2n) ÷ (1 + z²/n)
    half   = z × √(p(1−p)/n + z²/4n²) ÷ (1 + z²/n)
    interval = [centre − half, centre + half], clipped to [0, 1].
    """
    if n <= 0:
        return (0.0, 1.0)
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class StratumCount:
    """One stratum: population N_h, respondents r_h (reached), and how many said yes x_h."""

    population: int
    respondents: int
    positives: int


@dataclass(frozen=True)
class Estimate:
    rate: float | None  # 0..1
    low: float | None
    high: float | None
    respondents: int
    effective_size: float

    @property
    def percent(self) -> float | None:
        return None if self.rate is None else round(self.rate * 100, 1)

    @property
    def low_percent(self) -> float | None:
        return None if self.low is None else round(self.low * 100, 1)

    @property
    def high_percent(self) -> float | None:
        return None if self.high is None else round(self.high * 100, 1)


def stratified_estimate(strata: list[StratumCount], z: float = Z_95) -> Estimate:
    """Stratified proportion with its 95 % Wilson interval.

    p̂ = Σ W_h p̂_h, with p̂_h = x_h ÷ r_h and W_h = N_h ÷ Σ N_h over the strata that have at
    least one respondent (a stratum nobody answered in is left out and the weights rescaled).
    Var(p̂) = Σ W_h² p̂_h(1−p̂_h) ÷ r_h (no finite-population correction: conservative).
    The Wilson interval is taken at the effective sample size (Korn & Graubard 1998)
    n_eff = p̂(1−p̂) ÷ Var(p̂), truncated to the number of respondents r = Σ r_h; when
    Var(p̂) = 0 or p̂ is 0 or 1, n_eff = r.
    """
    answered = [s for s in strata if s.respondents > 0]
    respondents = sum(s.respondents for s in answered)
    population = sum(s.population for s in answered)
    if not answered or population <= 0:
        return Estimate(None, None, None, respondents, 0.0)
    rate = 0.0
    variance = 0.0
    for s in answered:
        weight = s.population / population
        p_h = s.positives / s.respondents
        rate += weight * p_h
        variance += weight * weight * p_h * (1 - p_h) / s.respondents
    if variance > 0 and 0 < rate < 1:
        effective = min(float(respondents), rate * (1 - rate) / variance)
    else:
        effective = float(respondents)
    low, high = wilson_interval(rate, effective, z)
    return Estimate(rate, low, high, respondents, effective)


def change_in_points(current: float | None, previous: float | None) -> float | None:
    """Change between two proportions in percentage points (百分点), one decimal."""
    if current is None or previous is None:
        return None
    return round((current - previous) * 100, 1)
