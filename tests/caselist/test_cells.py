"""The one cell rule: text a spreadsheet would run as a formula is kept as text, and the prefix
comes off again exactly, so every text survives a write and a read."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.caselist.cells import (
    FORMULA_START,
    may_hold_quoted,
    quote_text,
    unquote_cells,
    unquote_text,
)


@pytest.mark.parametrize(
    "text, written",
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'quoted", "'quoted"),  # already inert, and nothing for the reader to take off
        ("'=1", "''=1"),  # a real quote before a formula: one more, taken off again
        ("''-1", "'''-1"),
        ("North", "North"),
        ("a = b", "a = b"),
        ("", ""),
        ("'", "'"),
    ],
)
def test_formula_text_gets_one_quote_and_reads_back(text, written):
    assert quote_text(text) == written
    assert unquote_text(written) == text


def test_the_reader_takes_off_only_what_the_writer_added():
    assert unquote_text("'quoted") == "'quoted"
    assert unquote_text("O'Brien") == "O'Brien"
    assert unquote_text("'") == "'"
    assert unquote_text("=1") == "=1"  # no quote: nothing to take off


def test_a_format_with_a_marker_of_its_own_quotes_it_too():
    starts = (*FORMULA_START, "\\")
    assert quote_text("\\N", starts) == "'\\N" and unquote_text("'\\N", starts) == "\\N"
    assert quote_text("\\N") == "\\N"


def test_unquote_cells_keeps_a_row_without_quotes_as_it_is():
    row = ["C1", "North", "x"]
    assert unquote_cells(row) is row
    assert unquote_cells(["'=1", "'q", "b"]) == ["=1", "'q", "b"]


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rab \\N"), max_size=8) | st.text(max_size=30))
def test_every_text_survives_a_write_and_a_read(text):
    written = quote_text(text)
    assert unquote_text(written) == text
    assert not written.startswith(FORMULA_START)
    starts = (*FORMULA_START, "\\")
    assert unquote_text(quote_text(text, starts), starts) == text


@pytest.mark.parametrize(
    "text, found",
    [
        ("case_id,ldu\nC1,O'Brien\n", False),  # an apostrophe inside a cell
        ("case_id,ldu\nC1,'=East\n", True),
        ("'=East,x\n", True),
        ('case_id;ldu\nC1;"\'=East"\n', True),
        ("case_id\tldu\nC1\t'q\n", True),
    ],
)
def test_a_csv_text_is_searched_for_cells_opening_with_a_quote(text, found):
    assert may_hold_quoted(text) is found
