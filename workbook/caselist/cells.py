"""Text in spreadsheet cells: the one rule that keeps text a spreadsheet would run as a formula
as text, and its exact inverse.

Spreadsheets read text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a
formula (``=HYPERLINK(...)``, ``=cmd|...``). :func:`quote_text` prefixes such text with a single
quote, the spreadsheet convention for "this is text". So that every text comes back exactly,
text that starts with quotes followed by one of those characters gets one more quote too, and
:func:`unquote_text` takes exactly one quote off text starting with one or more quotes followed
by one of them, and nothing off anything else: ``=1`` is written ``'=1``, ``'=1`` is written
``''=1``, and ``'quoted`` is written and read as it is.

Pure: the presentation's cell writer (:mod:`workbook.render.cells`), the store's export and
the case-list files all use this rule.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TEXT_PREFIX = "'"
_CELL_QUOTE = re.compile("(?:^|[,;\t\r\n\"])'")  # a quote opening a cell of CSV text


def quote_text(text: str, starts: tuple[str, ...] = FORMULA_START) -> str:
    """Text that no spreadsheet reads as a formula, and that :func:`unquote_text` gives back.

    Parameters
    ----------
    text : str
        Any text.
    starts : tuple of str, optional
        The first characters that need the prefix (:data:`FORMULA_START`; a format with a
        marker of its own, such as the store's ``\\N``, adds it).

    Returns
    -------
    str
        ``text`` with :data:`TEXT_PREFIX` before it when, after any leading quotes, it starts
        with one of ``starts``; else ``text`` itself.
    """
    return TEXT_PREFIX + text if text.lstrip(TEXT_PREFIX).startswith(starts) else text


def unquote_text(text: str, starts: tuple[str, ...] = FORMULA_START) -> str:
    """The text :func:`quote_text` was given: exactly the prefix it added is taken off.

    Parameters
    ----------
    text : str
        A cell's text as written by :func:`quote_text` (with the same ``starts``).
    starts : tuple of str, optional
        As for :func:`quote_text`.

    Returns
    -------
    str
        ``text`` without its first character when it starts with :data:`TEXT_PREFIX` and, after
        its leading quotes, with one of ``starts``; else ``text`` itself.
    """
    if text.startswith(TEXT_PREFIX) and text.lstrip(TEXT_PREFIX).startswith(starts):
        return text[1:]
    return text


def unquote_cells(cells: Sequence[str]) -> Sequence[str]:
    """A row's cells with :func:`unquote_text` applied (the same sequence when no cell starts
    with a quote, which is the usual case)."""
    if not any(c[:1] == TEXT_PREFIX for c in cells):
        return cells
    return [unquote_text(c) for c in cells]


def may_hold_quoted(text: str) -> bool:
    """Whether CSV ``text`` may hold a cell starting with a quote (a quote after the start, a
    delimiter, a line break or a double quote): one pass over the text, so a file without
    one (an apostrophe inside a name does not count) skips :func:`unquote_cells`."""
    return TEXT_PREFIX in text and _CELL_QUOTE.search(text) is not None
