"""The report writers: XLSX, CSV and Markdown exports that cannot attack whoever opens them.

The hostile inputs (formula and HTML payloads) sit where people type free text that reaches an
export: an LDU name in the case list and a professional-discretion reason.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from workbook import report
from workbook.config import REPO_DIR
from workbook.files import load_framework, read_case_attributes, read_decisions, read_judgements
from workbook.ratings import rate
from workbook.render.cells import FORMULA_START
from workbook.render.markdown import ratings_markdown

DEMO = REPO_DIR / "data" / "demo"
PAYLOADS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
)


def hostile_files(folder: Path) -> dict[str, Path]:
    """The demo's judgements with every LDU name and every discretion reason a payload."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = pd.read_csv(DEMO / "cases.csv", dtype=str, keep_default_na=False)
    cases["ldu"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(cases))]
    cases.to_csv(folder / "cases.csv", index=False)
    decisions = pd.read_csv(DEMO / "decisions.csv", dtype=str, keep_default_na=False)
    decisions["reason"] = [PAYLOADS[i % len(PAYLOADS)] for i in range(len(decisions))]
    decisions.to_csv(folder / "decisions.csv", index=False)
    return {
        "judgements": DEMO / "judgements.csv",
        "cases": folder / "cases.csv",
        "decisions": folder / "decisions.csv",
    }


def hostile_export(folder: Path):
    """Framework, ratings by LDU, the export panel's four tables and its Markdown."""
    files = hostile_files(folder)
    framework = load_framework("hmip-2018-crc")
    ratings = rate(
        framework,
        read_judgements(files["judgements"], framework),
        read_decisions(files["decisions"], framework),
        cases=read_case_attributes(files["cases"]),
        by=("ldu",),
    )
    tables = {
        "summary": report.summary_table(framework, ratings),
        "annex": report.annex_table(framework, ratings),
        "standards-by-group": report.standards_by_group_table(framework, ratings, "ldu", None),
        "key-questions": report.kq_figures(framework, ratings, "ldu", None),
    }
    return framework, ratings, tables, ratings_markdown(framework, ratings, tables=tables)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    _, _, tables, markdown = hostile_export(folder / "in")
    paths = report.write_tables(tables, folder / "out", markdown=markdown)
    return {p.suffix: p for p in paths if p.suffix != ".csv"} | {
        "csv": [p for p in paths if p.suffix == ".csv"]
    }


def test_the_xlsx_export_holds_no_formula_and_every_payload_as_quoted_text(written):
    book = openpyxl.load_workbook(written[".xlsx"])
    texts, numbers = [], 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{ws.title}!{cell.coordinate}: {cell.value!r}"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    assert not cell.value.startswith(FORMULA_START), cell.value
                elif isinstance(cell.value, int | float):
                    numbers += 1
    assert numbers > 0  # figures stay numbers
    for payload in PAYLOADS[:5]:
        assert any(t.startswith("'" + payload) for t in texts), payload


def test_every_csv_export_cell_that_could_be_a_formula_starts_with_a_quote(written):
    cells = []
    for path in written["csv"]:
        with path.open(newline="", encoding="utf-8") as f:
            cells += [c for row in csv.reader(f) for c in row]
    risky = [c for c in cells if c.startswith(FORMULA_START) and not _is_number(c)]
    assert risky == []
    for payload in PAYLOADS[:5]:
        assert any(c.startswith("'" + payload) for c in cells), payload


def test_negative_numbers_stay_numbers_in_every_format(tmp_path):
    table = pd.DataFrame({"group": ["-2+3", "ok"], "change": [-2, 3], "pct": [-1.5, 2.0]})
    table.attrs["footnotes"] = ["=1+1 is a note"]
    report.write_tables({"t": table}, tmp_path, ("xlsx", "csv"))
    ws = openpyxl.load_workbook(tmp_path / "ratings.xlsx").active
    assert [c.value for c in ws[2]] == ["'-2+3", -2, -1.5]
    assert ws["A5"].value == "'=1+1 is a note" and ws["A5"].data_type == "s"
    back = pd.read_csv(tmp_path / "ratings-t.csv")
    assert back["change"].tolist() == [-2, 3] and back["group"].tolist() == ["'-2+3", "ok"]


def test_the_markdown_export_carries_no_raw_html_and_no_link(written):
    text = written[".md"].read_text(encoding="utf-8")
    assert re.search(r"(?<!\\)[<&]", text) is None  # no raw HTML, no entity
    assert re.search(r"(?<!\\)\]\(", text) is None  # no [text](url) link
    assert "\\<img src=x onerror=alert(1)\\>" in text
    assert "\\[x\\](javascript:alert(1))" in text
