"""File formats at the edge: framework YAML, judgements and decisions CSV, case lists (CSV, XLSX).

Everything is read and validated once, here, and renamed to canonical names. Each reader
collects every problem (file, row as a spreadsheet shows it, column, value, what is allowed)
and raises once; nothing partial is returned.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import yaml

from .caselist import (
    REQUIRED,
    SEED_COLUMN,
    Sample,
    limits,
    sample_from_rows,
)
from .caselist.cells import may_hold_quoted, quote_text, unquote_cells
from .caselist.limits import cell_text, decode_text
from .config import BUILTIN_FRAMEWORKS
from .errors import FrameworkError, InputError, Problem, SampleError, WorkbookError
from .framework import Framework
from .framework_reader import framework_from_dict
from .judgements import (
    Decision,
    check_case_ids,
    check_decision,
    check_judgement,
    normalise_rating,
)
from .reasons import Reason

# -- frameworks ------------------------------------------------------------------------------


def framework_folders(extra: Path | str | None = None) -> list[Path]:
    """Folders searched for framework files: the built-in one, then ``extra``.

    Settings are not read here: the composition (``app/``, ``cli/``) passes
    ``extra=settings.frameworks_dir``.
    """
    folders = [BUILTIN_FRAMEWORKS]
    folder = Path(extra) if extra else None
    if folder is not None and folder not in folders:
        folders.append(folder)
    return folders


def list_frameworks(extra: Path | str | None = None) -> dict[str, Path]:
    """Framework id (the file's stem) -> file, later folders overriding earlier ones."""
    found: dict[str, Path] = {}
    for folder in framework_folders(extra):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
                found[path.stem] = path
    return found


MAX_FRAMEWORK_BYTES = 4 * 2**20  # a framework file is a few hundred KiB at most
MAX_DEPTH = 32  # nesting of a framework document (the built-in ones nest 6 deep)


def _check_framework_size(data: bytes, path: Path) -> None:
    if len(data) > MAX_FRAMEWORK_BYTES or b"\x00" in data[:65536]:
        raise FrameworkError(
            Problem(
                Reason.FILE_TOO_LARGE if b"\x00" not in data[:65536] else Reason.BINARY_FILE,
                "the file is larger than a framework may be, or not text.",
                file=path.name,
                allowed=f"a YAML framework file of at most {MAX_FRAMEWORK_BYTES // 2**20} MiB",
            )
        )


def _check_depth(text: str, name: str) -> None:
    """Refuse a document nested deeper than MAX_DEPTH (read as events, without recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise FrameworkError(
                    Problem(
                        Reason.TOO_DEEP,
                        f"the document is nested more than {MAX_DEPTH} levels deep.",
                        file=name,
                        row=event.start_mark.line + 1,
                        allowed=f"a framework nested at most {MAX_DEPTH} levels",
                    )
                )
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def read_framework_file(path: Path | str) -> Framework:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FRAMEWORK_BYTES + 1)
        _check_framework_size(data, path)
        text = data.decode("utf-8")
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        why = {FileNotFoundError: "does not exist", IsADirectoryError: "is a folder"}
        raise FrameworkError(
            Problem(
                Reason.MISSING_FILE if isinstance(exc, FileNotFoundError) else Reason.UNREADABLE,
                f"the framework file {why.get(type(exc), 'cannot be read')}.",
                file=str(path),
            )
        ) from None
    except UnicodeDecodeError as exc:
        raise FrameworkError(
            Problem(
                Reason.NOT_UTF8, f"the file is not UTF-8 text (byte {exc.start}).", file=path.name
            )
        ) from None
    try:
        _check_depth(text, path.name)
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise FrameworkError(
            Problem(
                Reason.NOT_YAML,
                f"the file is not valid YAML ({getattr(exc, 'problem', exc)}).",
                file=path.name,
                row=row,
            )
        ) from None
    fw = framework_from_dict(doc, source=path.name)
    if fw.id != path.stem:
        raise FrameworkError(
            Problem(
                Reason.ID_MISMATCH,
                f"the framework id '{fw.id}' differs from the file name '{path.stem}'. Name the file {fw.id}.yaml.",
                file=path.name,
                place="id",
                value=fw.id,
            )
        )
    return fw


def load_framework(
    name_or_path: str | Path = "hmip-2018-crc", extra: Path | str | None = None
) -> Framework:
    """Load a framework by id (from the built-in or the ``extra`` folder) or by path."""
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        return read_framework_file(text)
    known = list_frameworks(extra)
    if text not in known:
        raise FrameworkError(
            Problem(
                Reason.UNKNOWN_FRAMEWORK,
                f"'{text}' is not a known framework.",
                value=text,
                allowed=", ".join(sorted(known)) + " (or a path to a .yaml file)",
            )
        )
    return read_framework_file(known[text])


# -- text tables -----------------------------------------------------------------------------


def _canon(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def read_csv_rows(
    path: Path | str,
    required: Iterable[str],
    aliases: dict[str, str] | None = None,
    error=InputError,
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read a UTF-8 CSV file into (canonical header, [(spreadsheet row, {column: text})]).

    Column names are matched without regard to case, spaces or punctuation. Missing required
    columns, a file that is not UTF-8 text, or an empty file raise ``error`` with every problem.
    """
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(
            Problem(Reason.MISSING_FILE, "the file does not exist.", file=str(path))
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            Problem(
                Reason.NOT_UTF8,
                f"the file is not UTF-8 text (byte {exc.start} is 0x{raw[exc.start]:02x}). Save it as CSV UTF-8.",
                file=name,
            )
        ) from None
    if "\x00" in text:
        raise error(
            Problem(Reason.BINARY_FILE, "the file holds binary data, not a CSV table.", file=name)
        )
    rows = list(csv.reader(io.StringIO(text)))
    rows_numbered = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not rows_numbered:
        raise error(
            Problem(
                Reason.EMPTY_FILE,
                "the file is empty.",
                file=name,
                allowed="a header row with " + ", ".join(required),
            )
        )
    header_row, header = rows_numbered[0]
    lookup = {_canon(k): v for k, v in (aliases or {}).items()}
    lookup.update({_canon(r): r for r in required})
    columns = [lookup.get(_canon(h), h.strip()) for h in header]
    missing = [r for r in required if r not in columns]
    if missing:
        raise error(
            [
                Problem(
                    Reason.MISSING_COLUMN,
                    f"the column '{m}' is missing (columns found: {', '.join(h.strip() for h in header)}).",
                    file=name,
                    row=header_row,
                    column=m,
                )
                for m in missing
            ]
        )
    out = []
    for number, r in rows_numbered[1:]:
        out.append(
            (number, {c: (r[i].strip() if i < len(r) else "") for i, c in enumerate(columns)})
        )
    return columns, out


# -- judgements and decisions (accepted by the one rule in workbook.judgements) --------------


def validate_judgement_rows(
    framework: Framework, rows: Iterable[tuple[int | None, dict[str, str]]], file: str | None = None
) -> tuple[list[Problem], list[tuple[str, str, str]]]:
    """Check judgement rows against a framework: case id, key question, answer, once each."""
    problems: list[Problem] = []
    good: list[tuple[str, str, str]] = []
    seen: dict[tuple[str, str], int | None] = {}
    for number, row in rows:
        case_id, question = row.get("case_id", ""), row.get("question", "")
        found = check_case_ids([(number, case_id)], file=file)
        answer, more = check_judgement(
            framework, question, row.get("answer", ""), file=file, row=number
        )
        found += more
        key = (case_id, question)
        if not found and key in seen:
            found.append(
                Problem(
                    Reason.DUPLICATE_JUDGEMENT,
                    f"case '{case_id}' already has an answer for {question} (row {seen[key]}).",
                    file=file,
                    row=number,
                    column="question",
                    value=question,
                    allowed="one answer per case and key question",
                )
            )
        elif not found:
            seen[key] = number
            good.append((case_id, question, answer))
        problems += found
    return problems, good


def read_judgements(path: Path | str, framework: Framework) -> pd.DataFrame:
    """Read ``case_id,question,answer`` rows; every problem raised at once as InputError."""
    path = Path(path)
    _, rows = read_csv_rows(
        path,
        ["case_id", "question", "answer"],
        aliases={"crn": "case_id", "kq": "question", "keyquestion": "question"},
    )
    problems, good = validate_judgement_rows(framework, rows, file=path.name)
    if problems:
        raise InputError(problems)
    return pd.DataFrame(good, columns=["case_id", "question", "answer"])


def read_decisions(path: Path | str, framework: Framework) -> list[Decision]:
    """Read ``standard,rating,reason`` rows: domain-one judged ratings and discretion decisions."""
    path = Path(path)
    _, rows = read_csv_rows(path, ["standard", "rating", "reason"], aliases={"evidence": "reason"})
    problems = validate_decision_rows(framework, rows, file=path.name)
    if problems:
        raise InputError(problems)
    return [
        Decision(
            r["standard"],
            normalise_rating(framework, r["rating"]),
            r["reason"],
            by=r.get("by") or None,
        )
        for _, r in rows
    ]


def validate_decision_rows(framework: Framework, rows, file: str | None = None) -> list[Problem]:
    """Check decision rows: a standard of the framework once, a rating and a reason each."""
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    for number, r in rows:
        sid = r.get("standard", "")
        _, found = check_decision(
            framework, sid, r.get("rating", ""), r.get("reason", ""), file=file, row=number
        )
        if framework.has_standard(sid) and sid in seen:
            found.insert(
                0,
                Problem(
                    Reason.DUPLICATE_DECISION,
                    f"standard {sid} already has a decision (row {seen[sid]}).",
                    file=file,
                    row=number,
                    column="standard",
                    value=sid,
                    allowed="one decision per standard",
                ),
            )
        elif framework.has_standard(sid):
            seen[sid] = number
        problems += found
    return problems


def read_case_attributes(path: Path | str) -> pd.DataFrame:
    """Read a CSV of ``case_id`` and attributes (ldu, gender, ...) for breakdowns."""
    path = Path(path)
    columns, rows = read_csv_rows(
        path, ["case_id"], aliases={"crn": "case_id", "localdeliveryunit": "ldu"}
    )
    problems = check_case_ids([(number, r["case_id"]) for number, r in rows], file=path.name)
    if problems:
        raise InputError(problems)
    return pd.DataFrame([r for _, r in rows], columns=columns)


# -- case lists (CSV or XLSX) ----------------------------------------------------------------

PROGRESS_ROWS = 50_000  # more rows than this: a progress bar (tqdm, which renders in notebooks too)
_ZIP = b"PK\x03\x04"  # XLSX is a zip


def _progress(rows, total: int | None, name: str, progress: bool | None):
    """Wrap ``rows`` in a progress bar when asked, or (progress None) when there are many."""
    if progress is False or (progress is None and (total or 0) <= PROGRESS_ROWS):
        return rows
    from tqdm.auto import tqdm

    return tqdm(
        rows, total=total, desc=f"Reading {name}", unit=" rows", mininterval=0.5, leave=False
    )


def read_csv_table(
    data: bytes, name: str, progress: bool | None = None
) -> list[tuple[int, list[str]]]:
    """Rows of a CSV file as (spreadsheet row, cells); the delimiter (comma, semicolon or tab)
    is the one whose rows name the most known columns."""
    text = decode_text(data, name)
    best = limits.csv_delimiter(text[:65536])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best)
    total = text.count("\n") + 1
    rows: list[tuple[int, list[str]]] = []
    try:
        for i, r in enumerate(_progress(reader, total, name, progress), start=1):
            rows.append((i, r))
    except csv.Error as exc:
        raise limits.csv_error(exc, rows, best, name) from None
    multiline = reader.line_num > len(rows)  # else no cell holds a line break
    opened = multiline and limits.open_quote_row(rows, best, limits.ends_inside_quote(text))
    if opened:
        raise limits.open_quote_error(name, opened)
    if may_hold_quoted(text):  # a cell the one cell writer quoted reads as it was written
        rows = [(i, unquote_cells(r)) for i, r in rows]
    return rows


