"""Limits on what a case-list file may hold, checked before and while its rows are read.

A case list is a few thousand rows of short cells. These checks (and the small steps of reading
a case list's bytes: which delimiter, which sheet, what kind of file) work on the bytes or text
already in memory (no I/O), so a damaged or hostile file is refused with a clear problem
instead of being half-read, misread or allowed to fill the memory:

- an XLSX workbook is a zip: each part's declared uncompressed size and its compression
  ratio are checked before openpyxl sees it (a shared-strings bomb is a 1 MiB file that
  expands to GiBs);
- a sheet may hold at most :data:`MAX_ROWS` rows and a cell at most :data:`MAX_CELL`
  characters (Excel's own limits); a sheet's rows are counted in its XML, streamed a chunk at a
  time, before openpyxl opens the workbook, so a sheet claiming millions of rows is refused in
  moments;
- a CSV cell whose quote is never closed swallows the rows after it: it is reported at the
  row where the quote opens;
- a UTF-8 file with a few bytes of another encoding (Windows-1252) is reported row by row
  rather than read as mojibake.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
import zlib
from collections import Counter
from datetime import date, datetime, time

from ..errors import Problem, SampleError
from ..reasons import Reason

MAX_ROWS = 1_048_576  # rows in a sheet (Excel's own limit)
MAX_CELL = 32_767  # characters in a cell (Excel's own limit)
MAX_PART = 256 * 2**20  # bytes of one XLSX part, uncompressed
MAX_UNCOMPRESSED = 512 * 2**20  # bytes of all the parts of an XLSX workbook, uncompressed
MAX_RATIO = 200  # uncompressed to compressed size of a part larger than RATIO_FLOOR
RATIO_FLOOR = 2**20  # parts smaller than this are not checked for their ratio

NOT_TABLES = (  # the first bytes of files people upload by mistake
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
_XLS = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (and old Word) files
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")  # characters no text table holds
_XLSX_ALLOWED = "an Excel .xlsx workbook of a case list (a real one is a few MiB)"


def not_a_workbook(name: str, exc: Exception, sheet: str | None = None) -> SampleError:
    """The error for a workbook (or one of its sheets) that cannot be read."""
    what = (
        f"the sheet '{sheet}' cannot be read"
        if sheet
        else "the file is not a readable Excel workbook"
    )
    return SampleError(
        Problem(
            Reason.NOT_TABLE,
            f"{what} ({type(exc).__name__}).",
            file=name,
            allowed="an Excel .xlsx workbook or a CSV file",
        )
    )


def refuse_not_a_table(data: bytes, name: str) -> None:
    """Refuse an old Excel workbook, an image, a PDF or an archive given as a case list."""
    if data.startswith(_XLS) or name.lower().endswith(".xls"):
        raise SampleError(
            Problem(
                Reason.OLD_EXCEL,
                "the file is an Excel 97-2003 .xls workbook, which cannot be read.",
                file=name,
                allowed="save it as .xlsx or CSV UTF-8",
            )
        )
    for magic, what in NOT_TABLES:
        if data.startswith(magic):
            raise SampleError(
                Problem(
                    Reason.NOT_TABLE,
                    f"the file is {what}, not a table.",
                    file=name,
                    allowed="a CSV file or an Excel .xlsx workbook",
                )
            )


def choose_sheet(names: list[str], sheet: str | None, name: str) -> str:
    """The sheet to read: the first, or the one named ``sheet`` (matched without regard to case
    and surrounding spaces when no sheet has exactly that name)."""
    if not names:
        raise SampleError(Problem(Reason.EMPTY_FILE, "the workbook has no sheets.", file=name))
    if sheet is None:
        return names[0]
    matches = [s for s in names if s == sheet] or [
        s for s in names if s.strip().lower() == str(sheet).strip().lower()
    ]
    if not matches:
        raise SampleError(
            Problem(
                Reason.UNKNOWN_SHEET,
                f"the workbook has no sheet '{sheet}'.",
                file=name,
                value=sheet,
                allowed=", ".join(names),
            )
        )
    return matches[0]


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def check_xlsx_archive(data: bytes, name: str) -> None:
    """Refuse an XLSX workbook whose parts would expand beyond the limits.

    Parameters
    ----------
    data : bytes
        The workbook's bytes (a zip archive).
    name : str
        The file's name, for the problem.

    Raises
    ------
    SampleError
        ``NOT_TABLE`` if the bytes are not a zip archive, ``FILE_TOO_LARGE`` if a part or
        the whole expands beyond :data:`MAX_PART` or :data:`MAX_UNCOMPRESSED`, ``ZIP_BOMB``
        if a part expands more than :data:`MAX_RATIO` times.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise not_a_workbook(name, exc) from None
    _check_parts(parts, name)
    _check_rows(data, parts, name)


