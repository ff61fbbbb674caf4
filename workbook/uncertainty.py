"""How much a sample's figure can be trusted: the bands the true share may lie in.

For a key question with ``yes`` Yes answers out of ``n`` (Yes + No) the true share of cases
answered Yes across the whole eligible population is unknown. With the **Jeffreys prior**
Beta(1/2, 1/2) (the default; a uniform Beta(1, 1) prior is offered too) the belief about the
true share after the sample is the Beta posterior Beta(yes + 1/2, no + 1/2).

- :func:`share_below` is the posterior probability that the true share is below a fraction,
  computed exactly with the regularized incomplete beta function (:func:`workbook.stats.beta_cdf`).
- :func:`band_probabilities` is the probability that the true share lies in each band. A true
  share is banded as a figure would be: under the framework's ``half_up`` rounding a true share
  of 49.6% prints as 50%, so the band edges are the thresholds less half a point (79.5%, 64.5%,
  49.5%); under ``exact`` rounding they are the thresholds themselves.
- :func:`another_band_chance` is the chance that a fresh sample of the same size would give a
  key question another band than the one observed: a simulation (true share drawn from the
  posterior, then a binomial sample of ``n``) with a seed that is an argument, so every figure
  can be reproduced.

Pure: stdlib and numpy; no I/O, no clock, no globals beyond constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .framework import Framework
from .ratings import rate_percentage
from .stats import beta_cdf

JEFFREYS = (0.5, 0.5)
UNIFORM = (1.0, 1.0)
PRIORS = {"jeffreys": JEFFREYS, "uniform": UNIFORM}
PRIOR_TEXT = {
    JEFFREYS: "Jeffreys prior Beta(1/2, 1/2)",
    UNIFORM: "uniform prior Beta(1, 1)",
}
DEFAULT_SEED = 2019
DEFAULT_DRAWS = 20_000
NEAR_BOUNDARY = 0.4  # near a band boundary: a fresh sample gives another band this often or more


# -- posterior ---------------------------------------------------------------------------------


def _check(yes: int, n: int) -> None:
    if n < 1:
        raise ValueError("n must be 1 or more (Yes + No answers)")
    if not 0 <= yes <= n:
        raise ValueError(f"Yes answers must be between 0 and n ({n}), not {yes}")


def posterior(yes: int, n: int, prior: tuple[float, float] = JEFFREYS) -> tuple[float, float]:
    """The Beta posterior's parameters after ``yes`` of ``n``."""
    _check(yes, n)
    return (prior[0] + yes, prior[1] + n - yes)


def share_below(yes: int, n: int, share: float, prior: tuple[float, float] = JEFFREYS) -> float:
    """Posterior probability that the true share is below ``share`` (a fraction, 0-1)."""
    a, b = posterior(yes, n, prior)
    return beta_cdf(share, a, b)


def band_edges(framework: Framework) -> list[tuple[str, float]]:
    """(rating, lowest true share as a fraction), best first, under the framework's rounding."""
    half = 0.5 if framework.rounding == "half_up" else 0.0
    return [
        (t.rating, max(0.0, (t.min_pct - half) / 100) if t.min_pct > 0 else 0.0)
        for t in framework.thresholds
    ]


def band_probabilities(
    framework: Framework, yes: int, n: int, prior: tuple[float, float] = JEFFREYS
) -> dict[str, float]:
    """Probability that the true share lies in each band, best band first; they sum to 1."""
    a, b = posterior(yes, n, prior)
    out: dict[str, float] = {}
    upper = 1.0
    for rating, lower in band_edges(framework):
        out[rating] = max(0.0, beta_cdf(upper, a, b) - beta_cdf(lower, a, b))
        upper = lower
    return out


# -- a fresh sample ------------------------------------------------------------------------------


def band_index(framework: Framework, yes: np.ndarray, n: int) -> np.ndarray:
    """Rank of the band (0 = best) of ``yes`` of ``n``, vectorised by looking up
    :func:`workbook.ratings.rate_percentage` (the one banding rule) for every count 0..n."""
    order = [t.rating for t in framework.thresholds]
    yes = np.asarray(yes, dtype=np.int64)
    if yes.size and (yes.min() < 0 or yes.max() > n):
        raise ValueError(
            f"Yes answers must be between 0 and n ({n}), not {int(yes.max()) if yes.max() > n else int(yes.min())}"
        )
    lookup = np.array(
        [order.index(rate_percentage(framework, k, n - k)) for k in range(n + 1)], dtype=np.int64
    )
    return lookup[yes]


