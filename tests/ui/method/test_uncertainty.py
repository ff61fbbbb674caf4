"""UncertaintyChart: band probabilities for k of n and for every key question."""

import pytest

from workbook.files import load_framework
from workbook.ui.method.uncertainty import UncertaintyChart
from workbook.uncertainty import another_band_chance, band_probabilities

FW = load_framework("hmip-2018-crc")
FIGURES = {"2.1.1": (79, 98), "2.1.3": (63, 98), "2.4.3": (26, 53), "4.1.3": (25, 25)}


@pytest.fixture
def chart():
    return UncertaintyChart(FW, FIGURES, draws=4_000)


def test_49_of_100(chart):
    assert chart.yes.value == 49 and chart.n.value == 100
    assert chart.below_half == pytest.approx(0.5, abs=0.1)
    assert chart.below_half == pytest.approx(0.579, abs=0.002)
    assert chart.probabilities["Inadequate"] == pytest.approx(0.5, abs=0.05)
    assert "Jeffreys prior Beta(1/2, 1/2)" in chart.children[0].value


def test_the_what_if_follows_the_controls(chart):
    chart.yes.value = 90
    assert chart.probabilities == band_probabilities(FW, 90, 100)
    assert chart.probabilities["Outstanding"] > 0.95
    assert chart.another_band == another_band_chance(FW, 90, 100, draws=4_000)
    assert "Outstanding" in chart.single_result.value


def test_impossible_figures_are_shown_not_raised(chart):
    chart.yes.value = 120  # more Yes than n
    assert "between 0 and n" in chart.feedback.value
    chart.yes.value = 50
    assert chart.feedback.value == ""


def test_every_key_question_near_boundary_first(chart):
    rows = chart.frame.drop_duplicates("question").set_index("question")
    assert set(rows.index) == set(FIGURES)
    assert bool(rows.loc["2.4.3", "near_boundary"])  # 49%, at the edge of Inadequate
    assert not bool(rows.loc["4.1.3", "near_boundary"])  # 25 of 25
    spec = chart.chart.chart.to_dict()
    y_sort = spec["layer"][0]["encoding"]["y"]["sort"]
    assert y_sort[-1] == "4.1.3 (Outstanding)"
    assert "near a boundary" in chart.summary.value
    assert "<caption" in chart.table.value and "Near a boundary" in chart.table.value


def test_without_figures_only_the_what_if():
    chart = UncertaintyChart(FW, None, draws=1_000)
    assert chart.frame is None and chart.chart is None
    assert "needs the demo inspection" in chart.summary.value