def _check_parts(parts: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a part, or all the parts, expanding beyond the limits (declared sizes)."""
    total = 0
    for part in parts:
        total += part.file_size
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > MAX_PART or total > MAX_UNCOMPRESSED:
            size, limit = (
                (part.file_size, MAX_PART)
                if part.file_size > MAX_PART
                else (total, MAX_UNCOMPRESSED)
            )
            raise SampleError(
                Problem(
                    Reason.FILE_TOO_LARGE,
                    f"the workbook expands to {_mib(size)} ('{part.filename}'), more than the "
                    f"{_mib(limit)} a case list may take; it was not opened.",
                    file=name,
                    value=part.filename,
                    allowed=_XLSX_ALLOWED,
                )
            )
        if part.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise SampleError(
                Problem(
                    Reason.ZIP_BOMB,
                    f"the part '{part.filename}' expands {ratio:,.0f} times "
                    f"({_mib(part.compress_size)} to {_mib(part.file_size)}), far more than a "
                    "real workbook does; it was not opened.",
                    file=name,
                    value=part.filename,
                    allowed=f"{_XLSX_ALLOWED}, expanding at most {MAX_RATIO} times",
                )
            )


def too_many_rows(name: str, sheet: str, rows: int | None = None) -> SampleError:
    """The error for a sheet with more than :data:`MAX_ROWS` rows (``rows`` when counted)."""
    what = f"more than {MAX_ROWS:,} rows; it was not read"
    if rows is not None:
        what = f"{rows:,} rows, more than {MAX_ROWS:,} rows; the workbook was not opened"
    return SampleError(
        Problem(
            Reason.TOO_MANY_ROWS,
            f"the sheet '{sheet}' holds {what}.",
            file=name,
            value=sheet,
            allowed=f"a case list of at most {MAX_ROWS:,} rows",
        )
    )


# -- rows of the sheets, counted in their XML ----------------------------------------------------

CHUNK = 2**20  # bytes of a sheet's XML decompressed at a time
_DAMAGED = (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError)
_DAMAGED += (zlib.error,)
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?row[\s/>]")  # a row's start tag
_ROW_TAG_MAX = 1 + 33 + 4  # the longest text _ROW matches
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d{1,12})["']""")
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\s[^>]*>")
_RELATION = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")
_ATTRIBUTE = re.compile(rb"""([\w.:-]+)\s*=\s*["']([^"']*)["']""")


