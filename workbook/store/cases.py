"""Cases: an inspection's sample, each case with its attributes (as imported) and position.

Importing the same sample twice changes nothing; a case whose attributes changed is updated
and the change recorded in the history. A case list's ``inspector`` column is read as the
case's allocation (recorded in the history, entity ``allocation``) when the case is new or its
row changed: a re-import of the same list leaves a lead inspector's reallocation alone.
"""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..judgements import check_case_ids
from ..reasons import Reason
from . import history, status
from .schema import CaseRow, HistoryRow
from .values import ImportResult, json_value

ALLOCATION_COLUMN = "inspector"  # a case list's column read as the case's allocation

CaseRecord = tuple[str, str | None, str]  # case_id, ldu, attributes as JSON


def check_cases(cases: pd.DataFrame) -> list[CaseRecord]:
    """Return the cases as (case_id, ldu, attributes JSON); every problem raised at once.

    Parameters
    ----------
    cases
        A table with ``case_id`` and the cases' attributes (``ldu``, ``gender``, ...).

    Raises
    ------
    StoreError
        ``missing_column`` (no ``case_id``), ``empty_case_id``, ``duplicate_case_id``; rows
        numbered as a spreadsheet shows them (the header is row 1).
    """
    if "case_id" not in cases.columns:
        raise StoreError(
            Problem(
                Reason.MISSING_COLUMN,
                "the cases have no 'case_id' column.",
                column="case_id",
                allowed="a table with case_id and the cases' attributes",
            )
        )
    columns = list(cases.columns)
    rows = [
        dict(zip(columns, row, strict=True)) for row in cases.itertuples(index=False, name=None)
    ]
    ids = [json_value(values["case_id"]) for values in rows]
    problems = check_case_ids([(i + 2, cid) for i, cid in enumerate(ids)], column="case_id")
    if problems:
        raise StoreError(problems)
    attr_cols = [c for c in columns if c != "case_id"]
    records = []
    for cid, values in zip(ids, rows, strict=True):
        attrs = {str(c): json_value(values[c]) for c in attr_cols}
        ldu = attrs.get("ldu")
        records.append(
            (
                str(cid).strip(),
                None if ldu is None else str(ldu),
                json.dumps(attrs, ensure_ascii=False),
            )
        )
    return records


def _allocated(attributes: str) -> str | None:
    """The person a case list's ``inspector`` column allocates the case to (None: nobody)."""
    value = json.loads(attributes).get(ALLOCATION_COLUMN)
    return None if value is None or not str(value).strip() else str(value).strip()


def import_cases_in(
    conn: Connection, iid: int, records: list[CaseRecord], inspector: str, at: datetime
) -> ImportResult:
    """Add new cases and update changed ones in the open transaction ``conn``; a case's
    ``inspector`` value allocates it (see :func:`workbook.store.status.record_allocations`)."""
    existing = {
        r.case_id: r
        for r in conn.execute(
            select(CaseRow.id, CaseRow.case_id, CaseRow.attributes, CaseRow.position).where(
                CaseRow.inspection_id == iid
            )
        ).all()
    }
    position = max((r.position for r in existing.values()), default=0)
    new_rows, changes, unchanged = [], [], 0
    allocations: dict[str, str | None] = {}
    for cid, ldu, attrs in records:
        old = existing.get(cid)
        if old is not None and old.attributes == attrs:
            unchanged += 1
            continue
        person = _allocated(attrs)
        if person is not None or (old is not None and _allocated(old.attributes) is not None):
            allocations[cid] = person
        if old is None:
            position += 1
            new_rows.append(
                {
                    "inspection_id": iid,
                    "case_id": cid,
                    "position": position,
                    "ldu": ldu,
                    "attributes": attrs,
                }
            )
        else:
            conn.execute(
                CaseRow.__table__.update()
                .where(CaseRow.id == old.id)
                .values(attributes=attrs, ldu=ldu)
            )
        changes.append(
            history.case_changed(
                iid, cid, None if old is None else old.attributes, attrs, inspector, at
            )
        )
    if new_rows:
        conn.execute(CaseRow.__table__.insert(), new_rows)
    if changes:
        conn.execute(HistoryRow.__table__.insert(), changes)
    if allocations:
        status.record_allocations(conn, iid, allocations, inspector, at)
    return ImportResult(len(new_rows), unchanged, len(changes) - len(new_rows))


def read_cases(conn: Connection, iid: int) -> pd.DataFrame:
    """Return case_id and the attributes, as imported, one row per case in import order."""
    rows = conn.execute(
        select(CaseRow.case_id, CaseRow.attributes)
        .where(CaseRow.inspection_id == iid)
        .order_by(CaseRow.position)
    ).all()
    records = []
    for cid, attrs in rows:
        rec = {"case_id": cid}
        rec.update(json.loads(attrs))
        records.append(rec)
    if not records:
        return pd.DataFrame({"case_id": pd.Series([], dtype="string")})
    return pd.DataFrame.from_records(records)
