"""Judgements: saving answers (one, or a batch) and loading them, on the hot path.

A save is on every inspector's critical path and a load of a big inspection is a million
rows, so this module speaks plain SQL to the driver's own cursor. The SQL for SQLite and for
PostgreSQL sits side by side in :data:`SQLITE` and :data:`POSTGRESQL`:

- SQLite takes ``:name`` parameters and keeps times as text (UTC, the layout SQLAlchemy
  writes); PostgreSQL takes ``%(name)s``, locks the row with ``SELECT ... FOR UPDATE`` and
  writes the change and its history in one round trip.
- Loading: SQLite concatenates each column into one text (one pass, the same row order for
  every column) and PostgreSQL sends the rows with ``COPY``, so no Python object is made per
  row.

Whether a save writes, and with what version, is :func:`workbook.store.saving.plan_save`;
its history row is :func:`workbook.store.history.judgement_changed`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from ..errors import Problem, StoreError
from ..framework import ANSWERS, Framework
from ..judgements import check_judgement, unknown_case
from ..reasons import Reason
from . import history
from .names import shown
from .saving import conflict, plan_save
from .schema import JudgementRow
from .transactions import driver_cursor
from .values import SaveResult, StoredJudgement, blank_to_none, now, utc

JUDGEMENT_COLUMNS = ["case_id", "question", "answer", "note", "inspector", "saved_at", "version"]

ANSWERS_STORED = "yes, no, not_applicable (where the key question allows it)"

Row = tuple[str, str, str | None, str, str | None]  # case_id, question, answer, inspector, note

# -- the SQL of both databases, side by side -------------------------------------------------

_SELECT_ONE = "SELECT id, answer, note, inspector, saved_at, version FROM judgements WHERE inspection_id = :i AND case_id = :c AND question = :q"
_SELECT_CASE = "SELECT id FROM cases WHERE inspection_id = :i AND case_id = :c"
_SELECT_CASES = "SELECT case_id FROM cases WHERE inspection_id = :i"
_SELECT_ALL = "SELECT id, case_id, question, answer, note, inspector, saved_at, version FROM judgements WHERE inspection_id = :i"
_INSERT = (
    "INSERT INTO judgements (inspection_id, case_id, question, answer, note, inspector, saved_at, version) "
    "VALUES (:i, :c, :q, :a, :n, :by, :at, :v)"
)
_UPDATE = "UPDATE judgements SET answer = :a, note = :n, inspector = :by, saved_at = :at, version = :v WHERE id = :id"
_UPDATE_BY_KEY = (
    "UPDATE judgements SET answer = :a, note = :n, inspector = :by, saved_at = :at, version = :v "
    "WHERE inspection_id = :i AND case_id = :c AND question = :q"
)


def _with_history(change: str) -> str:
    """The change and its history row in one statement (PostgreSQL)."""
    columns = ", ".join(history.HISTORY_COLUMNS)
    values = ", ".join(":" + c for c in history.HISTORY_COLUMNS)
    return f"WITH changed AS ({change} RETURNING 1) INSERT INTO history ({columns}) SELECT {values} FROM changed"


def _pyformat(sql: str) -> str:
    return re.sub(r":(\w+)", r"%(\1)s", sql)


def _sqlite_time(value: datetime) -> str:
    # SQLite keeps times as text, in the same layout SQLAlchemy writes (UTC, no offset)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _time_of(value: Any) -> datetime:
    return utc(datetime.fromisoformat(value) if isinstance(value, str) else value)


@dataclass(frozen=True)
class Dialect:
    """The hot path's SQL and time parameters for one database."""

    select_one: str
    select_case: str
    select_cases: str
    select_all: str
    insert: str
    update: str
    update_by_key: str
    insert_history: str
    insert_with_history: str | None  # the change and its history in one round trip
    update_with_history: str | None
    time_param: Callable[[datetime], Any]


