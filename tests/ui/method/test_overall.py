"""OverallCalculator: points, the overall band and the cut points for 9, 10 or 12 standards."""

import re

import pytest

from workbook.files import load_framework
from workbook.ratings import overall_cut_points, rate_overall
from workbook.ui.method.overall import OverallCalculator

CRC = load_framework("hmip-2018-crc")
NPS = load_framework("hmip-2018-nps")


@pytest.fixture
def calculator():
    return OverallCalculator([CRC, NPS])


def test_ten_standards_by_default(calculator):
    assert calculator.n_standards == 10
    assert len(calculator.rating_pickers) == 10
    assert calculator.rating_pickers[0].description == "Standard 1.1"
    assert calculator.cut_points == [
        ["Inadequate", 0, 5],
        ["Requires improvement", 6, 15],
        ["Good", 16, 25],
        ["Outstanding", 26, 30],
    ]
    assert (calculator.points, calculator.max_points, calculator.rating) == (20, 30, "Good")


def test_picking_ratings_gives_points_and_band(calculator):
    ratings = ["Requires improvement"] * 4 + [
        "Good",
        "Inadequate",
        "Requires improvement",
        "Inadequate",
        "Good",
        "Requires improvement",
    ]
    calculator.set_ratings(ratings)
    assert calculator.points == 4 + 2 + 0 + 1 + 0 + 2 + 1 == 10
    assert calculator.rating == "Requires improvement" == rate_overall(CRC, ratings).rating
    calculator.rating_pickers[5].value = "Outstanding"
    assert calculator.points == 13


def test_cut_point_boundaries_for_ten(calculator):
    calculator.set_ratings(["Requires improvement"] * 5 + ["Inadequate"] * 5)  # 5 points
    assert calculator.rating == "Inadequate"
    calculator.rating_pickers[9].value = "Requires improvement"  # 6 points
    assert calculator.rating == "Requires improvement"
    calculator.set_ratings(["Outstanding"] * 6 + ["Good"] * 4)  # 26 points
    assert calculator.rating == "Outstanding"


def test_twelve_standards(calculator):
    calculator.size_picker.value = 12
    assert len(calculator.rating_pickers) == 12
    assert calculator.rating_pickers[-1].description == "Extra standard 12"
    assert [tuple(c[1:]) for c in calculator.cut_points] == [(0, 6), (7, 18), (19, 30), (31, 36)]
    assert calculator.max_points == 36
    assert "0-36" in calculator.table.value
    calculator.set_ratings(["Good"] * 6 + ["Requires improvement"] * 6)  # 18 points
    assert calculator.rating == "Requires improvement"


def test_nine_standards(calculator):
    calculator.size_picker.value = 9
    assert len(calculator.rating_pickers) == 9
    assert calculator.cut_points == [list(c) for c in overall_cut_points(CRC, 9)]
    assert calculator.max_points == 27


def test_the_framework_switch_names_its_standards(calculator):
    calculator.framework_picker.value = "hmip-2018-nps"
    assert calculator.rating_pickers[-1].description == "Standard 3.2"


def test_the_chart_draws_the_scale_with_band_names(calculator):
    spec = calculator.chart.chart.to_dict()
    rows = [r for rows in spec["datasets"].values() for r in rows if "range" in r]
    assert [(r["band"], r["range"]) for r in rows] == [
        ("Inadequate", "0-5 points"),
        ("Requires improvement", "6-15 points"),
        ("Good", "16-25 points"),
        ("Outstanding", "26-30 points"),
    ]
    texts = [
        layer["encoding"]["text"]["field"]
        for layer in spec["layer"]
        if layer["mark"]["type"] == "text"
    ]
    assert "band" in texts and "range" in texts


def test_wrong_number_of_ratings_is_refused(calculator):
    with pytest.raises(ValueError):
        calculator.set_ratings(["Good"])


def _chart_says(calculator):
    """(last band's range, marked points) as the drawn SVG writes them."""
    words = re.findall(r"<text[^>]*>([^<]*)</text>", calculator.chart.value)
    ranges = [w for w in words if re.fullmatch(r"\d+-\d+ points", w)]
    marks = [w for w in words if re.fullmatch(r"\d+ points", w)]
    return ranges[-1], marks[0]


@pytest.mark.parametrize("sizes", [(12, 9, 10, 12, 9, 12, 10), (12, 12, 9, 9, 10)])
def test_the_chart_and_the_text_agree_after_every_change_of_the_number_of_standards(
    calculator, sizes
):
    """Part 3's stale chart: after each change the drawn chart, its data, its name and the
    sentence all give the same scale and points."""
    for n in sizes:
        calculator.size_picker.value = n
        max_points, points = 3 * n, 2 * n  # every standard starts at Good
        text = re.sub(r"<[^>]+>", "", calculator.result.value)
        assert text.startswith(f"{points} points of {max_points}: overall Good."), text
        spec = calculator.chart.chart.to_dict()
        rows = [r for rows in spec["datasets"].values() for r in rows]
        assert [r["range"] for r in rows if "range" in r][-1].endswith(f"-{max_points} points")
        assert [r["points"] for r in rows if "label" in r] == [points]
        last = [r["range"] for r in rows if "range" in r][-1]
        assert _chart_says(calculator) == (last, f"{points} points")
        assert f"scale of 0 to {max_points} points" in calculator.chart.label
        assert f"The mark is at {points} points: Good." in calculator.chart.label
        assert f"(0-{max_points})" in calculator.table.value
