"""The uncertainty of a band: Beta posterior (Jeffreys prior) and fresh-sample simulation."""

import math
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.files import load_framework
from workbook.ratings import rate_percentage
from workbook.uncertainty import (
    JEFFREYS,
    UNIFORM,
    another_band_chance,
    band_edges,
    band_index,
    band_probabilities,
    beta_cdf,
    fresh_sample_bands,
    kq_uncertainty,
    share_below,
    uncertainty_frame,
)

FW = load_framework("hmip-2018-crc")


@pytest.mark.parametrize("x", [0.01, 0.2, 0.5, 0.77, 0.99])
def test_beta_cdf_matches_closed_forms(x):
    assert beta_cdf(x, 1, 1) == pytest.approx(x, abs=1e-12)
    assert beta_cdf(x, 3.5, 1) == pytest.approx(x**3.5, abs=1e-12)
    assert beta_cdf(x, 1, 4.25) == pytest.approx(1 - (1 - x) ** 4.25, abs=1e-12)
    assert beta_cdf(x, 0.5, 0.5) == pytest.approx(2 / math.pi * math.asin(math.sqrt(x)), abs=1e-10)


@pytest.mark.parametrize(
    ("a", "b", "x"), [(3, 5, 0.3), (20, 11, 0.7), (50, 52, 0.5), (81, 19, 0.8), (2, 90, 0.05)]
)
def test_beta_cdf_of_whole_numbers_is_a_binomial_tail(a, b, x):
    # I_x(a, b) = P(Binomial(a + b - 1, x) >= a) for whole a, b
    m = a + b - 1
    tail = sum(math.comb(m, j) * x**j * (1 - x) ** (m - j) for j in range(a, m + 1))
    assert beta_cdf(x, a, b) == pytest.approx(tail, abs=1e-10)


def test_beta_cdf_edges_and_bad_parameters():
    assert beta_cdf(0, 2, 3) == 0.0
    assert beta_cdf(1, 2, 3) == 1.0
    with pytest.raises(ValueError):
        beta_cdf(0.5, 0, 1)


def test_49_of_100_is_below_half_about_half_the_time():
    p = share_below(49, 100, 0.5)
    # hand check: posterior Beta(49.5, 51.5), mean 0.4901, sd 0.0495 -> Normal z = 0.20, 0.579
    a, b = 49.5, 51.5
    mean, sd = a / (a + b), math.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert p == pytest.approx(NormalDist(mean, sd).cdf(0.5), abs=0.005)
    assert p == pytest.approx(0.579, abs=0.002)
    assert abs(p - 0.5) < 0.1  # "about one half"
    # the band Inadequate under half-up rounding (true share below 49.5%): within 0.05 of 0.5
    assert band_probabilities(FW, 49, 100)["Inadequate"] == pytest.approx(0.5, abs=0.05)


def test_band_probabilities_sum_to_one_best_first():
    probs = band_probabilities(FW, 63, 98)
    assert list(probs) == list(FW.ratings)
    assert sum(probs.values()) == pytest.approx(1.0, abs=1e-12)
    assert max(probs, key=probs.get) == "Requires improvement"


def test_band_edges_follow_the_rounding():
    assert [e for _, e in band_edges(FW)] == pytest.approx([0.795, 0.645, 0.495, 0.0])


def test_the_uniform_prior_is_offered():
    assert share_below(0, 1, 0.5, UNIFORM) == pytest.approx(0.75)  # Beta(1, 2): 1 - (1 - x)^2
    assert share_below(0, 1, 0.5, JEFFREYS) != share_below(0, 1, 0.5, UNIFORM)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 250))
def test_band_index_is_the_rating_rule(n):
    ks = np.arange(n + 1)
    ranks = band_index(FW, ks, n)
    expected = [
        FW.thresholds.index(
            next(t for t in FW.thresholds if t.rating == rate_percentage(FW, k, n - k))
        )
        for k in ks
    ]
    assert ranks.tolist() == expected


def _exact_another_band(yes, n, prior=JEFFREYS):
    """Beta-binomial predictive, exactly: sum over k' of P(k') where k' has another band."""
    a, b = prior[0] + yes, prior[1] + n - yes
    lbeta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    observed = band_index(FW, np.array([yes]), n)[0]
    total = 0.0
    for k in range(n + 1):
        lp = (
            math.log(math.comb(n, k))
            + math.lgamma(k + a)
            + math.lgamma(n - k + b)
            - math.lgamma(n + a + b)
            - lbeta
        )
        if band_index(FW, np.array([k]), n)[0] != observed:
            total += math.exp(lp)
    return total


@pytest.mark.parametrize(("yes", "n"), [(49, 100), (79, 98), (25, 25), (12, 18), (0, 10)])
def test_fresh_sample_simulation_matches_the_exact_predictive(yes, n):
    simulated = another_band_chance(FW, yes, n, seed=7, draws=200_000)
    assert simulated == pytest.approx(_exact_another_band(yes, n), abs=0.006)


def test_the_seed_reproduces_the_simulation():
    one = fresh_sample_bands(FW, 63, 98, seed=11, draws=5_000)
    assert one == fresh_sample_bands(FW, 63, 98, seed=11, draws=5_000)
    assert one != fresh_sample_bands(FW, 63, 98, seed=12, draws=5_000)
    assert sum(one.values()) == pytest.approx(1.0)


def test_kq_uncertainty_and_its_table():
    u = kq_uncertainty(FW, "2.1.3", 63, 98)
    assert u.band == "Requires improvement" and u.standard == "2.1"
    assert u.same_band == u.probabilities["Requires improvement"]
    frame = uncertainty_frame(
        FW, {"2.1.3": (63, 98), "2.4.3": (26, 53), "4.1.1": (0, 0)}, draws=2_000
    )
    assert set(frame["question"]) == {"2.1.3", "2.4.3"}  # no answers: left out
    assert len(frame) == 2 * len(FW.ratings)
    assert frame.groupby("question")["probability"].sum().tolist() == pytest.approx([1.0, 1.0])
    # 26 of 53 is 49%: right at the Requires improvement / Inadequate boundary
    assert bool(frame[frame["question"] == "2.4.3"]["near_boundary"].iloc[0])


@pytest.mark.parametrize(("yes", "n"), [(5, 4), (-1, 3), (0, 0)])
def test_impossible_figures_are_refused(yes, n):
    with pytest.raises(ValueError):
        band_probabilities(FW, yes, n)