SQLITE = Dialect(
    select_one=_SELECT_ONE,
    select_case=_SELECT_CASE,
    select_cases=_SELECT_CASES,
    select_all=_SELECT_ALL,
    insert=_INSERT,
    update=_UPDATE,
    update_by_key=_UPDATE_BY_KEY,
    insert_history=history.INSERT_SQL,
    insert_with_history=None,
    update_with_history=None,
    time_param=_sqlite_time,
)

POSTGRESQL = Dialect(
    select_one=_pyformat(_SELECT_ONE + " FOR UPDATE"),
    select_case=_pyformat(_SELECT_CASE),
    select_cases=_pyformat(_SELECT_CASES),
    select_all=_pyformat(_SELECT_ALL + " FOR UPDATE"),
    insert=_pyformat(_INSERT),
    update=_pyformat(_UPDATE),
    update_by_key=_pyformat(_UPDATE_BY_KEY),
    insert_history=_pyformat(history.INSERT_SQL),
    insert_with_history=_pyformat(_with_history(_INSERT)),
    update_with_history=_pyformat(_with_history(_UPDATE)),
    time_param=lambda value: value,
)

DIALECTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}


# -- checking --------------------------------------------------------------------------------


def _no_inspector(row: int | None = None, **where: Any) -> Problem:
    return Problem(
        Reason.NO_INSPECTOR, "the inspector's name is empty.", row=row, column="inspector", **where
    )


def check_one(framework: Framework, name: str, question: str, answer: Any) -> str | None:
    """Return the canonical answer to ``question``; raise every problem at once.

    Raises
    ------
    StoreError
        ``unknown_key_question``, ``unknown_answer``, ``answer_not_allowed``.
    """
    canonical, problems = check_judgement(framework, question, answer, inspection=name)
    if problems:
        raise StoreError(problems)
    return canonical


def check_inspector(inspector: str | None) -> str:
    """Return the inspector's name stripped; raise ``no_inspector`` when it is empty."""
    inspector = blank_to_none(inspector)
    if inspector is None:
        raise StoreError(_no_inspector(allowed="the name recorded with each judgement"))
    return inspector


def check_rows(
    framework: Framework, name: str, rows: Iterable, inspector: str | None, file: str | None = None
) -> list[Row]:
    """Return the rows as (case_id, question, answer, inspector, note); every problem at once.

    Parameters
    ----------
    rows
        (case_id, question, answer, inspector, note) or (case_id, question, answer), the
        inspector then being ``inspector``.
    file
        Where the rows came from, for the problems' location (rows are numbered from 1).
    """
    problems: list[Problem] = []
    clean: list[Row] = []
    for number, row in enumerate(rows, start=1):
        row = tuple(row)
        case_id, question = str(row[0]).strip(), str(row[1]).strip()
        who = blank_to_none(row[3] if len(row) > 3 else inspector)
        note = blank_to_none(row[4]) if len(row) > 4 else None
        answer, found = check_judgement(
            framework, question, row[2], file=file, row=number, inspection=name
        )
        if not found and who is None:
            found = [_no_inspector(number, file=file)]
        problems += found
        if not found:
            clean.append((case_id, question, answer, who, note))
    if problems:
        raise StoreError(problems)
    return clean


def _bad_stored(name: str, case_id: Any, question: Any, answer: Any, why: str) -> Problem:
    return Problem(
        Reason.BAD_STORED_VALUE,
        f"inspection '{shown(name)}', case {shown(case_id)}, key question {shown(question)}: "
        f"the stored answer '{shown(answer)}' {why}; nothing was read. The store was changed "
        "outside the workbook: save the answer again (python -m workbook judge) or restore a backup.",
        column="answer",
        value=shown(answer),
        allowed=ANSWERS_STORED,
    )


