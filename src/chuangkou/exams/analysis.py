"""Item analysis (试题分析) in plain Python, with the formulas Moodle's quiz statistics use.

For a question answered by n attempts with item scores x_i (out of max score m) and the attempts'
totals T_i:

- facility index (难度系数/通过率)   F = mean(x) / m
- discrimination index (区分度)      D = r(x, T − x), the Pearson correlation of the item score
  with the rest of the test (the total without this item), so the item is not correlated with
  itself:  r(a, b) = Σ(a−ā)(b−b̄) / √(Σ(a−ā)² · Σ(b−b̄)²); undefined (None) when either varies not.
- Cronbach's α of an exam with k items (Moodle: coefficient of internal consistency)
      α = k/(k−1) · (1 − Σ var(x_j) / var(T)),
  over the attempts that have all k items; variances with the same denominator throughout,
  so the choice of n or n−1 cancels out.

Mastery of a knowledge point (知识点掌握度) = Σ score ÷ Σ points over the answers of the
questions tagged with the point.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def variance(values: Sequence[float]) -> float:
    """Sample variance (n − 1); 0 for fewer than two values."""
    if len(values) < 2:
        return 0.0
    m = mean(values)
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


def pearson(a: Sequence[float], b: Sequence[float]) -> float | None:
    """Pearson's r, or None when fewer than two pairs or either side is constant."""
    if len(a) != len(b) or len(a) < 2:
        return None
    ma, mb = mean(a), mean(b)
    sab = sum((x - ma) * (y - mb) for x, y in zip(a, b, strict=True))
    saa = sum((x - ma) ** 2 for x in a)
    sbb = sum((y - mb) ** 2 for y in b)
    if saa == 0 or sbb == 0:
        return None
    return sab / math.sqrt(saa * sbb)


def facility(scores: Sequence[float], max_score: float) -> float | None:
    """F = mean score ÷ max score."""
    if not scores or not max_score:
        return None
    return mean(scores) / max_score


def discrimination(item_scores: Sequence[float], totals: Sequence[float]) -> float | None:
    """D = r(item score, total − item score)."""
    rest = [t - x for x, t in zip(item_scores, totals, strict=True)]
    return pearson(item_scores, rest)


def cronbach_alpha(matrix: Sequence[Sequence[float]]) -> float | None:
    """α for rows = attempts, columns = items (every row complete); None when undefined."""
    if len(matrix) < 2:
        return None
    k = len(matrix[0])
    if k < 2 or any(len(row) != k for row in matrix):
        return None
    totals = [sum(row) for row in matrix]
    total_var = variance(totals)
    if total_var == 0:
        return None
    item_var = sum(variance([row[j] for row in matrix]) for j in range(k))
    return k / (k - 1) * (1 - item_var / total_var)


@dataclass(frozen=True)
class ItemStats:
    key: object
    attempts: int
    max_score: float
    mean_score: float
    facility: float | None
    discrimination: float | None


def item_statistics(
    responses: dict[object, list[tuple[float, float, float]]],
) -> list[ItemStats]:
    """Per item key: [(item score, item max, attempt total), ...] → its statistics."""
    stats = []
    for key, rows in responses.items():
        scores = [r[0] for r in rows]
        max_score = max(r[1] for r in rows)
        totals = [r[2] for r in rows]
        stats.append(
            ItemStats(
                key=key,
                attempts=len(rows),
                max_score=max_score,
                mean_score=mean(scores),
                facility=facility(scores, max_score),
                discrimination=discrimination(scores, totals),
            )
        )
    return stats


def mastery(score: float, points: float) -> float | None:
    """Σ score ÷ Σ points, or None without any points."""
    return score / points if points else None
