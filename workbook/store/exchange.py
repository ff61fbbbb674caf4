"""Export and import: an inspection as CSV files with a checksummed manifest.

An export is one folder: ``inspection.csv``, ``cases.csv``, ``judgements.csv``,
``decisions.csv``, ``history.csv``, the team's ``members.csv``, ``case_work.csv``,
``queries.csv``, ``second_judgements.csv`` and ``adjudications.csv`` (format 3; an older
export, without them and without the history's ``reason``, is read as it is; a query's number
is given anew by the store it is imported into) (a missing value is written ``\\N``, as PostgreSQL's COPY
does) and ``manifest.json`` with the sha256 of each file. Text goes through the one cell rule
(:func:`workbook.caselist.cells.quote_text`): text a spreadsheet would run as a formula (or
that starts with ``\\``, so a text ``\\N`` is not a missing value) is written after a ``'``,
and an import takes exactly that prefix off again, so every value comes back as it was
(format 2; a format 1 export, written without the prefix, is read as it is). It is written aside and renamed into
place, so a failure part-way leaves any previous export as it was. A damaged export (missing
file, checksum mismatch) is refused whole, and an import changes nothing unless it completes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..caselist.cells import FORMULA_START, quote_text, unquote_text
from ..errors import Problem, StoreError
from ..files import check_path
from ..framework import Framework
from ..reasons import Reason
from . import decisions, judgements
from .history import HISTORY_COLUMNS
from .inspections import inspection_row, refuse_taken_name
from .judgements import JUDGEMENT_COLUMNS
from .names import shown
from .schema import (
    SCHEMA_VERSION,
    AdjudicationRow,
    CaseRow,
    CaseWorkRow,
    DecisionRow,
    HistoryRow,
    InspectionRow,
    JudgementRow,
    MemberRow,
    QueryRow,
    SecondJudgementRow,
)
from .values import now, utc

EXPORT_FORMAT = 3  # 3: the team's files too; 2: text quoted by the one cell rule; 1: as it is
READ_FORMATS = (1, 2, 3)
NULL = "\\N"
_QUOTED_START = (*FORMULA_START, "\\")  # and the backslash of NULL

# -- export files ----------------------------------------------------------------------------

EXPORT_FILES = ("inspection.csv", "cases.csv", "judgements.csv", "decisions.csv", "history.csv")
EXPORT_COLUMNS = {
    "inspection.csv": (
        "name",
        "provider",
        "framework_id",
        "framework_version",
        "fieldwork_start",
        "fieldwork_end",
        "created_by",
        "created_at",
    ),
    "cases.csv": ("case_id", "position", "ldu", "attributes"),
    "judgements.csv": tuple(JUDGEMENT_COLUMNS),
    "decisions.csv": ("standard", "rating", "reason", "inspector", "saved_at", "version"),
    "history.csv": HISTORY_COLUMNS[1:],  # every column but the inspection's row id
}
# the team's files (format 3): an older export has none of them, and its history no reason
TEAM_TABLES = {
    "members.csv": MemberRow,
    "case_work.csv": CaseWorkRow,
    "queries.csv": QueryRow,
    "second_judgements.csv": SecondJudgementRow,
    "adjudications.csv": AdjudicationRow,
}
TEAM_FILES = tuple(TEAM_TABLES)
EXPORT_COLUMNS.update(
    {
        fname: tuple(c.name for c in row.__table__.columns if c.name not in ("id", "inspection_id"))
        for fname, row in TEAM_TABLES.items()
    }
)
OPTIONAL_COLUMNS = {"history.csv": ("reason",)}  # not in an export older than format 3


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _export_value(value: Any) -> Any:
    """A stored value as an export writes it: times in UTC ISO 8601, dates ISO 8601."""
    if isinstance(value, datetime):
        return _iso(utc(value))
    if isinstance(value, date):
        return _iso(value)
    return value


def _cell(value: Any) -> str:
    """A value as an export cell: None as ``\\N`` (as PostgreSQL's COPY writes it), text
    quoted by the one cell rule, anything else (numbers) as it is."""
    if value is None:
        return NULL
    if isinstance(value, str):
        return quote_text(value, _QUOTED_START)
    return str(value)


def _uncell(value: str, quoted: bool = True) -> str | None:
    """The value of an export cell: ``\\N`` is None; the prefix the writer added is taken off."""
    if value == NULL:
        return None
    return unquote_text(value, _QUOTED_START) if quoted else value


def _export_problem(code: Reason, message: str, folder: Path, value: Any = None) -> StoreError:
    return StoreError(
        Problem(
            code,
            message,
            file=str(folder),
            value=value,
            allowed="a new folder, or a previous export to replace, whose parent folders exist as folders (not files) and may be written",
        )
    )


def _check_target(target: Path, folder: Path, known: set[str]) -> None:
    """Refuse a target that is a file, a folder holding other files, or lies under a file."""
    if target.exists() or target.is_symlink():
        if not target.is_dir():
            raise _export_problem(
                Reason.EXPORT_NOT_A_FOLDER,
                f"'{folder}' is a file, not a folder; nothing was exported.",
                folder,
            )
        others = sorted(p.name for p in target.iterdir() if p.name not in known)
        if others:
            raise _export_problem(
                Reason.EXPORT_FOLDER_IN_USE,
                f"the folder '{folder}' holds files that are not part of an export "
                f"({', '.join(others[:5])}{', ...' if len(others) > 5 else ''}); nothing was exported, so they are untouched.",
                folder,
            )
    blocking = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise _export_problem(
            Reason.CANNOT_WRITE_EXPORT,
            f"the export cannot be written to the folder '{folder}': '{blocking}' is a file, "
            "not a folder; nothing was exported.",
            folder,
        )


def _move_into_place(tmp: Path, target: Path) -> None:
    """Rename the complete folder ``tmp`` to ``target``, replacing a previous export."""
    if not target.exists():
        os.replace(tmp, target)
        return
    previous = tmp.with_name(tmp.name + ".previous")
    os.replace(target, previous)
    try:
        os.replace(tmp, target)
    except OSError:
        os.replace(previous, target)  # the previous export goes back in place
        raise
    shutil.rmtree(previous, ignore_errors=True)


def _write_export_folder(folder: Path, contents: dict[str, bytes]) -> None:
    """Write ``contents`` (file name -> bytes) as the folder ``folder``, all or nothing.

    The files go into a temporary sibling folder renamed into place only when complete, so a
    failure part-way leaves any previous export there as it was.
    """
    folder = check_path(folder, StoreError)
    target = Path(os.path.abspath(folder))
    known = set(contents) | set(EXPORT_FILES) | {"manifest.json"}
    tmp: Path | None = None
    try:
        _check_target(target, folder, known)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        )
        for fname, data in contents.items():
            (tmp / fname).write_bytes(data)
        _move_into_place(tmp, target)
        tmp = None
    except OSError as exc:
        raise _export_problem(
            Reason.CANNOT_WRITE_EXPORT,
            f"the export cannot be written to the folder '{folder}' ({exc.strerror or exc}); "
            "nothing was exported and any previous export there is unchanged.",
            folder,
            value=str(exc),
        ) from None
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _read_manifest(folder: Path) -> dict[str, Any]:
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise StoreError(
            Problem(
                Reason.MISSING_MANIFEST,
                "the export has no manifest.json, so it cannot be checked; nothing was imported.",
                file=str(manifest_path),
                allowed="a folder written by `python -m workbook export`",
            )
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        manifest["files"]  # noqa: B018 - a manifest without files is damaged
    except (ValueError, KeyError, TypeError):
        raise StoreError(
            Problem(
                Reason.BAD_MANIFEST,
                "manifest.json is damaged; nothing was imported.",
                file=str(manifest_path),
            )
        ) from None
    if manifest.get("format") not in READ_FORMATS:
        raise StoreError(
            Problem(
                Reason.EXPORT_FORMAT,
                f"the export's format {manifest.get('format')!r} is not one this workbook reads; nothing was imported.",
                file=str(manifest_path),
                value=manifest.get("format"),
                allowed=", ".join(str(f) for f in READ_FORMATS),
            )
        )
    return manifest


def _read_table(
    folder: Path, fname: str, files: dict, quoted: bool = True
) -> tuple[list[dict] | None, Problem | None]:
    """One export file's rows, checked against the manifest; or the problem with it. ``quoted``:
    the text was written by the one cell rule (format 2), whose prefix is taken off."""
    path = folder / fname
    if fname not in files:
        return None, Problem(
            Reason.NOT_IN_MANIFEST,
            "the manifest does not list this file; the export is incomplete.",
            file=fname,
        )
    if not path.is_file():
        return None, Problem(
            Reason.MISSING_FILE, "the file is missing from the export.", file=str(path)
        )
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != files[fname].get("sha256"):
        return None, Problem(
            Reason.CHECKSUM_MISMATCH,
            f"the file's checksum {digest[:12]}... differs from the manifest's {str(files[fname].get('sha256'))[:12]}...: it was changed or damaged after the export.",
            file=str(path),
            value=digest,
        )
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header = next(reader, None) or []
    optional = OPTIONAL_COLUMNS.get(fname, ())
    missing = [c for c in EXPORT_COLUMNS[fname] if c not in header and c not in optional]
    if missing:
        return None, Problem(
            Reason.MISSING_COLUMN,
            f"the file lacks the column(s) {', '.join(missing)}.",
            file=str(path),
            allowed=", ".join(EXPORT_COLUMNS[fname]),
        )
    rows = [{h: _uncell(v, quoted) for h, v in zip(header, r, strict=False)} for r in reader]
    return rows, None


def read_export(folder: Path | str) -> dict[str, list[dict[str, str | None]]]:
    """Read and check an export folder: every file present, every checksum right.

    Parameters
    ----------
    folder
        A folder written by :func:`export_inspection` (``python -m workbook export``).

    Returns
    -------
    dict
        File name -> its rows, each a mapping of column to text (None for a missing value).

    Raises
    ------
    StoreError
        Every problem found (missing or damaged manifest, files missing, changed or lacking
        columns, not exactly one inspection); nothing is returned partly.
    """
    folder = Path(folder)
    manifest = _read_manifest(folder)
    files, quoted = manifest["files"], manifest["format"] >= 2
    problems, tables = [], {}
    for fname in EXPORT_FILES + TEAM_FILES:
        if fname in TEAM_FILES and fname not in files:
            tables[fname] = []  # an export older than the team's files
            continue
        rows, problem = _read_table(folder, fname, files, quoted)
        if problem is not None:
            problems.append(problem)
        else:
            tables[fname] = rows
    if not problems and len(tables.get("inspection.csv", [])) != 1:
        problems.append(
            Problem(
                Reason.BAD_EXPORT,
                "inspection.csv must hold exactly one inspection.",
                file="inspection.csv",
            )
        )
    if problems:
        raise StoreError(problems)
    return tables


# -- writing and reading an inspection ---------------------------------------------------------


def _dump(conn: Connection, fname: str, row_class, order, iid: int) -> tuple[list[str], list[list]]:
    columns = list(EXPORT_COLUMNS[fname])
    query = select(row_class.__table__).where(row_class.inspection_id == iid).order_by(order)
    return columns, [[_export_value(getattr(r, c)) for c in columns] for r in conn.execute(query)]


def export_tables(conn: Connection, name: str) -> dict[str, tuple[list[str], list[list]]]:
    """Return the inspection's export files as (header, rows), read in one transaction."""
    irow = inspection_row(conn, name)
    inspection_columns = list(EXPORT_COLUMNS["inspection.csv"])
    return {
        "inspection.csv": (
            inspection_columns,
            [[_export_value(getattr(irow, c)) for c in inspection_columns]],
        ),
        "cases.csv": _dump(conn, "cases.csv", CaseRow, CaseRow.position, irow.id),
        "judgements.csv": _dump(conn, "judgements.csv", JudgementRow, JudgementRow.id, irow.id),
        "decisions.csv": _dump(conn, "decisions.csv", DecisionRow, DecisionRow.id, irow.id),
        "history.csv": _dump(conn, "history.csv", HistoryRow, HistoryRow.id, irow.id),
    } | {fname: _dump(conn, fname, row, row.id, irow.id) for fname, row in TEAM_TABLES.items()}


def check_export(framework: Framework, name: str, tables: dict) -> None:
    """Raise when an answer or a decision about to be exported is not one the framework knows
    (``bad_stored_value``, as for every reader): an export never copies a corrupted value on.

    ``tables``: :func:`export_tables`' (header, rows) by file name.
    """
    header, rows = tables["judgements.csv"]
    judgements.check_stored(framework, name, pd.DataFrame(rows, columns=header, dtype=object))
    header, rows = tables["decisions.csv"]
    at = {c: header.index(c) for c in ("standard", "rating")}
    decisions.check_stored(framework, name, [(r[at["standard"]], r[at["rating"]]) for r in rows])


def write_export(
    name: str, tables: dict[str, tuple[list[str], list[list]]], folder: Path | str
) -> Path:
    """Write the export files and their manifest as the folder ``folder``, all or nothing."""
    folder = Path(folder)
    files, contents = {}, {}
    for fname, (header, rows) in tables.items():
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        # the csv module quotes a cell holding "\n" but not one holding a lone "\r", which a
        # reader takes for the end of the row: such rows are written with every cell quoted
        quoted = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        for r in rows:
            cells = [_cell(v) for v in r]
            (quoted if any("\r" in c for c in cells) else writer).writerow(cells)
        data = contents[fname] = buf.getvalue().encode("utf-8")
        files[fname] = {"sha256": hashlib.sha256(data).hexdigest(), "rows": len(rows)}
    manifest = {
        "format": EXPORT_FORMAT,
        "schema": SCHEMA_VERSION,
        "inspection": name,
        "exported_at": _iso(now()),
        "files": files,
    }
    contents["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
    _write_export_folder(folder, contents)
    return folder


# export file -> its table
_TABLES = {
    "cases.csv": CaseRow,
    "judgements.csv": JudgementRow,
    "decisions.csv": DecisionRow,
    "history.csv": HistoryRow,
    **TEAM_TABLES,
}


def import_tables(conn: Connection, tables: dict[str, list[dict]], folder: Path | str) -> str:
    """Insert the export ``tables`` as a new inspection in the open transaction ``conn``.

    ``tables`` are the rows :func:`workbook.store.imports.check_import` converted and checked.

    Returns
    -------
    str
        The inspection's name.

    Raises
    ------
    StoreError
        ``inspection_exists``: the store has an inspection of that name; nothing is imported.
    """
    ins = tables["inspection.csv"][0]
    name = ins["name"]
    refuse_taken_name(
        conn,
        name,
        file=str(folder),
        message=f"the store already has an inspection named '{shown(name)}'; nothing was imported.",
        allowed="an export of an inspection this store does not have",
    )
    iid = conn.execute(
        InspectionRow.__table__.insert().values(**ins).returning(InspectionRow.id)
    ).scalar_one()
    for fname, row_class in _TABLES.items():
        rows = [{"inspection_id": iid} | r for r in tables[fname]]
        for start in range(0, len(rows), 5000):
            conn.execute(row_class.__table__.insert(), rows[start : start + 5000])
    return name