def read_xlsx_table(
    data: bytes, name: str, sheet: str | None = None, progress: bool | None = None
) -> tuple[str, list[tuple[int, list[str]]]]:
    """(sheet name, rows as (spreadsheet row, cells)) of an XLSX workbook's first or named sheet."""
    import openpyxl

    limits.check_xlsx_archive(data, name)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise limits.not_a_workbook(name, exc) from None
    try:
        chosen = limits.choose_sheet(book.sheetnames, sheet, name)
        ws = book[chosen]
        total = ws.max_row if isinstance(ws.max_row, int) else None
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # some writers record too small a range; read every cell
        try:
            rows = []
            cells = ws.iter_rows(min_row=1, values_only=True)
            for i, r in enumerate(_progress(cells, total, name, progress), start=1):
                if i > limits.MAX_ROWS:
                    raise limits.too_many_rows(name, chosen)
                rows.append((i, unquote_cells([cell_text(v) for v in r])))
        except SampleError:
            raise
        except Exception as exc:
            raise limits.not_a_workbook(name, exc, chosen) from None
        if too_long := limits.long_cells(rows, name):
            raise SampleError(too_long)
        return chosen, rows
    finally:
        book.close()


def read_case_table(
    data: bytes, filename: str, sheet: str | None = None, progress: bool | None = None
) -> tuple[str | None, list[tuple[int, list[str]]]]:
    """(sheet or None, rows) of a case list given as bytes: XLSX by content, else CSV text."""
    name = Path(str(filename)).name or "upload"
    if not data or not data.strip():
        return None, []
    if data.startswith(_ZIP) or name.lower().endswith((".xlsx", ".xlsm")):
        return read_xlsx_table(data, name, sheet, progress)
    limits.refuse_not_a_table(data, name)
    if sheet is not None:
        raise SampleError(
            Problem(
                Reason.SHEET_FOR_CSV,
                f"a sheet ('{sheet}') was named, but a CSV file has no sheets.",
                file=name,
                value=sheet,
                allowed="--sheet only with an .xlsx workbook",
            )
        )
    return None, read_csv_table(data, name, progress)