def check_stored(framework: Framework, name: str, frame: pd.DataFrame) -> None:
    """Raise when an answer read from the store is not one the framework knows.

    Parameters
    ----------
    framework
        The framework the inspection is pinned to.
    name
        The inspection's name, quoted in the message.
    frame
        case_id, question and answer as read (a cleared answer is missing).

    Raises
    ------
    StoreError
        ``bad_stored_value`` naming the case and key question of each bad row (at most 20).
    """
    if frame.empty:
        return
    questions = set(pd.unique(frame["question"].dropna()))
    answers = set(pd.unique(frame["answer"].dropna()))
    unknown_q = {q for q in questions if not framework.has_key_question(q)}
    unknown_a = answers - set(ANSWERS)
    na_questions = set(pd.unique(frame.loc[frame["answer"] == "not_applicable", "question"]))
    not_allowed = {
        q
        for q in na_questions - unknown_q
        if "not_applicable" not in framework.key_question(q).allowed_answers
    }
    if not (unknown_q or unknown_a or not_allowed):
        return
    bad = (
        frame["question"].isin(unknown_q)
        | frame["answer"].isin(unknown_a)
        | (frame["question"].isin(not_allowed) & (frame["answer"] == "not_applicable"))
    )
    problems = []
    for case_id, question, answer in (
        frame.loc[bad, ["case_id", "question", "answer"]].head(20).itertuples(index=False)
    ):
        if question in unknown_q:
            why = f"is to a key question {framework.id} does not have"
        elif answer in unknown_a:
            why = "is not an answer"
        else:
            why = (
                "is not allowed for this key question, which is rated over every case of its sample"
            )
        problems.append(_bad_stored(name, case_id, question, answer, why))
    raise StoreError(problems)


# -- saving ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Save:
    """One answer to save, with the version its saver last saw (None: last write wins)."""

    inspection_id: int
    name: str
    case_id: str
    question: str
    answer: str | None
    note: str | None
    inspector: str
    expect_version: int | None = None
    reason: str | None = None  # why, kept in the history (a rule may ask for it)


def stored_of(save: Save, current: tuple | None) -> tuple[int | None, StoredJudgement | None]:
    """The row id and the stored judgement of ``current`` (id, answer, note, inspector,
    saved_at, version) as read by ``select_one``; (None, None) when it is None."""
    if current is None:
        return None, None
    row_id, answer, note, inspector, at, version = current
    stored = StoredJudgement(
        save.case_id, save.question, answer, note, inspector, _time_of(at), version
    )
    return row_id, stored


def _stored(cur, sql: Dialect, save: Save) -> tuple[int | None, StoredJudgement | None]:
    """The row id and the stored judgement (None, None when there is none)."""
    cur.execute(sql.select_one, {"i": save.inspection_id, "c": save.case_id, "q": save.question})
    current = cur.fetchone()
    if current is not None:
        return stored_of(save, current)
    cur.execute(sql.select_case, {"i": save.inspection_id, "c": save.case_id})
    if cur.fetchone() is None:
        raise StoreError(unknown_case(save.case_id, save.name))
    return None, None


def save_one(conn: Connection, sql: Dialect, save: Save, stored: tuple | None = None) -> SaveResult:
    """Save one answer in the open write transaction ``conn`` (see :mod:`.saving`).

    ``stored``: the (row id, judgement) already read and locked in this transaction (by the
    team's one lookup, :func:`workbook.store.team.answer_rules`), so it is not read again.
    """
    cur = driver_cursor(conn)
    row_id, previous = _stored(cur, sql, save) if stored is None else stored
    version = plan_save(
        None if previous is None else (previous.answer, previous.note, previous.version),
        save.answer,
        save.note,
        expect_version=save.expect_version,
        on_conflict=lambda current: conflict(
            f"case {save.case_id}, {save.question}",
            "answer",
            previous,
            current,
            save.expect_version,
        ),
    )
    if version is None:  # the save changes nothing
        if previous is None:  # clearing nothing
            previous_or_empty = StoredJudgement(
                save.case_id, save.question, None, None, save.inspector, now(), 0
            )
            return SaveResult(previous_or_empty, None, False)
        return SaveResult(previous, previous, False)
    at = now()
    values = _values(save, at, sql.time_param(at), version, previous)
    if previous is not None:
        values["id"] = row_id
    if sql.insert_with_history is not None:  # the change and its history in one round trip
        cur.execute(
            sql.insert_with_history if previous is None else sql.update_with_history, values
        )
    else:
        cur.execute(sql.insert if previous is None else sql.update, values)
        cur.execute(sql.insert_history, values)
    cur.close()
    stored = StoredJudgement(
        save.case_id, save.question, save.answer, save.note, save.inspector, at, version
    )
    return SaveResult(stored, previous, True)


