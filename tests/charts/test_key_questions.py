"""Chart builders tested as specifications, against workbook.ratings on the same data."""

import json

import numpy as np
import pandas as pd
import pytest

from workbook import charts, report
from workbook.files import load_framework
from workbook.framework import RATINGS
from workbook.ratings import rate
from workbook.render import palette


@pytest.fixture(scope="module")
def framework():
    return load_framework("hmip-2018-crc")


@pytest.fixture(scope="module")
def figures(framework):
    rng = np.random.default_rng(3)
    cases = pd.DataFrame(
        {
            "case_id": [f"C{i}" for i in range(40)],
            "ldu": ["North"] * 20 + ["South"] * 17 + ["East"] * 3,
        }
    )
    rows = [
        (c, q.id, str(rng.choice(["yes", "no"])))
        for c in cases["case_id"]
        for q in framework.rated_key_questions
        if q.sample == "case_supervision"
    ]
    ratings = rate(
        framework,
        pd.DataFrame(rows, columns=["case_id", "question", "answer"]),
        cases=cases,
        by=("ldu",),
    )
    return ratings, report.kq_figures(framework, ratings, suppress_below=5)


def _layers(spec):
    return spec["layer"]


def _values(spec, layer):
    data = layer.get("data") or spec["data"]
    return spec["datasets"][data["name"]] if "name" in data else data["values"]


def test_kq_chart_shows_each_percentage_with_interval_thresholds_and_band_words(figures):
    ratings, fig = figures
    spec = charts.draw_kq_chart(fig).to_dict()
    layers = _layers(spec)
    marks = [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in layers
    ]
    assert marks == ["rule", "text", "rule", "point", "text"]
    thresholds = _values(spec, layers[0])
    assert sorted(t["pct"] for t in thresholds) == [50.0, 65.0, 80.0]
    points = _values(spec, layers[3])
    by_key = {(p["kq"], p["group"]): p for p in points}
    r = ratings.key_questions["2.1.1"]
    p = by_key[("2.1.1", report.WHOLE_SAMPLE)]
    assert p["pct"] == r.pct_rounded and p["band"] == r.band
    assert p["ci80_lo"] == pytest.approx(r.ci80[0]) and p["ci80_hi"] == pytest.approx(r.ci80[1])
    assert p["label"] == f"{r.pct_rounded}% {r.band}"
    # suppressed groups are not drawn at all
    assert not any(g == "East" for _, g in by_key)
    enc = layers[3]["encoding"]
    assert enc["color"]["field"] == "group" and enc["shape"]["field"] == "group"
    assert any(t["field"] == "band" for t in enc["tooltip"])
    assert layers[4]["encoding"]["text"]["field"] == "label"
    assert (
        layers[2]["encoding"]["x"]["field"] == "ci80_lo"
        and layers[2]["encoding"]["x2"]["field"] == "ci80_hi"
    )
    json.dumps(spec)  # serialisable


def test_heatmap_prints_band_word_and_percentage_in_each_cell(figures):
    ratings, fig = figures
    spec = charts.draw_heatmap(fig).to_dict()
    rect, text = _layers(spec)
    cells = {(v["kq"], v["group"]): v for v in _values(spec, rect)}
    r = ratings.key_questions["2.2.1"]
    assert cells[("2.2.1", report.WHOLE_SAMPLE)]["label"] == f"{r.band} {r.pct_rounded}%"
    assert cells[("2.2.1", "East")]["label"] == "fewer than 5 cases"
    assert cells[("2.2.1", "East")]["pct"] is None
    assert cells[("4.1.1", "North")]["label"] == "no answers yet"
    assert text["encoding"]["text"]["field"] == "label"
    scale = rect["encoding"]["color"]["scale"]
    assert scale["domain"][:4] == list(RATINGS)
    assert scale["range"][:4] == [palette.BAND_COLOURS[b] for b in RATINGS]


def test_each_heatmap_cell_writes_its_words_in_the_palettes_text_colour_for_its_fill(figures):
    _, fig = figures
    rect, text = _layers(charts.draw_heatmap(fig).to_dict())
    fills = rect["encoding"]["color"]["scale"]
    words = text["encoding"]["color"]["scale"]
    assert words["domain"] == fills["domain"] == [*RATINGS, *palette.NO_FIGURE]
    expected = [palette.BAND_TEXT[b] for b in RATINGS] + [palette.NO_FIGURE_TEXT] * 2
    assert words["range"] == expected
    assert fills["range"] == [palette.BAND_COLOURS[b] for b in RATINGS] + list(
        palette.NO_FIGURE.values()
    )


def test_the_group_colours_are_the_palettes():
    assert charts.GROUP_COLOURS == palette.GROUP_COLOURS
