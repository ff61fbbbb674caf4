"""The dashboard's figures as rows of its views: the heatmap's table and one LDU's table."""

from __future__ import annotations

from tests.app.test_dashboard import _figures
from workbook.report import WHOLE_SAMPLE
from workbook.report.dashboard import ALL_GROUPS, explorer_rows, explorer_table, heatmap_rows


def test_the_heatmap_rows_hold_a_band_and_words_for_every_group():
    _framework, f = _figures()
    groups, rows = heatmap_rows(f)
    assert groups == [WHOLE_SAMPLE, "East", "North", "South"]
    kq, cells = rows[0]
    assert kq == "2.1.1" and len(cells) == len(groups)
    east = cells[1]
    assert east == (None, "fewer than 5 cases")
    band, text = cells[2]
    assert band and text.startswith(band)


def test_one_ldus_rows_put_the_whole_sample_first_and_hold_no_counts():
    framework, f = _figures()
    rows = explorer_rows(f, "North", "2.1")
    assert list(rows["group"].unique()) == [WHOLE_SAMPLE, "North"]
    assert {"yes", "no", "not_applicable"}.isdisjoint(rows.columns)
    kq_text = {q.id: q.text for q in framework.rated_key_questions}
    table = explorer_table(rows, kq_text)
    assert table[0]["kq"] == "2.1.1" and table[0]["text"] == kq_text["2.1.1"]
    assert table[0]["pct"].endswith("%") and table[0]["interval"].endswith("%")
    everyone = explorer_rows(f, ALL_GROUPS)
    assert set(everyone["group"]) == {WHOLE_SAMPLE, "East", "North", "South"}
    east = [r for r in explorer_table(everyone, kq_text) if r["group"] == "East"]
    assert all(r["band"] is None and r["n"] == "" for r in east)