def _values(
    save: Save, at: datetime, at_param: Any, version: int, previous: StoredJudgement | None
) -> dict[str, Any]:
    """The parameters of the judgement's insert or update and of its history row."""
    values = history.judgement_changed(
        save.inspection_id,
        previous,
        save.case_id,
        save.question,
        save.answer,
        save.note,
        save.inspector,
        at_param,
        version,
        save.reason,
    )
    values.update(
        i=save.inspection_id,
        c=save.case_id,
        q=save.question,
        a=save.answer,
        n=save.note,
        v=version,
    )
    return values


def save_batch(
    conn: Connection,
    sql: Dialect,
    iid: int,
    name: str,
    rows: list[Row],
    reason: str | None = None,
) -> list[SaveResult]:
    """Save checked rows in the open write transaction ``conn``, last write wins (``reason``
    kept in each change's history row).

    Raises
    ------
    StoreError
        ``unknown_case`` for every case the inspection does not hold; nothing is saved.
    """
    cur = driver_cursor(conn)
    cur.execute(sql.select_cases, {"i": iid})
    known = {r[0] for r in cur.fetchall()}
    missing = sorted({c for c, *_ in rows if c not in known})
    if missing:
        raise StoreError([unknown_case(c, name) for c in missing])
    cur.execute(sql.select_all, {"i": iid})
    current = {
        (r[1], r[2]): StoredJudgement(r[1], r[2], r[3], r[4], r[5], _time_of(r[6]), r[7])
        for r in cur.fetchall()
    }
    inserts, updates, changes, results = [], [], [], []
    at = now()
    at_param = sql.time_param(at)
    for case_id, question, answer, who, note in rows:
        previous = current.get((case_id, question))
        version = plan_save(
            None if previous is None else (previous.answer, previous.note, previous.version),
            answer,
            note,
        )
        if version is None:
            empty = StoredJudgement(case_id, question, None, None, who, at, 0)
            results.append(SaveResult(previous or empty, previous, False))
            continue
        save = Save(iid, name, case_id, question, answer, note, who, reason=reason)
        values = _values(save, at, at_param, version, previous)
        # a second row for the same key in this batch finds the first in ``current``
        (inserts if previous is None else updates).append(values)
        changes.append(values)
        stored = current[(case_id, question)] = StoredJudgement(
            case_id, question, answer, note, who, at, version
        )
        results.append(SaveResult(stored, previous, True))
    if inserts:
        cur.executemany(sql.insert, inserts)
    if updates:
        # later rows for the same key come later in the list: the last write wins
        cur.executemany(sql.update_by_key, updates)
    if changes:
        cur.executemany(sql.insert_history, changes)
    cur.close()
    return results


# -- loading ---------------------------------------------------------------------------------

_SEP, _NULL = "\x1f", "\x1e"  # unit and record separators: never in a case id, answer or name


def _split(value: str | None, count: int) -> list[str]:
    return [] if not count else value.split(_SEP)


