"""SampleSizeExplorer: sample size and formula, and the margin of an LDU sub-sample."""

import pytest

from workbook.stats import Z80, margin_of_error, sample_size
from workbook.ui.method.samples import SampleSizeExplorer


def test_240_cases_at_80_percent_and_5_points_need_98():
    explorer = SampleSizeExplorer(population=240)
    assert explorer.n == 98
    assert "97.75" in explorer.formula and "rounded up: 98" in explorer.formula
    assert "98 cases" in explorer.result.value


def test_controls_drive_the_sample_size():
    explorer = SampleSizeExplorer(population=240)
    explorer.confidence.value = 0.95
    assert explorer.n == sample_size(240, confidence=0.95, margin=0.05).n == 148
    explorer.margin.value = 10.0
    assert explorer.n == sample_size(240, confidence=0.95, margin=0.10).n
    explorer.population.value = 5000
    assert explorer.n == sample_size(5000, confidence=0.95, margin=0.10).n


def test_the_ldu_sub_sample_margin_grows_as_it_shrinks():
    explorer = SampleSizeExplorer(population=240, subsample=31)
    # hand: 100 x 1.2816 x 0.5 / sqrt(31) = 11.51 points
    assert explorer.subsample_margin == pytest.approx(11.51, abs=0.01)
    assert explorer.subsample_margin == pytest.approx(margin_of_error(31, Z80))
    assert "above 5 points" in explorer.subsample_result.value
    explorer.subsample.value = 10
    small = explorer.subsample_margin
    explorer.subsample.value = 200
    assert small > explorer.subsample_margin
    assert "10 cases" not in explorer.subsample_result.value


def test_the_chart_marks_the_chosen_size_and_the_flag():
    explorer = SampleSizeExplorer(population=240, subsample=25)
    spec = explorer.chart.chart.to_dict()
    rows = [r for rows in spec["datasets"].values() for r in rows]
    assert {"margin": 5.0, "label": "flagged above 5 points"} in rows
    assert "<caption" in explorer.table.value
    assert 'role="img"' in explorer.chart.value
    assert "The marked LDU of 25 cases: ±12.8 points." in explorer.chart.label


def test_the_sub_sample_slider_is_named_and_kept_within_its_range():
    explorer = SampleSizeExplorer(population=240, subsample=30)
    assert explorer.subsample.description == "Cases in an LDU sub-sample"
    explorer.subsample.value = 10_000  # a visitor can send any value
    assert explorer.subsample.value == 240
    explorer.subsample.value = -5
    assert explorer.subsample.value == 2


def test_a_smaller_population_narrows_the_sub_sample_slider():
    explorer = SampleSizeExplorer(population=240, subsample=100)
    explorer.population.value = 60
    assert explorer.subsample.max == 60
    assert explorer.subsample.value == 60
    assert explorer.n == sample_size(60).n
    assert explorer.feedback.value == ""