def _check_rows(data: bytes, parts: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a workbook with a sheet of more than :data:`MAX_ROWS` rows, counted in its XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = _sheet_names(archive)
        for part in parts:
            if part.is_dir() or not part.filename.lower().endswith(".xml"):
                continue
            try:
                rows = sheet_rows(archive, part.filename)
            except _DAMAGED:
                continue  # a damaged part: openpyxl says so
            if rows > MAX_ROWS:
                raise too_many_rows(name, sheets.get(part.filename, part.filename), rows)


def sheet_rows(archive: zipfile.ZipFile, part: str) -> int:
    """The rows a sheet's XML part holds or claims (0 for a part without rows).

    The larger of the number of its ``<row>`` elements (with any namespace prefix) and the
    number (``r``) of its last row (openpyxl fills the rows a sheet skips). The XML is
    decompressed :data:`CHUNK` bytes at a time: whatever its size, little of it is in memory.
    """
    keep = _ROW_TAG_MAX - 1  # a tag cut by a chunk's end is counted with the next chunk
    count, tail, last = 0, b"", b""
    with archive.open(part) as stream:
        while chunk := stream.read(CHUNK):
            text = tail + chunk
            cut = max(len(text) - keep, 0)
            count += len(_ROW.findall(text)) - len(_ROW.findall(text, cut))
            tail, last = text[cut:], (last + chunk)[-8192:]
    count += len(_ROW.findall(tail))
    return max(count, _last_row_number(last))


def _last_row_number(text: bytes) -> int:
    """The ``r`` of the last row tag in ``text`` (the end of a sheet), or 0."""
    starts = [m.start() for m in _ROW.finditer(text)]
    if not starts:
        return 0
    end = text.find(b">", starts[-1])
    found = _ROW_NUMBER.search(text, starts[-1], end + 1 if end >= 0 else len(text))
    return int(found.group(1)) if found else 0


def _attributes(tag: bytes) -> dict[str, str]:
    """A tag's attributes, by local name (``r:id`` is ``id``)."""
    return {
        key.decode(errors="replace").rsplit(":", 1)[-1]: html.unescape(
            value.decode(errors="replace")
        )
        for key, value in _ATTRIBUTE.findall(tag)
    }


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part -> sheet name, read from the start of the workbook's XML (for messages only)."""
    try:
        with (
            archive.open("xl/workbook.xml") as wb,
            archive.open("xl/_rels/workbook.xml.rels") as rels,
        ):
            book, links = wb.read(CHUNK), rels.read(CHUNK)
    except (KeyError, *_DAMAGED):
        return {}
    targets = {}
    for tag in _RELATION.findall(links):
        a = _attributes(tag)
        target = a.get("Target", "")
        targets[a.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    names = {}
    for tag in _SHEET.findall(book):
        a = _attributes(tag)
        if a.get("id") in targets and "name" in a:
            names[targets[a["id"]]] = a["name"]
    return names


def long_cells(rows: list[tuple[int, list[str]]], name: str) -> list[Problem]:
    """A problem for each cell longer than :data:`MAX_CELL` characters (the first 10)."""
    from .columns import shorten

    problems = []
    for number, cells in rows:
        for i, cell in enumerate(cells):
            if len(cell) > MAX_CELL:
                problems.append(
                    Problem(
                        Reason.CELL_TOO_LONG,
                        f"the cell holds {len(cell):,} characters, more than a cell may.",
                        file=name,
                        row=number,
                        column=_column_letter(i),
                        value=shorten(cell),
                        allowed=f"at most {MAX_CELL:,} characters in a cell",
                    )
                )
                if len(problems) >= 10:
                    return problems
    return problems


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- CSV text -----------------------------------------------------------------------------------


def _looks_like_rows(cell: str, delimiter: str, width: int) -> bool:
    """Whether a cell holding a line break holds, after it, lines that look like rows."""
    lines = cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:]
    need = max(1, width - 1)
    return any(line.count(delimiter) >= need for line in lines)


def open_quote_row(
    rows: list[tuple[int, list[str]]], delimiter: str, unclosed_at_end: bool
) -> int | None:
    """The row whose quote opens and swallows the rows after it, or None.

    A cell that holds a line break is a quoted cell; when the text after the line break
    holds lines with as many delimiters as a row of the table, the quote was left open
    and the cell swallowed rows. ``unclosed_at_end`` says the text ends inside a quote: then
    the last row holding a line break is where the quote opened.
    """
    widths = Counter(len(cells) for _, cells in rows[:50])
    width = widths.most_common(1)[0][0] if widths else 0
    last_with_break = None
    for number, cells in rows:
        for cell in cells:
            if "\n" in cell or "\r" in cell:
                last_with_break = number
                if width > 1 and _looks_like_rows(cell, delimiter, width):
                    return number
    return last_with_break if unclosed_at_end else None


DELIMITERS = (",", ";", "\t")


def csv_delimiter(head: str) -> str:
    """The delimiter (comma, semicolon or tab) whose first rows of ``head`` name the most known
    columns."""
    from .columns import HEADER_SEARCH
    from .header import column_score

    best, best_score = ",", -1
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
            rows = list(reader)[: HEADER_SEARCH + 1]
        except csv.Error:
            continue
        score = max([column_score(r) for r in rows] + [0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def csv_error(exc: csv.Error, rows: list[tuple[int, list[str]]], delimiter: str, name: str):
    """The error for a CSV reader that stopped after ``rows``: an open quote, or not CSV."""
    quoted = open_quote_row(rows[-1:], delimiter, True) if rows else None
    if "field larger" in str(exc) or quoted:
        return open_quote_error(name, len(rows) + 1)
    return SampleError(
        Problem(
            Reason.NOT_TABLE,
            f"the file cannot be read as CSV ({exc}).",
            file=name,
            row=len(rows) + 1,
            allowed="a CSV file or an Excel .xlsx workbook",
        )
    )


def ends_inside_quote(text: str) -> bool:
    """Whether the text ends inside a quoted cell (it holds an odd number of quotes)."""
    return text.count('"') % 2 == 1


def open_quote_error(name: str, row: int) -> SampleError:
    """The error for a quote opened at ``row`` and never closed where the row ends."""
    return SampleError(
        Problem(
            Reason.OPEN_QUOTE,
            "a quote opens in this row and is not closed where the row ends, so the rows "
            "after it would be read as one cell; nothing was imported.",
            file=name,
            row=row,
            allowed='cells quoted in pairs ("...") or a quote written twice ("") inside a cell',
        )
    )


# -- encodings ----------------------------------------------------------------------------------


def mixed_encoding_lines(data: bytes) -> list[int] | None:
    """Lines (from 1) holding bytes that are not UTF-8, when the rest of the file is UTF-8.

    None when the file holds no UTF-8 multi-byte characters (a plain Windows-1252 file) or
    decodes as UTF-8.
    """
    text = data.decode("utf-8-sig", errors="replace")
    if "\ufffd" not in text:
        return None
    good = data.decode("utf-8-sig", errors="ignore")
    if all(ord(c) < 128 for c in good) or text.count("\ufffd") > 100 or "\x00" in text:
        return None  # plain Windows-1252, or binary data
    return [i for i, line in enumerate(text.splitlines(), start=1) if "\ufffd" in line]


def mixed_encoding_error(name: str, lines: list[int]) -> SampleError:
    """The error for a UTF-8 file holding bytes of another encoding on ``lines``."""
    shown = ", ".join(str(n) for n in lines[:10]) + (" ..." if len(lines) > 10 else "")
    rows = f"row {shown} holds" if len(lines) == 1 else f"rows {shown} hold"
    return SampleError(
        Problem(
            Reason.MIXED_ENCODING,
            f"the file is UTF-8 text but {rows} bytes of another encoding "
            "(Windows-1252?); read as either, some names would be garbled. Nothing was imported.",
            file=name,
            row=lines[0],
            allowed="a file saved in one encoding: CSV UTF-8 (or Windows-1252 throughout)",
        )
    )


def decode_text(data: bytes, name: str) -> str:
    """Text of a CSV file: UTF-8 (with or without BOM) or, failing that, Windows-1252."""
    try:
        return _text_table(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError as exc:
        utf8_error = exc
    mixed = mixed_encoding_lines(data)
    if mixed:
        raise mixed_encoding_error(name, mixed)
    try:
        return _text_table(data.decode("cp1252"), name)
    except UnicodeDecodeError:
        raise SampleError(
            Problem(
                Reason.BINARY_FILE,
                f"the file is not text (byte {utf8_error.start} is 0x{data[utf8_error.start]:02x}), so it is not a CSV table.",
                file=name,
                allowed="a CSV file (UTF-8 or Windows-1252) or an Excel .xlsx workbook",
            )
        ) from None


def _text_table(text: str, name: str) -> str:
    """The text, unless it holds binary data (NUL or many control characters)."""
    controls = len(_CONTROL.findall(text, 0, 65536))
    if "\x00" in text or controls > max(2, min(len(text), 65536) // 200):
        raise SampleError(
            Problem(
                Reason.BINARY_FILE,
                "the file holds binary data, not a table.",
                file=name,
                allowed="a CSV file or an Excel .xlsx workbook",
            )
        )
    return text


def cell_text(value) -> str:
    """An XLSX cell's value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)
