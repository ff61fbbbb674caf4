"""The dashboard's figures as rows of its views: the heatmap's table and one LDU's table; the
words of a hidden figure; the margin mark only where the band is not sure."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.app.test_dashboard import _cases, _figures
from workbook.report import WHOLE_SAMPLE
from workbook.report.dashboard import (
    ALL_GROUPS,
    MARGIN_NOTE,
    composition_counts,
    crosses_band,
    explorer_rows,
    explorer_table,
    heatmap_rows,
    hidden_words,
)

BANDS = (("Outstanding", 80.0), ("Good", 65.0), ("Requires improvement", 50.0), ("Inadequate", 0.0))
EAST_SMALL = "Fewer than 5 cases in East: its figure is not shown"
SOUTH_PROTECTS = "Not shown, so that East's figure cannot be worked out from the total"


def test_the_heatmap_rows_hold_a_band_and_words_for_every_group():
    _framework, f = _figures()
    groups, rows = heatmap_rows(f)
    assert groups == [WHOLE_SAMPLE, "East", "North", "South"]
    kq, cells = rows[0]
    assert kq == "2.1.1" and len(cells) == len(groups)
    assert cells[1] == (None, EAST_SMALL, "")
    band, text, _could = cells[2]
    assert band and text.startswith(band)
    assert cells[3] == (None, SOUTH_PROTECTS, "")


def test_a_hidden_figure_says_which_group_is_small_and_which_is_hidden_to_protect_it():
    _framework, f = _figures()
    says = f.figures.set_index(["kq", "group"])["says"]
    assert says.loc["2.1.1", "East"] == EAST_SMALL
    assert says.loc["2.1.1", "South"] == SOUTH_PROTECTS
    assert says.loc["2.1.1", "North"] == ""  # shown: nothing to say
    # the LDUs' case counts, and the sample's make-up, in the same words
    assert f.group_cases["East"] == "fewer than 5 cases, not shown"
    assert f.group_cases["South"] == (
        "not shown, so that the count for East cannot be worked out from the total"
    )
    rosh = composition_counts(_cases(), "rosh", 5).set_index("value")["text"]
    assert rosh["very high"] == "fewer than 5 cases, not shown"
    assert rosh["high"] == (
        "not shown, so that the count for very high cannot be worked out from the total"
    )
    assert "protects a small group" not in " ".join(says) + " ".join(f.group_cases.values())


@pytest.mark.parametrize(
    "small, protected, group, what, words",
    [
        (True, [], "Dudley", "figure", "Fewer than 5 cases in Dudley: its figure is not shown"),
        (True, [], WHOLE_SAMPLE, "figure", "Fewer than 5 cases in the whole sample: its figure is not shown"),
        (False, ["Dudley"], "Sandwell", "figure", "Not shown, so that Dudley's figure cannot be worked out from the total"),
        (False, ["Dudley", "Walsall"], "Sandwell", "figure", "Not shown, so that the figures of Dudley and Walsall cannot be worked out from the total"),
        (False, ["a", "b", "c"], None, "count", "not shown, so that the counts for a, b and c cannot be worked out from the total"),
        (True, [], None, "count", "fewer than 5 cases, not shown"),
    ],
)  # fmt: skip
def test_hidden_words(small, protected, group, what, words):
    assert hidden_words(small, 5, protected, group=group, what=what) == words


@pytest.mark.parametrize(
    "lo, hi, reached",
    [
        (66.0, 79.9, []),  # inside Good
        (60.0, 80.0, ["Outstanding", "Good", "Requires improvement"]),
        (81.0, 95.0, []),
        (75.0, 86.0, ["Outstanding", "Good"]),
        (40.0, 55.0, ["Requires improvement", "Inadequate"]),
        (None, 50.0, []),
        (float("nan"), 50.0, []),
    ],
)
def test_an_interval_crosses_a_band_only_when_it_reaches_another_band(lo, hi, reached):
    assert crosses_band(lo, hi, BANDS) == reached


def test_the_margin_mark_is_only_on_ldu_figures_whose_band_is_not_sure():
    _framework, f = _figures()
    shown = f.figures[~f.figures["suppressed"].astype(bool)]
    for r in shown.to_dict(orient="records"):
        reached = crosses_band(r["ci80_lo"], r["ci80_hi"], f.thresholds)
        if r["group"] == WHOLE_SAMPLE or not reached:
            assert r["crosses"] == "", r
        else:
            others = [b for b in reached if b != r["band"]]
            words = others[0] if len(others) == 1 else ", ".join(others[:-1]) + " or " + others[-1]
            assert r["crosses"] == words, r
    marked = shown[shown["crosses"] != ""]
    assert 0 < len(marked) < len(shown[shown["group"] != WHOLE_SAMPLE])  # some, not all
    # the mark's meaning in words, on the page's notes
    assert "80% interval reaches into another band" in MARGIN_NOTE
    assert any(MARGIN_NOTE in n for n in f.notes)


def test_one_ldus_rows_put_the_whole_sample_first_and_hold_no_counts():
    framework, f = _figures()
    rows = explorer_rows(f, "North", "2.1")
    assert list(rows["group"].unique()) == [WHOLE_SAMPLE, "North"]
    assert {"yes", "no", "not_applicable"}.isdisjoint(rows.columns)
    kq_text = {q.id: q.text for q in framework.rated_key_questions}
    table = explorer_table(rows, kq_text)
    assert table[0]["kq"] == "2.1.1" and table[0]["text"] == kq_text["2.1.1"]
    assert table[0]["pct"].endswith("%") and table[0]["interval"].endswith("%")
    for row in table:
        assert bool(row["flag"]) == bool(row["could"])
    everyone = explorer_rows(f, ALL_GROUPS)
    assert set(everyone["group"]) == {WHOLE_SAMPLE, "East", "North", "South"}
    east = [r for r in explorer_table(everyone, kq_text) if r["group"] == "East"]
    assert all(r["band"] is None and r["n"] == "" and r["pct"] == EAST_SMALL for r in east)


def test_a_chart_gets_the_short_words_and_no_counts():
    from workbook.report.dashboard import chart_rows

    _framework, f = _figures()
    rows = chart_rows(f.figures).set_index(["kq", "group"])
    assert rows.loc[("2.1.1", "South"), "note"] == "not shown"
    assert rows.loc[("2.1.1", "East"), "note"] == "fewer than 5 cases"
    assert pd.isna(rows.loc[("2.1.1", "East"), "n"])
