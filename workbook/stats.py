"""The statistics the ratings and the sampling rest on: z values, intervals, margins, sizes.

- :func:`z_value` is the two-sided standard normal quantile of a confidence level
  (``Z80`` = 1.2816 and ``Z95`` = 1.9600 are the two the reports use).
- :func:`wilson_interval` is the Wilson score interval of a share of yes answers.
- :func:`margin_of_error` is the design margin of error at p = 0.5, finite-population
  corrected when the population is known; a breakdown whose margin is above ``MARGIN_FLAG``
  points is flagged.
- :func:`sample_size` is the number of cases needed for a margin at a confidence level.
- :func:`beta_cdf` is the regularized incomplete beta function the band certainty uses.

Pure: stdlib only; no I/O, no clock, no globals beyond constants.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

__all__ = [
    "MARGIN_FLAG",
    "Z80",
    "Z95",
    "SampleSize",
    "beta_cdf",
    "margin_of_error",
    "sample_size",
    "wilson_interval",
    "z_value",
]


def z_value(confidence: float) -> float:
    """The two-sided standard normal quantile of a confidence level.

    Parameters
    ----------
    confidence : float
        The confidence level, between 0 and 1, such as 0.80.

    Returns
    -------
    float
        z such that a standard normal value lies within +-z with that probability.
    """
    return NormalDist().inv_cdf(0.5 + confidence / 2)


Z80 = z_value(0.80)  # two-sided 80%: 1.2816
Z95 = z_value(0.95)  # two-sided 95%: 1.9600
MARGIN_FLAG = 5.0  # percentage points; the report's design margin


def wilson_interval(yes: int, n: int, z: float) -> tuple[float, float]:
    """The Wilson score interval of ``yes`` out of ``n``, in percentages.

    Parameters
    ----------
    yes : int
        Yes answers.
    n : int
        Yes and No answers, 1 or more.
    z : float
        The normal quantile of the confidence level (``Z80``, ``Z95``).

    Returns
    -------
    tuple of float
        (lowest, highest) percentage; the interval always contains the estimate.
    """
    p = yes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    lo, hi = max(0.0, centre - half), min(1.0, centre + half)
    return (100 * min(lo, p), 100 * max(hi, p))


def margin_of_error(n: int, z: float = Z80, population: int | None = None) -> float:
    """The design margin of error at p = 0.5, in percentage points.

    Parameters
    ----------
    n : int
        Cases in the sample, 1 or more.
    z : float, default ``Z80``
        The normal quantile of the confidence level.
    population : int, optional
        The eligible population; when known, the margin is finite-population corrected.

    Returns
    -------
    float
        The margin, in percentage points.
    """
    m = 100 * z * 0.5 / math.sqrt(n)
    if population and population > 1 and n <= population:
        m *= math.sqrt((population - n) / (population - 1))
    return m


@dataclass(frozen=True)
class SampleSize:
    """A sample size with the figures that led to it (see :func:`sample_size`)."""

    population: int | None
    confidence: float
    margin: float
    proportion: float
    z: float
    n0: float  # before the finite-population correction
    exact: float  # after it
    n: int  # rounded up

    @property
    def formula(self) -> str:
        """The formula with the figures put in, ending with the size rounded up."""
        text = f"n0 = z^2 p(1-p) / e^2 = {self.z:.4f}^2 x {self.proportion:g} x {1 - self.proportion:g} / {self.margin:g}^2 = {self.n0:.2f}"
        if self.population:
            text += f"; n = n0 / (1 + (n0 - 1) / N) = {self.n0:.2f} / (1 + {self.n0 - 1:.2f} / {self.population}) = {self.exact:.2f}"
        return text + f"; rounded up: {self.n}"


def sample_size(
    population: int | None, confidence: float = 0.80, margin: float = 0.05, proportion: float = 0.5
) -> SampleSize:
    """Cases needed to estimate a proportion within ``margin`` at ``confidence``.

    Parameters
    ----------
    population : int or None
        The eligible population; when known, the finite-population correction is applied.
    confidence : float, default 0.80
        The confidence level, between 0 and 1.
    margin : float, default 0.05
        The margin of error as a fraction (0.05 for 5 points), between 0 and 1.
    proportion : float, default 0.5
        The expected proportion, between 0 and 1 (0.5 is the most cautious).

    Returns
    -------
    SampleSize
        The size, rounded up and at most the population, with its figures.

    Raises
    ------
    ValueError
        If a figure is out of its range.
    """
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1, such as 0.80")
    if not 0 < margin < 1:
        raise ValueError("margin must be between 0 and 1, such as 0.05 for 5 points")
    if not 0 < proportion < 1:
        raise ValueError("proportion must be between 0 and 1")
    if population is not None and population < 1:
        raise ValueError("population must be 1 or more")
    z = z_value(confidence)
    n0 = z * z * proportion * (1 - proportion) / (margin * margin)
    exact = n0 / (1 + (n0 - 1) / population) if population else n0
    n = math.ceil(exact - 1e-9)
    if population:
        n = min(n, population)
    return SampleSize(population, confidence, margin, proportion, z, n0, exact, n)


# -- the regularized incomplete beta function -------------------------------------------------


def _beta_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b), evaluated by the modified Lentz method."""
    tiny = 1e-300
    f, c, d = 1.0, 1.0, 0.0
    for j in range(1, 20_000):
        m = j // 2
        if j % 2:  # odd terms: d_{2m+1}
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        else:  # even terms: d_{2m}
            num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + num * d
        d = tiny if abs(d) < tiny else d
        c = 1.0 + num / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = c * d
        f *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return f


def beta_cdf(x: float, a: float, b: float) -> float:
    """P(X <= x) for X ~ Beta(a, b): the regularized incomplete beta function I_x(a, b).

    Parameters
    ----------
    x : float
        The point; below 0 gives 0, above 1 gives 1.
    a, b : float
        The Beta parameters, positive.

    Returns
    -------
    float
        The probability.

    Raises
    ------
    ValueError
        If a parameter is not positive.
    """
    if a <= 0 or b <= 0:
        raise ValueError("the Beta parameters must be positive")
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        a * math.log(x)
        + b * math.log1p(-x)
        - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) / (a * _beta_fraction(x, a, b))
    return 1.0 - math.exp(log_front) / (b * _beta_fraction(1 - x, b, a))
