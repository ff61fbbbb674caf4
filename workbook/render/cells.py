"""The one cell writer: a value as the text of an exported cell, safe for whoever opens the file.

Every export (XLSX, CSV, Markdown, ``rate --format csv``) writes its cells through here.
Spreadsheets read text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as
a formula (``=HYPERLINK(...)``, ``=cmd|...``), so :func:`safe_cell` prefixes such text with a
single quote, the usual spreadsheet convention for "this is text" (the rule itself, with its
exact inverse, is the core's :mod:`workbook.caselist.cells`, which the store's export and the
case-list files share). Only text is prefixed: numbers stay numbers (``-2`` is a number, not
text starting with ``-``).
"""

from __future__ import annotations

import pandas as pd

from ..caselist.cells import FORMULA_START, TEXT_PREFIX, quote_text

__all__ = [
    "FORMULA_START",
    "TEXT_PREFIX",
    "cell_text",
    "safe_cell",
    "safe_row",
    "safe_table",
    "safe_text",
]


def cell_text(value) -> str:
    """A value as a cell's plain text: nothing for a missing value, one decimal for a float."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def safe_text(text: str) -> str:
    """Text that no spreadsheet reads as a formula: prefixed with ``'`` when it starts with
    ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or with quotes before one of them,
    so the prefix can be taken off exactly: :func:`workbook.caselist.cells.unquote_text`)."""
    return quote_text(text)


def safe_cell(value):
    """A value ready for a spreadsheet cell: text made safe with :func:`safe_text`, anything
    else (numbers, dates, missing values) unchanged."""
    return safe_text(value) if isinstance(value, str) else value


def safe_row(values) -> list:
    """Every value of a row made safe with :func:`safe_cell`."""
    return [safe_cell(v) for v in values]


def safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells and column names are made safe; numbers keep their
    type, and the title and footnotes (``attrs``) are kept, footnotes made safe too."""
    out = table.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(safe_cell)
    out.columns = [safe_cell(c) for c in out.columns]
    out.attrs = dict(table.attrs)
    if out.attrs.get("footnotes"):
        out.attrs["footnotes"] = [safe_cell(n) for n in out.attrs["footnotes"]]
    return out
