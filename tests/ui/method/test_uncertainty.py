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


def test_picking_a_key_question_loads_its_figures(chart):
    assert chart.question.value == "" and "The example: 49 Yes of 100" in chart.single_result.value
    chart.question.value = "2.4.3"
    assert (chart.yes.value, chart.n.value) == FIGURES["2.4.3"] == (26, 53)
    assert chart.probabilities == band_probabilities(FW, 26, 53)
    assert "2.4.3 in the demo inspection: 26 Yes of 53 (49.1%)" in chart.single_result.value
    chart.question.value = "4.1.3"
    assert (chart.yes.value, chart.n.value) == (25, 25)
    assert chart.probabilities["Outstanding"] > 0.9
    chart.yes.value = 20  # then a what-if on that key question
    assert "A what-if for 4.1.3 (the demo inspection: 25 of 25)" in chart.single_result.value
    assert chart.probabilities == band_probabilities(FW, 20, 25)
    chart.question.value = ""
    assert (chart.yes.value, chart.n.value) == (49, 100)


def test_a_key_question_without_figures_keeps_the_counts_and_says_so(chart):
    chart.question.value = "2.2.1"
    assert (chart.yes.value, chart.n.value) == (49, 100)
    assert "No figures for 2.2.1 in the demo inspection" in chart.single_result.value


def test_a_smaller_n_after_a_larger_yes_loads_without_a_problem(chart):
    chart.yes.value, chart.n.value = 95, 100
    chart.question.value = "2.4.3"  # 26 of 53: Yes set first, never more Yes than n
    assert chart.feedback.value == "" and (chart.yes.value, chart.n.value) == (26, 53)


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
    assert 'role="img"' in chart.chart.value
    assert chart.chart.label.startswith("Stacked bars for 4 key questions")
    assert "2.4.3 (Inadequate) another band" in chart.chart.label


def test_without_figures_only_the_what_if():
    chart = UncertaintyChart(FW, None, draws=1_000)
    assert chart.frame is None and chart.chart is None
    assert "needs the demo inspection" in chart.summary.value
