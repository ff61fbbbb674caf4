"""BandExplorer: sliders of Yes answers drive key-question bands and the standard's rating."""

import re

import pytest

from workbook.files import load_framework
from workbook.ratings import rate_percentage
from workbook.ui.method.bands import BandExplorer
from workbook.ui.method.part import ChartView
from workbook.ui.method.slider import NamedSlider

FW = load_framework("hmip-2018-crc")


@pytest.fixture
def explorer():
    return BandExplorer(
        FW,
        demo_figures={"2.1.1": (79, 98), "2.1.2": (81, 98), "2.1.3": (63, 98), "4.1.1": (20, 25)},
    )


def test_one_slider_per_key_question_of_the_standard(explorer):
    assert explorer.standard == "2.1"
    assert list(explorer.sliders) == ["2.1.1", "2.1.2", "2.1.3"]
    assert all(s.max == explorer.sizes[k].value for k, s in explorer.sliders.items())
    # example figures: 45, 40, 33 of 60 -> 75% Good, 67% Good, 55% Requires improvement
    assert explorer.rating == "Requires improvement"
    assert explorer.reason == "lowest key-question band (2.1.3)"
    assert "Requires improvement" in explorer.rating_label.value
    assert isinstance(explorer.chart, ChartView)
    assert all(isinstance(s, NamedSlider) for s in explorer.sliders.values())
    assert explorer.sliders["2.1.1"].description == "2.1.1 Yes answers"
    assert explorer.sliders["2.1.1"].value_text == "45 of 60"


def _svg_words(view):
    return re.findall(r"<text[^>]*>([^<]*)</text>", view.value)


def test_the_chart_is_an_image_named_by_its_figures_drawn_with_the_text(explorer):
    view = explorer.chart
    assert view.value.startswith('<div class="wb-method-chart" role="img" aria-label="')
    assert "2.1.3 55% Requires improvement" in view.label
    assert view.label in view.value.replace("&#39;", "'")
    assert "Requires improvement (55%)" in _svg_words(view)
    explorer.sliders["2.1.3"].value = 10  # 17%: Inadequate
    assert "2.1.3 17% Inadequate" in view.label
    assert "Inadequate (17%)" in _svg_words(view)
    assert "Standard 2.1: <strong>Inadequate</strong>" in explorer.rating_label.value
    assert explorer.sliders["2.1.3"].value_text == "10 of 60"


def test_a_slider_move_changes_a_band(explorer):
    explorer.sliders["2.1.3"].value = 48  # 48 of 60 = 80%
    assert explorer.rating == "Good"
    assert explorer.reason == "lowest key-question band (2.1.1, 2.1.2)"
    explorer.sliders["2.1.1"].value = 29  # 29 of 60 = 48.3% -> 48%
    assert explorer.rating == "Inadequate"
    assert explorer.reason == "lowest key-question band (2.1.1)"
    assert "Inadequate" in explorer.table.value
    assert explorer.figures["2.1.1"] == [29, 60]


def test_bands_agree_with_the_ratings_engine(explorer):
    for yes in range(0, 61, 3):
        explorer.sliders["2.1.2"].value = yes
        explorer.sliders["2.1.1"].value = 60
        explorer.sliders["2.1.3"].value = 60
        assert explorer.rating == rate_percentage(FW, yes, 60 - yes)


def test_the_rounding_boundary_half_up(explorer):
    explorer.sizes["2.1.1"].value = 200
    explorer.sliders["2.1.1"].value = 99  # 49.5% prints as 50%: Requires improvement
    explorer.sliders["2.1.2"].value = 60
    explorer.sliders["2.1.3"].value = 60
    assert explorer.rating == "Requires improvement"
    explorer.sliders["2.1.1"].value = 98  # 49%
    assert explorer.rating == "Inadequate"


def test_n_changes_the_slider_range(explorer):
    explorer.sizes["2.1.3"].value = 20
    assert explorer.sliders["2.1.3"].max == 20
    assert explorer.sliders["2.1.3"].value == 20
    assert explorer.figures["2.1.3"] == [20, 20]
    assert explorer.rating == "Good"


def test_load_the_demo_figures(explorer):
    explorer.load_demo.click()
    assert explorer.figures == {"2.1.1": [79, 98], "2.1.2": [81, 98], "2.1.3": [63, 98]}
    assert explorer.rating == "Requires improvement"  # 63 of 98 = 64%
    explorer.standard_picker.value = "4.1"
    assert list(explorer.sliders) == ["4.1.1", "4.1.2", "4.1.3", "4.1.4"]
    explorer.load_demo.click()
    assert explorer.figures["4.1.1"] == [20, 25]


def test_without_demo_figures_the_button_is_off_and_a_click_is_explained():
    explorer = BandExplorer(FW)
    assert explorer.load_demo.disabled
    explorer.load_demo.click()  # a visitor can still send a click: shown, not raised
    assert "no demo figures" in explorer.feedback.value


def test_the_chart_draws_threshold_lines_and_band_words(explorer):
    spec = explorer.chart.chart.to_dict()
    rules = [layer for layer in spec["layer"] if layer["mark"].get("type") == "rule"]
    assert rules
    values = spec["datasets"]
    lines = [rows for rows in values.values() if rows and "min_pct" in rows[0]]
    assert sorted(r["min_pct"] for r in lines[0] if r["min_pct"] > 0) == [50.0, 65.0, 80.0]
    bars = [
        rows for rows in values.values() if rows and "band" in rows[0] and "question" in rows[0]
    ][0]
    assert [r["band"] for r in bars] == ["Good", "Good", "Requires improvement"]