def _columns_sqlite(raw, iid: int) -> dict[str, Any]:
    sep = "char(31)"
    row = raw.execute(
        f"SELECT count(*), group_concat(case_id, {sep}), group_concat(question, {sep}), group_concat(answer, {sep}), "
        f"group_concat(coalesce(note, char(30)), {sep}), group_concat(inspector, {sep}), group_concat(saved_at, {sep}), "
        f"group_concat(version, {sep}) FROM (SELECT * FROM judgements WHERE inspection_id = ? AND answer IS NOT NULL ORDER BY id)",
        (iid,),
    ).fetchone()
    count = row[0]
    cols = dict(zip(JUDGEMENT_COLUMNS, (_split(v, count) for v in row[1:]), strict=True))
    if _NULL in (row[4] or ""):
        cols["note"] = [None if v == _NULL else v for v in cols["note"]]
    cols["saved_at"] = pd.to_datetime(
        pd.Series(cols["saved_at"], dtype=object), utc=True, format="ISO8601"
    )
    cols["version"] = [int(v) for v in cols["version"]] if count else []
    return cols


def _columns_postgresql(raw, iid: int) -> dict[str, Any]:
    buf = io.BytesIO()
    with raw.cursor() as cur:
        query = (
            "COPY (SELECT case_id, question, answer, note, inspector, "
            "(extract(epoch FROM saved_at) * 1000000)::bigint AS saved_at, version, "
            "(note IS NULL)::int AS no_note FROM judgements "
            f"WHERE inspection_id = {int(iid)} AND answer IS NOT NULL ORDER BY id) TO STDOUT WITH (FORMAT csv, NULL '\\N')"
        )
        with cur.copy(query) as copy:
            for block in copy:
                buf.write(block)
    buf.seek(0)
    names = JUDGEMENT_COLUMNS
    if not buf.getbuffer().nbytes:
        return {c: [] for c in names} | {"saved_at": pd.Series([], dtype="datetime64[us, UTC]")}
    # a note that is the text \N is told from no note by the no_note column, not by the marker
    frame = pd.read_csv(
        buf,
        header=None,
        names=[*names, "no_note"],
        dtype={c: object for c in names[:5]},
        keep_default_na=False,
    )
    cols = {c: frame[c].tolist() for c in names[:5]}
    cols["note"] = [
        None if missing else note
        for note, missing in zip(cols["note"], frame["no_note"].tolist(), strict=True)
    ]
    cols["saved_at"] = pd.to_datetime(frame["saved_at"].to_numpy(), unit="us", utc=True)
    cols["version"] = frame["version"].to_numpy()
    return cols


_LOADERS = {"sqlite": _columns_sqlite, "postgresql": _columns_postgresql}


def load_judgements(conn: Connection, iid: int) -> pd.DataFrame:
    """Return every current answer (cleared ones left out), in saving order.

    Columns: case_id, question, answer, note, inspector, saved_at (UTC), version.
    """
    columns = _LOADERS[conn.dialect.name](conn.connection.driver_connection, iid)
    frame = pd.DataFrame({c: pd.Series(columns[c], dtype="string") for c in JUDGEMENT_COLUMNS[:5]})
    frame["saved_at"] = columns["saved_at"]
    frame["version"] = pd.Series(columns["version"], dtype="int64")
    return frame


def case_judgements(conn: Connection, iid: int, case_id: str) -> dict[str, StoredJudgement]:
    """Return the case's judgements by key question, cleared ones included (answer None)."""
    j = JudgementRow.__table__
    rows = conn.execute(
        select(j).where(j.c.inspection_id == iid, j.c.case_id == str(case_id)).order_by(j.c.id)
    ).all()
    return {
        r.question: StoredJudgement(
            r.case_id, r.question, r.answer, r.note, r.inspector, utc(r.saved_at), r.version
        )
        for r in rows
    }


def bulk_insert(
    conn: Connection, iid: int, rows: list[tuple[str, str, str]], inspector: str
) -> int:
    """Insert many first answers at once, without history: set-up for benchmarks only."""
    at = now()
    table = JudgementRow.__table__
    for start in range(0, len(rows), 20000):
        conn.execute(
            table.insert(),
            [
                {
                    "inspection_id": iid,
                    "case_id": c,
                    "question": q,
                    "answer": a,
                    "note": None,
                    "inspector": inspector,
                    "saved_at": at,
                    "version": 1,
                }
                for c, q, a in rows[start : start + 20000]
            ],
        )
    return len(rows)
