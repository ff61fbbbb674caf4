"""The append-only history: the one builder of a history row, and reading it back.

Every change to an inspection, its cases, judgements and decisions is one row (old value, new
value, who, when); nothing in the history is ever updated. Every writer of the store builds
its row with :func:`history_row` (or one of the short forms below it), so a row has the same
columns and meaning whichever change made it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from .schema import HistoryRow
from .values import HistoryEntry, StoredDecision, StoredJudgement, utc

HISTORY_COLUMNS = (
    "inspection_id",
    "entity",
    "key",
    "case_id",
    "question",
    "version",
    "old",
    "new",
    "old_note",
    "new_note",
    "by",
    "at",
    "reason",
)

# the plain-SQL insert of a history row: parameters named as the columns (see history_row)
INSERT_SQL = (
    f"INSERT INTO history ({', '.join(HISTORY_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in HISTORY_COLUMNS)})"
)


def history_row(
    inspection_id: int,
    entity: str,
    key: str,
    *,
    old: str | None,
    new: str | None,
    by: str,
    at: Any,
    case_id: str | None = None,
    question: str | None = None,
    version: int | None = None,
    old_note: str | None = None,
    new_note: str | None = None,
    reason: str | None = None,
) -> dict[str, Any]:
    """Return one history row as a mapping of column to value.

    Parameters
    ----------
    inspection_id
        The inspection's row id.
    entity
        ``inspection``, ``case``, ``judgement`` or ``decision``.
    key
        What changed: the inspection's name, a case id, ``"C001 2.1.1"`` or a standard id.
    old, new
        The value before and after (answers, ratings, or attributes or settings as JSON).
    by, at
        Who made the change and when (a time, or the time as the hot path's SQL takes it).
    case_id, question, version, old_note, new_note
        The case and key question of a judgement, the version the change made, and the notes
        (a judgement's notes, a decision's reasons) before and after.
    reason
        Why the change was made, where a rule asks for it (an answer changed on a signed-off
        case, a case reopened, an adjudication).

    Returns
    -------
    dict
        The row, keyed by ``HISTORY_COLUMNS``; usable as parameters of ``INSERT_SQL`` or of an
        insert of ``HistoryRow``.
    """
    return {
        "inspection_id": inspection_id,
        "entity": entity,
        "key": key,
        "case_id": case_id,
        "question": question,
        "version": version,
        "old": old,
        "new": new,
        "old_note": old_note,
        "new_note": new_note,
        "by": by,
        "at": at,
        "reason": reason,
    }


def inspection_created(inspection_id: int, name: str, settings: str, by: str, at: datetime):
    """Return the history row of a new inspection (its settings as JSON text)."""
    return history_row(
        inspection_id, "inspection", name, old=None, new=settings, by=by, at=at, version=1
    )


def case_changed(
    inspection_id: int, case_id: str, old: str | None, new: str, by: str, at: datetime
) -> dict[str, Any]:
    """Return the history row of a case added (``old`` None) or whose attributes changed."""
    return history_row(
        inspection_id, "case", case_id, old=old, new=new, by=by, at=at, case_id=case_id
    )


def judgement_changed(
    inspection_id: int,
    previous: StoredJudgement | None,
    case_id: str,
    question: str,
    answer: str | None,
    note: str | None,
    by: str,
    at: Any,
    version: int,
    reason: str | None = None,
) -> dict[str, Any]:
    """Return the history row of a saved answer (``previous`` None: the first one)."""
    return history_row(
        inspection_id,
        "judgement",
        f"{case_id} {question}",
        old=previous.answer if previous else None,
        new=answer,
        by=by,
        at=at,
        case_id=case_id,
        question=question,
        version=version,
        old_note=previous.note if previous else None,
        new_note=note,
        reason=reason,
    )


def decision_changed(
    inspection_id: int,
    previous: StoredDecision | None,
    standard: str,
    rating: str | None,
    reason: str,
    by: str,
    at: datetime,
    version: int,
) -> dict[str, Any]:
    """Return the history row of a saved decision (rating None: withdrawn)."""
    return history_row(
        inspection_id,
        "decision",
        standard,
        old=previous.rating if previous else None,
        new=rating,
        by=by,
        at=at,
        version=version,
        old_note=previous.reason if previous else None,
        new_note=reason,
    )


def read_history(conn: Connection, inspection_id: int, case_id: str | None) -> list[HistoryEntry]:
    """Return every change of an inspection, oldest first (optionally only one case's)."""
    h = HistoryRow.__table__
    query = select(h).where(h.c.inspection_id == inspection_id)
    if case_id is not None:
        query = query.where(h.c.case_id == str(case_id))
    return [
        HistoryEntry(
            r.entity,
            r.key,
            r.old,
            r.new,
            r.by,
            utc(r.at),
            r.case_id,
            r.question,
            r.version,
            r.old_note,
            r.new_note,
            r.reason,
            r.id,
        )
        for r in conn.execute(query.order_by(h.c.id)).all()
    ]


def last_change(conn: Connection, inspection_id: int) -> str:
    """Return a token of the inspection's last change: it differs after any change.

    Every writer of the store appends a history row (only the benchmarks' bulk set-up does
    not), so the newest row's id and the number of rows change whenever anything of the
    inspection changes, and an inspection recreated under the same name has another id.

    Parameters
    ----------
    conn : Connection
        An open connection to the store.
    inspection_id : int
        The inspection's row id.

    Returns
    -------
    str
        ``"<inspection id>:<newest history id>:<history rows>"``.
    """
    h = HistoryRow.__table__
    newest, count = conn.execute(
        select(func.max(h.c.id), func.count()).where(h.c.inspection_id == inspection_id)
    ).one()
    return f"{inspection_id}:{newest or 0}:{count}"
