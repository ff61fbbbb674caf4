"""Inspections: finding one by name, creating one pinned to its framework, listing them.

An inspection is pinned to the framework version it was created with: it is only ever rated
and answered with that version (:func:`pinned_framework`).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..framework import Framework
from ..reasons import Reason
from . import history
from .names import check_name, shown
from .schema import CaseRow, HistoryRow, InspectionRow
from .values import Inspection, dumps, json_value


def inspection_row(conn: Connection, name: str) -> Any:
    """Return the inspection's row.

    Raises
    ------
    StoreError
        ``unknown_inspection``, naming the inspections the store holds.
    """
    row = conn.execute(select(InspectionRow.__table__).where(InspectionRow.name == name)).first()
    if row is None:
        known = [
            r[0]
            for r in conn.execute(select(InspectionRow.name).order_by(InspectionRow.name)).all()
        ]
        raise StoreError(
            Problem(
                Reason.UNKNOWN_INSPECTION,
                f"there is no inspection '{shown(name)}' in the store.",
                value=shown(name),
                allowed=", ".join(shown(k) for k in known)
                if known
                else "none yet: import a sample first (python -m workbook import-sample)",
            )
        )
    return row


def to_inspection(conn: Connection, row: Any) -> Inspection:
    """Return the inspection of ``row``, with the LDUs of its cases."""
    ldus = (
        conn.execute(
            select(CaseRow.ldu)
            .where(CaseRow.inspection_id == row.id, CaseRow.ldu.is_not(None))
            .distinct()
            .order_by(CaseRow.ldu)
        )
        .scalars()
        .all()
    )
    return Inspection(
        row.name,
        row.provider,
        row.framework_id,
        row.framework_version,
        row.fieldwork_start,
        row.fieldwork_end,
        tuple(ldus),
    )


def list_inspections(conn: Connection) -> list[Inspection]:
    """Return every inspection, by name."""
    rows = conn.execute(select(InspectionRow.__table__).order_by(InspectionRow.name)).all()
    return [to_inspection(conn, r) for r in rows]


def refuse_taken_name(conn: Connection, name: str, **where: Any) -> None:
    """Raise ``inspection_exists`` when the store has an inspection called ``name``.

    ``where`` (``file``, ``message``, ``allowed``) words the problem for an import.
    """
    if conn.execute(select(InspectionRow.id).where(InspectionRow.name == name)).first():
        raise StoreError(
            Problem(
                Reason.INSPECTION_EXISTS,
                where.pop("message", f"an inspection named '{shown(name)}' already exists."),
                value=shown(name),
                allowed=where.pop("allowed", "a new name"),
                **where,
            )
        )


def insert_inspection(
    conn: Connection,
    name: str,
    framework: Framework,
    provider: str,
    fieldwork: tuple[date | None, date | None],
    inspector: str,
    at: datetime,
) -> Any:
    """Insert a new inspection and its history row; return its row.

    Raises
    ------
    StoreError
        ``inspection_exists``.
    """
    refuse_taken_name(conn, name)
    start, end = fieldwork
    settings = {
        "provider": provider,
        "framework_id": framework.id,
        "framework_version": str(framework.version),
        "fieldwork_start": json_value(start),
        "fieldwork_end": json_value(end),
    }
    new_id = conn.execute(
        InspectionRow.__table__.insert()
        .values(
            name=name,
            provider=provider or "",
            framework_id=framework.id,
            framework_version=str(framework.version),
            fieldwork_start=start,
            fieldwork_end=end,
            created_by=inspector,
            created_at=at,
        )
        .returning(InspectionRow.id)
    ).scalar_one()
    conn.execute(
        HistoryRow.__table__.insert().values(
            history.inspection_created(new_id, name, dumps(settings), inspector, at)
        )
    )
    return conn.execute(select(InspectionRow.__table__).where(InspectionRow.id == new_id)).one()


def check_new_inspection(
    name: str, fieldwork_start: date | None, fieldwork_end: date | None
) -> str:
    """Return the inspection's name stripped; raise when it or its fieldwork is not valid.

    Raises
    ------
    StoreError
        ``empty_name``, ``bad_name`` (see :mod:`.names`) or ``bad_dates``.
    """
    name = check_name(name)
    if fieldwork_start and fieldwork_end and fieldwork_end < fieldwork_start:
        raise StoreError(
            Problem(
                Reason.BAD_DATES,
                f"the fieldwork ends ({fieldwork_end}) before it starts ({fieldwork_start}).",
                value=str(fieldwork_end),
            )
        )
    return name


def load_framework(framework_id: str, frameworks: Path | str | None) -> Framework:
    """Return the framework ``framework_id``, looked for also in the folder ``frameworks``."""
    from ..files import load_framework as load

    return load(framework_id, extra=frameworks)


def pinned_framework(row: Any, frameworks: Path | str | None) -> Framework:
    """Return the framework the inspection of ``row`` is pinned to.

    Parameters
    ----------
    row
        The inspection's row (framework id and version).
    frameworks
        The extra folder of framework files (the ``WORKBOOK_FRAMEWORKS`` setting), or None.

    Raises
    ------
    StoreError
        ``framework_version``: the framework installed under that id is another version.
    """
    framework = load_framework(row.framework_id, frameworks)
    if str(framework.version) != row.framework_version:
        raise StoreError(
            Problem(
                Reason.FRAMEWORK_VERSION,
                f"inspection '{shown(row.name)}' is pinned to framework {row.framework_id} version {row.framework_version}, but the framework installed is version {framework.version}. Install version {row.framework_version} of the framework.",
                value=framework.version,
                allowed=row.framework_version,
            )
        )
    return framework
