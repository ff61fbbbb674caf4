"""Writers of named report tables: one XLSX workbook, one CSV per table, one Markdown file.

Every cell goes through the one cell writer (:mod:`workbook.render.cells`): text that a
spreadsheet would take for a formula is prefixed with ``'``, and XLSX strings are strings.
Markdown comes from the one Markdown writer (:mod:`workbook.render.markdown`); the problems
table and the error box are here for the widgets that show them.

The XLSX workbook is for people: each sheet's header row gives the report's words, not the
field names (:data:`HEADINGS`: ``pct`` is "% yes", ``n`` is "Cases"), in bold and frozen so it
stays in view, and each column is as wide as its longest cell (within limits). CSV files keep
the field names, for scripts that read them.

Each file is written all or nothing (:func:`workbook.files.write_file`): to a temporary name in
the folder, renamed once complete, so a full disk or a file size limit leaves no partial file
under an export's name (a previous export's file stays as it was), and the error names the
file. A folder or file name holding NUL or another control character is refused (``bad_path``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from ..files import check_path, write_file
from ..reasons import Reason
from ..render.cells import cell_text, safe_cell, safe_table
from ..render.markdown import markdown_table

FORMATS = ("xlsx", "csv", "md")
# field name -> the heading people read in the XLSX export (the report's words)
HEADINGS = {
    "domain": "Domain",
    "standard": "Standard",
    "name": "Name",
    "rating": "Rating",
    "mark": "Note",
    "rated_from": "Rated from",
    "reason": "Reason",
    "item": "Standard or key question",
    "kind": "Kind",
    "text": "Text",
    "pct": "% yes",
    "pct_exact": "% yes (unrounded)",
    "band": "Band",
    "n": "Cases",
    "group": "Group",
    "discretion": "Professional discretion",
    "margin_flag": "Margin of error above 5 points",
    "flagged": "Margin of error above 5 points",
    "suppressed": "Not shown (small group)",
    "cases": "Cases in the group",
    "kq": "Key question",
    "yes": "Yes",
    "no": "No",
    "not_applicable": "Not applicable",
    "ci80_lo": "80% interval from",
    "ci80_hi": "80% interval to",
    "note": "Note",
    "ldu": "LDU",
    "case_id": "Case id",
}
MIN_WIDTH, MAX_WIDTH = 8, 60  # XLSX column widths, in characters


def _sheet_name(name: str, used: set[str]) -> str:
    base = "".join(c for c in name if c not in "[]:*?/\\")[:31] or "table"
    out, i = base, 2
    while out in used:
        out = f"{base[:28]}-{i}"
        i += 1
    used.add(out)
    return out


def _export(path: Path, content) -> Path:
    return write_file(path, content, reason=Reason.CANNOT_WRITE_EXPORT)


def _csv_text(table: pd.DataFrame) -> str:
    """A table as CSV text. The csv module quotes a cell holding a line feed but not one holding
    a lone carriage return, which readers take for the end of a row: then every cell is quoted."""
    text = table.to_csv(index=False, lineterminator="\n")
    return (
        table.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_ALL)
        if "\r" in text
        else text
    )


def heading(column: object) -> str:
    """The XLSX heading of a table's column: the report's words for a field name, else the
    name as it is."""
    return HEADINGS.get(str(column), str(column))


def _write_xlsx(tables: Mapping[str, pd.DataFrame], path: Path) -> None:
    used: set[str] = set()
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for name, table in tables.items():
            sheet = _sheet_name(name, used)
            readable = table.rename(columns={c: heading(c) for c in table.columns})
            safe_table(readable).to_excel(xl, sheet_name=sheet, index=False)
            ws = xl.sheets[sheet]
            _lay_out(ws, len(table))
            start = len(table) + 3
            for i, note in enumerate(table.attrs.get("footnotes") or []):
                ws.cell(row=start + i, column=1, value=safe_cell(note))
            _text_not_formulas(ws)


def _lay_out(ws, rows: int) -> None:
    """A header row in bold, frozen so it stays in view; each column as wide as its longest
    cell of the table (footnotes below it do not count), between MIN_WIDTH and MAX_WIDTH."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    ws.freeze_panes = "A2"
    for column in ws.iter_cols(min_row=1, max_row=rows + 1):
        longest = max(
            (max(len(line) for line in cell_text(c.value).split("\n")) for c in column),
            default=0,
        )
        head = column[0]
        head.font = bold
        head.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        ws.column_dimensions[get_column_letter(head.column)].width = width
        if longest + 2 > MAX_WIDTH:  # long text wraps within the column
            for c in column[1:]:
                c.alignment = Alignment(wrap_text=True, vertical="top")


