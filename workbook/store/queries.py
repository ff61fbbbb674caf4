"""Quality-assurance queries: a quality lead's question on one judgement (a key question of a
case) or on a whole case, the inspector's reply, and the quality lead's resolution.

A query is *open* when written (by a quality lead or lead inspector), *answered* when the
case's allocated person (or a lead inspector) replies, or changes the answer it is about (the
reply then reads "Answer changed from No to Yes: <reason>"), and *resolved* when a quality
lead or lead inspector closes it (from open or answered). Each step appends a history row:
entity ``query``, key and ``case_id`` the case, ``question`` the key question (None: the
whole case), ``version`` the query's number, ``old``/``new`` the states and ``new_note`` the
text written (the query, the reply or the resolution).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..framework import Framework
from ..judgements import unknown_case
from ..reasons import Reason
from . import team
from .history import history_row
from .names import shown
from .schema import CaseRow, CaseWorkRow, HistoryRow, QueryRow
from .values import Query, blank_to_none, utc

Q = QueryRow.__table__
STATES = ("open", "answered", "resolved")
_ANSWER_WORDS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable", None: "no answer"}


def check_text(text: Any, what: str) -> str:
    """Return the text stripped.

    Raises
    ------
    StoreError
        ``missing_text`` when it is empty.
    """
    found = blank_to_none(None if text is None else str(text))
    if found is None:
        raise StoreError(
            Problem(Reason.MISSING_TEXT, f"the {what} is empty: write what it says.", column=what)
        )
    return found


def check_state(state: Any) -> str | None:
    """Return the state asked for (None: every state).

    Raises
    ------
    StoreError
        ``query_state`` for a state that is not open, answered or resolved.
    """
    if state is None:
        return None
    key = str(state).strip().lower()
    if key not in STATES:
        raise StoreError(
            Problem(
                Reason.QUERY_STATE,
                f"'{shown(state)}' is not a state of a query.",
                column="state",
                value=shown(state),
                allowed=", ".join(STATES),
            )
        )
    return key


def _query(row: Any) -> Query:
    return Query(
        row.id,
        row.case_id,
        row.question,
        row.text,
        row.state,
        row.opened_by,
        utc(row.opened_at),
        row.reply,
        row.replied_by,
        utc(row.replied_at),
        row.resolution,
        row.resolved_by,
        utc(row.resolved_at),
    )


def read_queries(
    conn: Connection, iid: int, case_id: str | None = None, state: str | None = None
) -> list[Query]:
    """The inspection's queries (optionally one case's, or in one state), oldest first."""
    query = select(Q).where(Q.c.inspection_id == iid)
    if case_id is not None:
        query = query.where(Q.c.case_id == case_id)
    if state is not None:
        query = query.where(Q.c.state == state)
    return [_query(r) for r in conn.execute(query.order_by(Q.c.id))]


def _one(conn: Connection, iid: int, name: str, query_id: Any) -> Any:
    try:
        number = int(query_id)
    except (TypeError, ValueError):
        number = None
    row = None
    if number is not None:
        row = conn.execute(select(Q).where(Q.c.inspection_id == iid, Q.c.id == number)).first()
    if row is None:
        raise StoreError(
            Problem(
                Reason.UNKNOWN_QUERY,
                f"inspection '{shown(name)}' has no query number {shown(query_id)}.",
                column="query",
                value=shown(query_id),
                allowed="the number of one of the inspection's queries (python -m workbook query list)",
            )
        )
    return row


def _wrong_step(row: Any, step: str, allowed: str) -> StoreError:
    return StoreError(
        Problem(
            Reason.QUERY_STATE,
            f"query {row.id} on {shown(row.case_id)} is {row.state}, so it cannot be {step}: "
            f"only a query that is {allowed} can.",
            value=row.state,
            allowed=allowed,
        )
    )


def _history(iid: int, row: Any, old: str | None, new: str, text: str, by: str, at) -> dict:
    return history_row(
        iid,
        "query",
        row.case_id,
        old=old,
        new=new,
        by=by,
        at=at,
        case_id=row.case_id,
        question=row.question,
        version=row.id,
        new_note=text,
    )


def _set(conn: Connection, iid: int, row: Any, new: str, text: str, by: str, at, **values):
    conn.execute(Q.update().where(Q.c.id == row.id).values(state=new, **values))
    conn.execute(HistoryRow.__table__.insert(), [_history(iid, row, row.state, new, text, by, at)])


def open_in(
    conn: Connection,
    iid: int,
    name: str,
    framework: Framework,
    case_id: str,
    by: str,
    text: str,
    question: str | None,
    at,
) -> Query:
    """Open a query on a case (``question`` None) or one of its key questions.

    Raises
    ------
    StoreError
        ``not_a_member``, ``role_not_allowed`` (a quality lead or lead inspector only),
        ``unknown_case``, ``unknown_key_question``, ``missing_text``.
    """
    team.require_role(conn, iid, name, by, team.REVIEWING, "write a query")
    c = CaseRow.__table__
    if (
        conn.execute(select(c.c.id).where(c.c.inspection_id == iid, c.c.case_id == case_id)).first()
        is None
    ):
        raise StoreError(unknown_case(case_id, name))
    if question is not None and not framework.has_key_question(question):
        raise StoreError(
            Problem(
                Reason.UNKNOWN_KEY_QUESTION,
                f"{shown(question)} is not a key question answered on cases in {framework.id}.",
                column="question",
                value=shown(question),
            )
        )
    values = {"case_id": case_id, "question": question, "text": text, "state": "open"}
    values.update(opened_by=by, opened_at=at)
    new_id = conn.execute(Q.insert().values(inspection_id=iid, **values)).inserted_primary_key[0]
    row = conn.execute(select(Q).where(Q.c.id == new_id)).one()
    conn.execute(HistoryRow.__table__.insert(), [_history(iid, row, None, "open", text, by, at)])
    return _query(row)


def _allocated_to(conn: Connection, iid: int, case_id: str) -> str | None:
    w = CaseWorkRow.__table__
    return conn.execute(
        select(w.c.allocated_to).where(w.c.inspection_id == iid, w.c.case_id == case_id)
    ).scalar()


def reply_in(conn: Connection, iid: int, name: str, query_id: Any, by: str, text: str, at) -> Query:
    """Reply to an open query (the case's allocated person or a lead inspector): answered.

    Raises
    ------
    StoreError
        ``unknown_query``, ``not_a_member``, ``role_not_allowed``, ``not_allocated``,
        ``query_state`` (the query is not open), ``missing_text``.
    """
    row = _one(conn, iid, name, query_id)
    allocated = _allocated_to(conn, iid, row.case_id)
    team.require_case_person(conn, iid, name, row.case_id, allocated, by, "reply to its queries")
    if row.state != "open":
        raise _wrong_step(row, "replied to", "open")
    _set(conn, iid, row, "answered", text, by, at, reply=text, replied_by=by, replied_at=at)
    return _query(_one(conn, iid, name, row.id))


def resolve_in(
    conn: Connection, iid: int, name: str, query_id: Any, by: str, resolution: str, at
) -> Query:
    """Resolve an open or answered query (a quality lead or lead inspector).

    Raises
    ------
    StoreError
        ``unknown_query``, ``not_a_member``, ``role_not_allowed``, ``query_state`` (already
        resolved).
    """
    team.require_role(conn, iid, name, by, team.REVIEWING, "resolve a query")
    row = _one(conn, iid, name, query_id)
    if row.state not in ("open", "answered"):
        raise _wrong_step(row, "resolved", "open or answered")
    _set(
        conn,
        iid,
        row,
        "resolved",
        resolution,
        by,
        at,
        resolution=resolution,
        resolved_by=by,
        resolved_at=at,
    )
    return _query(_one(conn, iid, name, row.id))


def answered_by_change(
    conn: Connection,
    iid: int,
    case_id: str,
    question: str,
    old: str | None,
    new: str | None,
    reason: str | None,
    by: str,
    at,
) -> None:
    """Mark the open queries on the case's key question answered by a changed answer."""
    rows = conn.execute(
        select(Q).where(
            Q.c.inspection_id == iid,
            Q.c.case_id == case_id,
            Q.c.question == question,
            Q.c.state == "open",
        )
    ).all()
    reply = f"Answer changed from {_ANSWER_WORDS.get(old, old)} to {_ANSWER_WORDS.get(new, new)}"
    if reason:
        reply += f": {reason}"
    for row in rows:
        _set(conn, iid, row, "answered", reply, by, at, reply=reply, replied_by=by, replied_at=at)