def load_sample_bytes(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    *,
    required: tuple[str, ...] = REQUIRED,
    progress: bool | None = None,
) -> Sample:
    """Read and validate a case list given as bytes (a FileUpload's content): CSV in UTF-8,
    UTF-8 with BOM or Windows-1252, or XLSX (first sheet, or ``sheet``). Raises SampleError
    with every problem; warnings are on the returned Sample."""
    name = Path(str(filename)).name or "upload"
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise SampleError(Problem(Reason.NOT_BYTES, "the upload holds no file content.", file=name))
    used_sheet, rows = read_case_table(bytes(data), name, sheet, progress)
    return sample_from_rows(rows, file=name, required=required, sheet=used_sheet)


_READ_FAILURES = {
    FileNotFoundError: (Reason.MISSING_FILE, "does not exist"),
    IsADirectoryError: (Reason.NOT_A_FILE, "is a folder, not a file"),
    PermissionError: (Reason.UNREADABLE, "cannot be read (permission denied)"),
    ValueError: (Reason.BAD_PATH, "name holds a NUL character"),
}


def load_sample(
    path: Path | str,
    sheet: str | None = None,
    *,
    required: tuple[str, ...] = REQUIRED,
    progress: bool | None = None,
) -> Sample:
    """Read and validate a case list file (.csv or .xlsx); see :func:`load_sample_bytes`."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        code, what = _READ_FAILURES.get(type(exc), (Reason.UNREADABLE, "cannot be read"))
        raise SampleError(Problem(code, f"the file {what}.", file=escaped_path(path))) from None
    return load_sample_bytes(data, path.name, sheet, required=required, progress=progress)


def load_population(
    path: Path | str, sheet: str | None = None, *, progress: bool | None = None
) -> Sample:
    """An eligible population to draw from: the case-list rules with only case_id required
    (the stratum columns are checked by the draw)."""
    return load_sample(path, sheet, required=("case_id",), progress=progress)


def write_sample(cases: pd.DataFrame, path: Path | str, seed: int | None = None) -> Path:
    """Write a case list as CSV UTF-8; with ``seed``, every row records it (``draw_seed``).

    Text a spreadsheet would run as a formula is written after a ``'`` (the one cell rule,
    :mod:`workbook.caselist.cells`), which the case-list reader takes off again, so the file
    reads back as the cases it was written from. Written all or nothing (:func:`write_file`).
    """
    out = cases.copy()
    if seed is not None:
        out[SEED_COLUMN] = str(seed)
    out.columns = [quote_text(str(c)) for c in out.columns]
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(lambda v: quote_text(v) if isinstance(v, str) else v)
    text = out.to_csv(index=False, lineterminator="\n")
    if "\r" in text:  # a lone carriage return is quoted only when every cell is
        text = out.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_ALL)
    return write_file(path, text.encode("utf-8"))


# -- writing files, all or nothing -------------------------------------------------------------

_CONTROL_IN_PATH = re.compile(r"[\x00-\x1f\x7f-\x9f]")
PATH_ALLOWED = "folder and file names of printable characters (no NUL, tab or line break)"


def escaped_path(path: object) -> str:
    """A path as text safe to print: control characters written as escapes (``\\x00``)."""
    return _CONTROL_IN_PATH.sub(lambda m: repr(m.group())[1:-1], str(path))


def check_path(path: Path | str, error: type[WorkbookError] = WorkbookError) -> Path:
    """``path`` as a Path; ``error`` (``bad_path``) when a name in it holds NUL or another
    control character, which a folder or file name should not hold (and NUL cannot)."""
    text = str(path)
    found = _CONTROL_IN_PATH.search(text)
    if found:
        raise error(
            Problem(
                Reason.BAD_PATH,
                f"the folder or file name holds the control character "
                f"{repr(found.group())[1:-1]}; nothing was written.",
                file=escaped_path(text),
                allowed=PATH_ALLOWED,
            )
        )
    return Path(text)


def write_file(
    path: Path | str,
    content: bytes | str | Callable[[Path], object],
    error: type[WorkbookError] = WorkbookError,
    reason: Reason = Reason.CANNOT_WRITE_FILE,
) -> Path:
    """Write a file all or nothing: to a temporary name in its folder, renamed to ``path`` once
    complete (removed on failure, so nothing partial is ever under ``path``'s name).

    ``content``: bytes, text (UTF-8) or a function writing the (temporary) path it is given.
    A failure is ``error`` naming the file: ``reason`` (no space, a size limit, no permission),
    or ``bad_path`` for a name holding a control character.
    """
    path = check_path(path, error)
    tmp = path.with_name(f".{path.name[:180]}.{secrets.token_hex(4)}.partial{path.suffix[:20]}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(tmp)
        else:
            data = content.encode("utf-8") if isinstance(content, str) else content
            with open(tmp, "xb") as handle:
                handle.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise error(
            Problem(
                reason,
                f"the file cannot be written ({exc.strerror or type(exc).__name__}); nothing was "
                "left under its name, and a file there before is unchanged.",
                file=escaped_path(path),
                value=escaped_path(exc),
                allowed="a folder that may be written, on a disk with room for the file",
            )
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink(missing_ok=True)
    return path
