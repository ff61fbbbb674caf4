"""OverallCalculator: points, the overall band and the cut points for 9, 10 or 12 standards."""

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
