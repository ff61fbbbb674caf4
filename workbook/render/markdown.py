"""The one Markdown writer: report tables and an inspection's ratings as GitHub-flavoured Markdown.

``rate --format markdown`` and the Markdown export lay the ratings out with
:func:`ratings_markdown`; every other table (summary of ratings, Annex 2, standards by group,
key-question figures) is written by :func:`markdown_table`. Escaping is done here, once: a cell
never breaks its table (``|``, line breaks) and never turns into markup or HTML (backticks,
``<``, ``>``, ``&``, ``[``, ``]``, backslashes, ``*`` next to text and ``_`` at a word's edge are
escaped), whatever a framework, an LDU name or a reason says: no raw HTML, no entity, no link
(``[text](javascript:...)``, ``<javascript:...>``, a bare ``http://`` or ``www.``) and no image reaches a reader, however the
Markdown is rendered. Cell text comes from the one cell writer (:mod:`workbook.render.cells`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from .cells import cell_text

__all__ = ["cell_text", "escape", "markdown_table", "ratings_markdown"]

_SPECIAL = re.compile(r"[\\`<>|&\[\]]|:(?=//)|(?<=[wW]{3})\.|\*(?=\S)|(?<=\S)\*|(?<!\w)_|_(?!\w)")
RATINGS_HEADER = ("Standard / key question", "Yes", "No", "N/A", "n", "%", "Band / rating")
RATINGS_ALIGN = ("", ":", ":", ":", ":", ":", "")
_NOTE_MARK = re.compile(r"^(.*?)( \[\d+\])?$", re.DOTALL)


def escape(text) -> str:
    """Text safe inside a Markdown table cell: special characters escaped, one line."""
    text = cell_text(text).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), text)


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |" if cells else "|"


def _separator(align: Sequence[str]) -> str:
    return "|" + "|".join("---:" if a == ":" else "---" for a in align) + "|"


def markdown_table(table: pd.DataFrame) -> str:
    """A table as GitHub-flavoured Markdown, with its title (``attrs["title"]``) as a heading
    and its footnotes (``attrs["footnotes"]``) under it, numbered when the table has a
    ``mark`` column."""
    lines = []
    if table.attrs.get("title"):
        lines += [f"## {escape(table.attrs['title'])}", ""]
    cols = [escape(c) for c in table.columns]
    lines.append(_row(cols))
    lines.append("| " + " | ".join("---" for _ in cols) + " |")
    for row in table.itertuples(index=False):
        lines.append(_row([escape(v) for v in row]))
    notes = table.attrs.get("footnotes") or []
    if notes:
        lines.append("")
        numbered = "mark" in table.columns
        lines += [
            f"{i}. {escape(n)}" if numbered else f"- {escape(n)}" for i, n in enumerate(notes, 1)
        ]
    return "\n".join(lines) + "\n"


def _band(text) -> str:
    """A band or rating, escaped, keeping its footnote mark (``Good [1]``) as a plain mark."""
    body, mark = _NOTE_MARK.match(cell_text(text)).groups()
    return escape(body) + (mark or "")


def _strong(text: str) -> str:
    return f"**{text}**" if text else ""


def _ratings_line(row: Sequence[str]) -> str:
    kind, ident, text, yes, no, na, n, pct, band = row
    if kind == "domain":
        cells = [_strong(f"{escape(ident)}. {escape(text)}"), "", "", "", "", "", ""]
    elif kind == "standard":
        cells = [
            _strong(f"{escape(ident)} {escape(text)}"),
            "",
            "",
            "",
            "",
            "",
            _strong(_band(band)),
        ]
    elif kind == "kq":
        cells = [f"{escape(ident)} {escape(text)}", yes, no, na, n, pct, _band(band)]
    else:
        cells = [_strong(escape(text)), "", "", "", "", "", _strong(_band(band))]
    return _compact(_row(cells))


def _compact(line: str) -> str:
    """Empty cells as ``| |`` (as the command line has always printed them)."""
    while "|  |" in line:
        line = line.replace("|  |", "| |")
    return line


def ratings_markdown(
    framework,
    ratings,
    *,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> str:
    """An inspection's ratings as one Markdown document.

    The ratings table (each domain, standard and key question: Yes, No, N/A, n, % and band or
    rating, footnotes for professional discretion), then one table per breakdown (``--by``),
    then each of ``tables`` (named report tables, as the export writes them) with
    :func:`markdown_table`. Rows come from :func:`workbook.report.ratings_rows` and
    :func:`workbook.report.breakdown_rows`, the same rows the command line's text table prints.
    """
    from ..report.tables import breakdown_rows, ratings_rows

    rows, notes = ratings_rows(framework, ratings)
    out = [f"# Ratings: {escape(framework.name)}", "", _row(list(RATINGS_HEADER))]
    out.append(_separator(RATINGS_ALIGN))
    out += [_ratings_line(r) for r in rows]
    if notes:
        out += ["", *(f"[{i}] {escape(n)}  " for i, n in enumerate(notes, start=1))]
    for attr, labels, body in breakdown_rows(framework, ratings):
        out += ["", f"## By {escape(attr)}", ""]
        out.append(_compact(_row(["", *(escape(label) for label in labels)])))
        out.append("|---|" + "---|" * len(labels))
        out += [_row([escape(c.strip()) for c in row]) for row in body]
    text = "\n".join(out) + "\n"
    for table in (tables or {}).values():
        text += "\n" + markdown_table(table)
    return text
