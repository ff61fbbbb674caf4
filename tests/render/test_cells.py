"""The one cell writer: text a spreadsheet would run as a formula is kept as text."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.render.cells import cell_text, safe_cell, safe_row, safe_table


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Warwickshire", "Warwickshire"),
        ("a = b", "a = b"),
        ("", ""),
        (-2, -2),
        (-1.5, -1.5),
        (None, None),
    ],
)
def test_text_that_could_be_a_formula_is_prefixed_and_numbers_are_not(value, safe):
    assert safe_cell(value) == safe
    assert type(safe_cell(value)) is type(safe)


def test_a_row_and_a_table_keep_their_numbers_and_attrs():
    assert safe_row(["=1", -3, 2.5, "x"]) == ["'=1", -3, 2.5, "x"]
    table = pd.DataFrame({"=name": ["@a", "b", None], "n": [-1, 0, 1]})
    table.attrs = {"title": "T", "footnotes": ["-note", "note"]}
    out = safe_table(table)
    assert list(out.columns) == ["'=name", "n"]
    assert out["n"].tolist() == [-1, 0, 1] and pd.api.types.is_integer_dtype(out["n"])
    assert out["'=name"].tolist()[:2] == ["'@a", "b"] and pd.isna(out["'=name"].iloc[2])
    assert out.attrs == {"title": "T", "footnotes": ["'-note", "note"]}
    assert table["=name"].tolist()[0] == "@a"  # the table itself is not changed


def test_cell_text_is_the_plain_text_of_a_value():
    assert [cell_text(v) for v in (None, pd.NA, 81.25, 3, "x")] == ["", "", "81.2", "3", "x"]
