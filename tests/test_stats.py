"""z values, the Wilson interval, margins of error, sample sizes and the beta function."""

from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.stats import (
    MARGIN_FLAG,
    Z80,
    Z95,
    beta_cdf,
    margin_of_error,
    sample_size,
    wilson_interval,
    z_value,
)

counts = st.tuples(st.integers(0, 400), st.integers(0, 400)).filter(lambda t: sum(t) > 0)


def test_z_values_of_the_reports():
    assert Z80 == pytest.approx(1.2816, abs=1e-4)
    assert Z95 == pytest.approx(1.9600, abs=1e-4)
    assert z_value(0.90) == NormalDist().inv_cdf(0.95)
    assert MARGIN_FLAG == 5.0


def test_wilson_and_margin_known_values():
    # by hand: centre (p + z^2/2n) / (1 + z^2/n) = 0.49121, half-width 0.12997
    lo, hi = wilson_interval(26, 53, 1.959964)
    assert lo == pytest.approx(36.12, abs=0.01) and hi == pytest.approx(62.12, abs=0.01)
    assert margin_of_error(98) == pytest.approx(6.47, abs=0.01)
    assert margin_of_error(98, population=240) == pytest.approx(5.0, abs=0.02)


@given(counts, st.floats(0.5, 0.999))
def test_intervals_contain_the_estimate(c, confidence):
    yes, no = c
    z = z_value(confidence)
    lo, hi = wilson_interval(yes, yes + no, z)
    p = 100 * yes / (yes + no)
    assert 0 <= lo <= p <= hi <= 100


def test_margin_shrinks_with_the_sample_and_the_population():
    assert margin_of_error(30) > margin_of_error(98) > margin_of_error(400)
    assert margin_of_error(98, population=98) == 0
    assert margin_of_error(98, population=50) == margin_of_error(98)  # n above N: no correction


@pytest.mark.parametrize(
    ("population", "n"),
    [(None, 165), (240, 98), (60, 45), (29, 25), (1, 1)],
)
def test_sample_size_at_80_percent_and_5_points(population, n):
    size = sample_size(population)
    assert size.n == n
    assert size.z == Z80
    assert size.formula.endswith(f"rounded up: {n}")


def test_sample_size_refuses_figures_out_of_range():
    with pytest.raises(ValueError, match="confidence must be between 0 and 1"):
        sample_size(100, confidence=1.2)
    with pytest.raises(ValueError, match="margin must be between 0 and 1"):
        sample_size(100, margin=5)
    with pytest.raises(ValueError, match="population must be 1 or more"):
        sample_size(0)


def test_beta_cdf_known_values():
    assert beta_cdf(0.3, 1, 1) == pytest.approx(0.3)  # uniform
    assert beta_cdf(0.5, 2.5, 2.5) == pytest.approx(0.5)  # symmetric
    assert beta_cdf(0.25, 2, 1) == pytest.approx(0.0625)  # x^2
    assert beta_cdf(-1, 2, 3) == 0.0 and beta_cdf(2, 2, 3) == 1.0
    with pytest.raises(ValueError, match="positive"):
        beta_cdf(0.5, 0, 1)


# -- sample sizes of the seed report --------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "n"),
    [(240, 98), (236, 98), (241, 98), (28, 25), (29, 25), (19, 18), (20, 18), (27, 24), (30, 26)],
)
def test_sample_size_of_the_reports_populations(population, n):
    assert sample_size(population).n == n


def test_the_reports_samples_and_their_eligible_populations():
    # 98 case-supervision cases: an eligible population of about 240 (236 to 241 give 98)
    assert [N for N in range(200, 300) if sample_size(N).n == 98] == list(range(236, 242))
    # 25 unpaid-work cases and 18 Through the Gate cases: populations of 28-29 and 19-20
    assert [N for N in range(1, 100) if sample_size(N).n == 25] == [28, 29]
    assert [N for N in range(1, 100) if sample_size(N).n == 18] == [19, 20]
    size = sample_size(240)
    assert size.formula.endswith("rounded up: 98")
    assert "1.2816" in size.formula and "/ 240" in size.formula
    assert sample_size(None).n == 165  # no finite-population correction