def _text_not_formulas(ws) -> None:
    """No cell of an export is a formula: whatever openpyxl took for one is stored as text."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    folder: Path | str,
    formats: Iterable[str] = FORMATS,
    stem: str = "ratings",
    markdown: str | None = None,
) -> list[Path]:
    """Write named tables: one XLSX workbook ``<stem>.xlsx`` (a sheet per table, headed in the
    report's words, footnotes under each), one CSV per table ``<stem>-<name>.csv``, and one Markdown file ``<stem>.md``
    (``markdown`` when given: the ratings as the one Markdown writer lays them out, else the
    tables). Returns the files written."""
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)}; allowed: {', '.join(FORMATS)}")
    folder = check_path(folder)
    check_path(stem)
    written: list[Path] = []
    if "xlsx" in formats:
        written.append(_export(folder / f"{stem}.xlsx", lambda tmp: _write_xlsx(tables, Path(tmp))))
    if "csv" in formats:
        for name, table in tables.items():
            text = _csv_text(safe_table(table))
            written.append(_export(check_path(folder / f"{stem}-{name}.csv"), text))
    if "md" in formats:
        if markdown is None:
            markdown = "\n".join(markdown_table(t) for t in tables.values())
        written.append(_export(folder / f"{stem}.md", markdown))
    return written


# -- problems, for people ----------------------------------------------------------------------


def problems_table(problems) -> pd.DataFrame:
    """Problems (or a WorkbookError) as a table: file, row, column, value, what is wrong, allowed."""
    problems = getattr(problems, "problems", problems)
    return pd.DataFrame(
        [
            {
                "file": p.file or "",
                "row": "" if p.row is None else str(p.row),
                "column": p.column or p.place or "",
                "value": "" if p.value is None else str(p.value),
                "problem": p.message,
                "allowed": p.allowed or "",
            }
            for p in problems
        ],
        columns=["file", "row", "column", "value", "problem", "allowed"],
    )


def table_context(table: pd.DataFrame, limit: int | None = None) -> dict:
    """Columns, rows of cell text and how many rows are left off, for the ``data_table`` macro."""
    shown = table if limit is None else table.head(limit)
    rows = [[cell_text(v) for v in row] for row in shown.itertuples(index=False)]
    more = len(table) - limit if limit is not None and len(table) > limit else 0
    return {"columns": [str(c) for c in shown.columns], "rows": rows, "more": more}


def html_table(table: pd.DataFrame, caption: str | None = None, limit: int | None = None) -> str:
    """A small table as accessible HTML (a caption, header cells with scope), text escaped."""
    from ..render import render

    return render("table.html.j2", caption=caption, **table_context(table, limit))


def problems_html(error, title: str | None = None) -> str:
    """The one error box (``render/templates/problems.html.j2``) for a WorkbookError, a list of
    problems or a sentence: what is wrong, where, the bad value and what is allowed, every
    problem in a table. ``title`` says what happened ("3 problems: nothing was changed." by
    default for problems; none for a sentence)."""
    from ..render import render

    problems = getattr(error, "problems", error)
    if isinstance(problems, str):
        return render("problems.html.j2", title=title, message=problems)
    n = len(problems)
    title = title or (f"{n} problem{'s' if n != 1 else ''}: nothing was changed." if n else "")
    if n > 1 or (n and problems[0].file):
        return render(
            "problems.html.j2", title=title, table=table_context(problems_table(problems), 200)
        )
    return render("problems.html.j2", title=title, message=str(problems[0]) if n else "")
