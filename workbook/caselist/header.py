"""The header of a case list (which row it is, the canonical name of each column) and its
footer (a row of totals below the cases, skipped with a warning).

Column names are matched with the column table, ignoring case, spaces and punctuation, so
'Local delivery unit', 'PDU' and 'ldu' are all the column ``ldu``. Messages name a column by
the heading the user wrote, with its meaning in plain words when they differ
(:func:`~workbook.caselist.columns.heading_words`: "CRN (case id)").
"""

from __future__ import annotations

import re

from ..errors import Problem
from ..reasons import Reason
from .columns import (
    COLUMN_ALIASES,
    COLUMNS_BY_NAME,
    HEADER_SEARCH,
    canon,
    heading_words,
    plain_name,
    shorten,
)

TOTAL_WORDS = frozenset({"total", "totals", "grandtotal"})  # a footer row's first cell, canon'd
_NUMBER = re.compile(r"^[-+]?[£$€]?\d[\d,]*(\.\d+)?%?$")


def column_score(cells: list[str]) -> int:
    """Return how many distinct known columns a row names: the header names most.

    Parameters
    ----------
    cells
        One row's cells as text.

    Returns
    -------
    int
        The number of distinct canonical columns the cells name.
    """
    return len({COLUMN_ALIASES[k] for k in map(canon, cells) if k in COLUMN_ALIASES})


def find_header(rows: list[tuple[int, list[str]]]) -> int:
    """Return the index (in ``rows``) of the header: the first best-scoring of the first rows.

    Parameters
    ----------
    rows
        (spreadsheet row, cells) pairs, blank rows removed.

    Returns
    -------
    int
        The index of the header row in ``rows``.
    """
    best, best_score = 0, 0
    for i, (_, cells) in enumerate(rows[:HEADER_SEARCH]):
        score = column_score(cells)
        if score > best_score:
            best, best_score = i, score
    return best


def _column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        letters = chr(65 + r) + letters
    return letters


def _column_allowed(column: str) -> str:
    known = COLUMNS_BY_NAME.get(column)
    aliases = known.aliases[:2] if known else ()
    written = [a.upper() if len(a) <= 3 else a for a in aliases]
    names = [plain_name(column), *written]
    listed = ", ".join(f"'{n}'" for n in names[:-1]) + (f" or '{names[-1]}'" if written else "")
    return f"a column headed {listed if written else repr(names[0])}"


def map_header(
    header: list[str], width: int, file: str | None, header_row: int
) -> tuple[list[str], list[tuple[str, str]], list[Problem]]:
    """Map each column of the header to its canonical name.

    Parameters
    ----------
    header
        The header row's cells.
    width
        The number of columns of the widest row (columns past the header are unnamed).
    file, header_row
        Where the header was read, for the problems' location.

    Returns
    -------
    tuple
        (canonical name of each column, (as written, name) of each named column, the problems:
        a column repeating another).
    """
    names: list[str] = []
    found: list[tuple[str, str]] = []
    first_of: dict[str, str] = {}
    problems: list[Problem] = []
    for i in range(width):
        written = header[i].strip() if i < len(header) else ""
        name = (COLUMN_ALIASES.get(canon(written)) if written else None) or (
            written or f"column {_column_letter(i)}"
        )
        if name in first_of:
            problems.append(
                Problem(
                    Reason.DUPLICATE_COLUMN,
                    f"the column '{shorten(written)}' repeats the column "
                    f"'{shorten(first_of[name])}' (both mean the {plain_name(name)}).",
                    file=file,
                    row=header_row,
                    column=written,
                    value=written,
                    allowed="each column once",
                )
            )
            name = f"{name} ({_column_letter(i)})"
        first_of.setdefault(name, written)
        names.append(name)
        if written:
            found.append((written, name))
    return names, found, problems


def missing_columns(
    names: list[str],
    found: list[tuple[str, str]],
    required: tuple[str, ...],
    file: str | None,
    header_row: int,
) -> list[Problem]:
    """Return a problem for each required column the header lacks, listing those found."""
    listed = [shorten(w) for w, _ in found[:20]] + (["..."] if len(found) > 20 else [])
    return [
        Problem(
            Reason.MISSING_COLUMN,
            f"no column holds the {plain_name(column)} "
            f"(columns found: {', '.join(listed) or 'none'}).",
            file=file,
            row=header_row,
            column=plain_name(column),
            allowed=_column_allowed(column),
        )
        for column in required
        if column not in names
    ]


def column_headings(found: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Return canonical name -> how messages name the column (the user's heading, then its
    plain words when they differ: ``{"case_id": "CRN (case id)"}``).

    Parameters
    ----------
    found
        (heading as written, canonical name) of each named column, as :func:`map_header` gives.

    Returns
    -------
    dict
        One entry per named column.
    """
    return {name: heading_words(written, name) for written, name in found}


def _is_total_row(cells: list[str]) -> bool:
    """A footer of totals: the first filled cell says Total, Totals or Grand total (any case),
    and the other filled cells are mostly numbers."""
    filled = [c.strip() for c in cells if c and c.strip()]
    if not filled or canon(filled[0]) not in TOTAL_WORDS:
        return False
    rest = filled[1:]
    numbers = sum(1 for c in rest if _NUMBER.match(c))
    return numbers * 2 >= len(rest)


def split_footer(
    data: list[tuple[int, list[str]]], file: str | None
) -> tuple[list[tuple[int, list[str]]], list[Problem]]:
    """Return the rows below the header without a footer of totals, and a warning per row left
    off (naming its row).

    Parameters
    ----------
    data
        (spreadsheet row, cells) of the rows below the header, blank rows removed.
    file
        The file's name, for the warnings' location.

    Returns
    -------
    tuple
        (the case rows, the warnings): only rows at the end are taken for a footer.
    """
    end = len(data)
    while end and _is_total_row(data[end - 1][1]):
        end -= 1
    warnings = []
    for number, cells in data[end:]:
        first = next(c.strip() for c in cells if c and c.strip())
        warnings.append(
            Problem(
                Reason.TOTAL_ROW,
                f"the row starting '{shorten(first)}' is a row of totals, not a case: it was "
                "skipped.",
                file=file,
                row=number,
                value=first,
            )
        )
    return data[:end], warnings
