"""The XLSX export is for people: headings in the report's words, bold and frozen, columns as
wide as their content. Read back with openpyxl from real files."""

from __future__ import annotations

import openpyxl
import pandas as pd

from workbook import report
from workbook.report.writers import HEADINGS, MAX_WIDTH, MIN_WIDTH, heading


def _table():
    table = pd.DataFrame(
        {
            "kq": ["2.1.1", "2.1.2"],
            "pct": [81, 64],
            "n": [98, 98],
            "text": ["Does assessment focus on engaging the service user?", "x"],
            "reason": ["word " * 40, ""],
        }
    )
    table.attrs["footnotes"] = ["A note far longer than any cell of the table itself " * 3]
    return table


def test_the_xlsx_header_row_is_readable_bold_and_frozen(tmp_path):
    report.write_tables({"key-questions": _table()}, tmp_path, ("xlsx",))
    ws = openpyxl.load_workbook(tmp_path / "ratings.xlsx")["key-questions"]
    header = [c.value for c in ws[1]]
    assert header == ["Key question", "% yes", "Cases", "Text", "Reason"]
    assert all(c.font.bold for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[2]][:3] == ["2.1.1", 81, 98]  # figures stay numbers


def test_xlsx_columns_are_as_wide_as_their_content_within_limits(tmp_path):
    report.write_tables({"t": _table()}, tmp_path, ("xlsx",))
    ws = openpyxl.load_workbook(tmp_path / "ratings.xlsx").active
    width = {c.value: ws.column_dimensions[c.column_letter].width for c in ws[1]}
    assert width["Key question"] == len("Key question") + 2
    assert width["% yes"] == MIN_WIDTH  # short content: the narrowest width
    longest = len("Does assessment focus on engaging the service user?")
    assert width["Text"] == longest + 2
    assert width["Reason"] == MAX_WIDTH and ws["E2"].alignment.wrap_text  # long text wraps
    assert ws["A5"].value.startswith("A note")  # the footnote, which sets no width
    assert width["Key question"] < 20


def test_the_csv_export_keeps_the_field_names_for_scripts(tmp_path):
    report.write_tables({"t": _table()}, tmp_path, ("csv",))
    back = pd.read_csv(tmp_path / "ratings-t.csv")
    assert list(back.columns) == ["kq", "pct", "n", "text", "reason"]


def test_every_report_table_column_has_words_in_the_export(tmp_path):
    """The four tables the export panel writes: no bare field name left in a header row."""
    from workbook.config import REPO_DIR
    from workbook.files import load_framework, read_case_attributes, read_judgements
    from workbook.ratings import rate

    demo = REPO_DIR / "data" / "demo"
    framework = load_framework("hmip-2018-crc")
    ratings = rate(
        framework,
        read_judgements(demo / "judgements.csv", framework),
        cases=read_case_attributes(demo / "cases.csv"),
        by=("ldu",),
    )
    tables = {
        "summary": report.summary_table(framework, ratings),
        "annex": report.annex_table(framework, ratings),
        "standards-by-group": report.standards_by_group_table(framework, ratings, "ldu", None),
        "key-questions": report.kq_figures(framework, ratings, "ldu", None),
    }
    for table in tables.values():
        assert all(str(c) in HEADINGS for c in table.columns), list(table.columns)
    report.write_tables(tables, tmp_path, ("xlsx",))
    book = openpyxl.load_workbook(tmp_path / "ratings.xlsx")
    for ws, table in zip(book.worksheets, tables.values(), strict=True):
        assert [c.value for c in ws[1]] == [heading(c) for c in table.columns]
        assert ws.freeze_panes == "A2"
        assert not {c.value for c in ws[1]} & {"pct", "n", "kq", "ci80_lo", "rated_from"}