def fresh_sample_bands(
    framework: Framework,
    yes: int,
    n: int,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    prior: tuple[float, float] = JEFFREYS,
) -> dict[str, float]:
    """Share of simulated fresh samples of size ``n`` that fall in each band, best first."""
    a, b = posterior(yes, n, prior)
    if draws < 1:
        raise ValueError("draws must be 1 or more")
    rng = np.random.default_rng(seed)
    shares = rng.beta(a, b, size=draws)
    fresh = rng.binomial(n, shares)
    idx = band_index(framework, fresh, n)
    counts = np.bincount(idx, minlength=len(framework.thresholds))
    return {t.rating: float(c) / draws for t, c in zip(framework.thresholds, counts, strict=True)}


def another_band_chance(
    framework: Framework,
    yes: int,
    n: int,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    prior: tuple[float, float] = JEFFREYS,
) -> float:
    """Chance that a fresh sample of the same size gives another band than ``yes`` of ``n``."""
    observed = framework.thresholds[int(band_index(framework, np.array([yes]), n)[0])].rating
    return 1.0 - fresh_sample_bands(framework, yes, n, seed, draws, prior)[observed]


# -- every key question of an inspection --------------------------------------------------------


@dataclass(frozen=True)
class KQUncertainty:
    """How certain one key question's band is (see the module's notes)."""

    question: str
    standard: str
    yes: int
    n: int
    band: str
    probabilities: Mapping[str, float]  # true share in each band, best first
    another_band: float  # a fresh sample of the same size gives another band

    @property
    def same_band(self) -> float:
        """The probability that the true share lies in the band observed."""
        return self.probabilities[self.band]

    @property
    def near_boundary(self) -> bool:
        """Whether a fresh sample gives another band ``NEAR_BOUNDARY`` of the time or more."""
        return self.another_band >= NEAR_BOUNDARY


def kq_uncertainty(
    framework: Framework,
    question: str,
    yes: int,
    n: int,
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    prior: tuple[float, float] = JEFFREYS,
) -> KQUncertainty:
    """The uncertainty of one key question's band."""
    kq = framework.key_question(question)
    band = framework.thresholds[int(band_index(framework, np.array([yes]), n)[0])].rating
    return KQUncertainty(
        question,
        kq.standard_id,
        yes,
        n,
        band,
        band_probabilities(framework, yes, n, prior),
        another_band_chance(framework, yes, n, seed, draws, prior),
    )


def uncertainty_frame(
    framework: Framework,
    figures: Mapping[str, tuple[int, int]],
    seed: int = DEFAULT_SEED,
    draws: int = DEFAULT_DRAWS,
    prior: tuple[float, float] = JEFFREYS,
) -> pd.DataFrame:
    """A tidy table, one row per key question and band: question, standard, yes, n, pct,
    observed band, band, probability (true share in that band), another_band,
    near_boundary. ``figures`` maps key-question ids to (yes, n); questions with n = 0 are
    left out. Each question's simulation uses ``seed`` so its figure does not depend on
    which other questions are in the table."""
    rows = []
    for question, (yes, n) in figures.items():
        if n < 1:
            continue
        u = kq_uncertainty(framework, question, yes, n, seed, draws, prior)
        for band, p in u.probabilities.items():
            rows.append(
                {
                    "question": question,
                    "standard": u.standard,
                    "yes": yes,
                    "n": n,
                    "pct": round(100 * yes / n, 1),
                    "observed_band": u.band,
                    "band": band,
                    "probability": p,
                    "another_band": u.another_band,
                    "near_boundary": u.near_boundary,
                }
            )
    columns = [
        "question",
        "standard",
        "yes",
        "n",
        "pct",
        "observed_band",
        "band",
        "probability",
        "another_band",
        "near_boundary",
    ]
    return pd.DataFrame(rows, columns=columns)
