"""The judgement store: the single source of truth for an inspection's judgements.

SQLite file by default (WAL journal, busy timeout, foreign keys on), PostgreSQL by URL
(``postgresql+psycopg://...``): the same schema on both. Every public method is one short
transaction and returns frozen domain values, never ORM rows.

- Optimistic concurrency: a save may carry the version the inspector last saw
  (``expect_version``; 0 when there was no answer). If someone else saved since, the save
  raises :class:`ConflictError` naming who, when and what, and saves nothing. A save that
  changes nothing writes nothing.
- Every change to an inspection, its cases, judgements and decisions is appended to the
  history table (old value, new value, who, when); nothing in it is ever updated.
- Writes on SQLite start with ``BEGIN IMMEDIATE`` (no lock upgrades) and are retried while
  the database is locked; on PostgreSQL the row is locked with ``SELECT ... FOR UPDATE`` and a
  unique constraint stops two first answers to the same question from both landing.
- Read-only opening is enforced by the connection: SQLite ``mode=ro``, PostgreSQL
  ``default_transaction_read_only``.
- The schema carries a version (table ``schema_version``); opening an older store upgrades it
  (when writable), a newer one is refused with a clear message.
- Exports are CSV files (a missing value is written ``\\N``) and ``manifest.json`` with the
  sha256 of each file; a damaged export is refused whole.

Beyond the team contract: ``Store.framework(name)`` (the pinned framework),
``Store.stored_decisions(name)`` (decisions with versions, withdrawn ones included),
``Store.save_judgements(name, rows)`` (a batch in one transaction, last write wins) and
``Store.bulk_load_judgements`` (benchmark set-up only).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import math
import os
import random
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import QueuePool

from .errors import ConflictError, Problem, StoreError
from .framework import Framework
from .ratings import Decision

SCHEMA_VERSION = 1
EXPORT_FORMAT = 1
BUSY_TIMEOUT_MS = 10_000
LOCK_PATIENCE_S = 120.0  # how long a write keeps retrying a locked database
JUDGEMENT_COLUMNS = ["case_id", "question", "answer", "note", "inspector", "saved_at", "version"]

# -- domain values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Inspection:
    name: str
    provider: str
    framework_id: str
    framework_version: str
    fieldwork_start: date | None
    fieldwork_end: date | None
    ldus: tuple[str, ...]


@dataclass(frozen=True)
class ImportResult:
    added: int
    unchanged: int
    updated: int = 0


@dataclass(frozen=True)
class StoredJudgement:
    case_id: str
    question: str
    answer: str | None  # None: the answer was cleared
    note: str | None
    inspector: str
    saved_at: datetime
    version: int


@dataclass(frozen=True)
class SaveResult:
    judgement: StoredJudgement
    previous: StoredJudgement | None
    changed: bool


@dataclass(frozen=True)
class StoredDecision:
    standard: str
    rating: str | None  # None: the decision was withdrawn
    reason: str
    inspector: str
    saved_at: datetime
    version: int
    changed: bool = True

    def as_decision(self) -> Decision:
        return Decision(
            self.standard, self.rating, self.reason, by=self.inspector, at=self.saved_at
        )


@dataclass(frozen=True)
class HistoryEntry:
    """One change. For a judgement ``old``/``new`` are answers and the notes are the notes;
    for a decision they are ratings and the notes are the reasons; for a case, its attributes
    as JSON text; for an inspection, its settings as JSON text."""

    entity: str  # "inspection", "case", "judgement", "decision"
    key: str  # "C001 2.1.1", a standard id, a case id or the inspection's name
    old: str | None
    new: str | None
    by: str
    at: datetime
    case_id: str | None = None
    question: str | None = None
    version: int | None = None
    old_note: str | None = None
    new_note: str | None = None


# -- schema ----------------------------------------------------------------------------------

TS = DateTime(timezone=True)


class Base(DeclarativeBase):
    pass


class SchemaVersionRow(Base):
    __tablename__ = "schema_version"
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    upgraded_at: Mapped[datetime] = mapped_column(TS)


class InspectionRow(Base):
    __tablename__ = "inspections"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    provider: Mapped[str] = mapped_column(String(400), default="")
    framework_id: Mapped[str] = mapped_column(String(200))
    framework_version: Mapped[str] = mapped_column(String(100))
    fieldwork_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    fieldwork_end: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(TS)


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("inspection_id", "case_id", name="uq_cases_inspection_case"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    case_id: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    ldu: Mapped[str | None] = mapped_column(String(200), nullable=True)
    attributes: Mapped[str] = mapped_column(Text)  # JSON object: every column but case_id


class JudgementRow(Base):
    __tablename__ = "judgements"
    __table_args__ = (
        Index("ix_judgements_inspection", "inspection_id"),  # rows in saving order, no sort
        UniqueConstraint(
            "inspection_id", "case_id", "question", name="uq_judgements_case_question"
        ),
        ForeignKeyConstraint(
            ["inspection_id", "case_id"],
            ["cases.inspection_id", "cases.case_id"],
            name="fk_judgements_case",
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    case_id: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(String(50))
    answer: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    inspector: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(TS)
    version: Mapped[int] = mapped_column(Integer)


class DecisionRow(Base):
    __tablename__ = "decisions"
    __table_args__ = (UniqueConstraint("inspection_id", "standard", name="uq_decisions_standard"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    standard: Mapped[str] = mapped_column(String(50))
    rating: Mapped[str | None] = mapped_column(String(50), nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    inspector: Mapped[str] = mapped_column(String(200))
    saved_at: Mapped[datetime] = mapped_column(TS)
    version: Mapped[int] = mapped_column(Integer)


class HistoryRow(Base):
    __tablename__ = "history"
    __table_args__ = (Index("ix_history_inspection_case", "inspection_id", "case_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    entity: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    case_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    question: Mapped[str | None] = mapped_column(String(50), nullable=True)
    version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    old: Mapped[str | None] = mapped_column(Text, nullable=True)
    new: Mapped[str | None] = mapped_column(Text, nullable=True)
    old_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    new_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(TS)


# Schema 0, the first layout, had no schema_version table, no history and no judgement notes.
# Each step upgrades from the version before it; steps run in one transaction.
def _upgrade_0_to_1(conn: Connection) -> None:
    cols = {c["name"] for c in inspect(conn).get_columns("judgements")}
    if "note" not in cols:
        conn.execute(text("ALTER TABLE judgements ADD COLUMN note TEXT"))
    Base.metadata.create_all(conn, tables=[HistoryRow.__table__, SchemaVersionRow.__table__])
    for index in JudgementRow.__table__.indexes:
        index.create(conn, checkfirst=True)


UPGRADES = {0: _upgrade_0_to_1}
SCHEMA_0_TABLES = {"inspections", "cases", "judgements", "decisions"}


# -- plain SQL for saving a judgement ----------------------------------------------------------

_SELECT_JUDGEMENT = "SELECT id, answer, note, inspector, saved_at, version FROM judgements WHERE inspection_id = :i AND case_id = :c AND question = :q"
_SELECT_CASE = "SELECT id FROM cases WHERE inspection_id = :i AND case_id = :c"
_SELECT_CASES = "SELECT case_id FROM cases WHERE inspection_id = :i"
_SELECT_JUDGEMENTS = "SELECT id, case_id, question, answer, note, inspector, saved_at, version FROM judgements WHERE inspection_id = :i"
_INSERT_JUDGEMENT = (
    "INSERT INTO judgements (inspection_id, case_id, question, answer, note, inspector, saved_at, version) "
    "VALUES (:i, :c, :q, :a, :n, :by, :at, :v)"
)
_UPDATE_JUDGEMENT = "UPDATE judgements SET answer = :a, note = :n, inspector = :by, saved_at = :at, version = :v WHERE id = :id"
_INSERT_JUDGEMENT_HISTORY = (
    "INSERT INTO history (inspection_id, entity, key, case_id, question, version, old, new, old_note, new_note, by, at) "
    "VALUES (:i, 'judgement', :k, :c, :q, :v, :oa, :a, :on, :n, :by, :at)"
)

_HISTORY_SELECT = "SELECT :i, 'judgement', :k, :c, :q, :v, :oa, :a, :on, :n, :by, :at"
_HISTORY_INTO = "INSERT INTO history (inspection_id, entity, key, case_id, question, version, old, new, old_note, new_note, by, at) "
_PG_INSERT = f"WITH changed AS ({_INSERT_JUDGEMENT} RETURNING 1) {_HISTORY_INTO}{_HISTORY_SELECT} FROM changed"
_PG_UPDATE = f"WITH changed AS ({_UPDATE_JUDGEMENT} RETURNING 1) {_HISTORY_INTO}{_HISTORY_SELECT} FROM changed"


# -- conflicts -------------------------------------------------------------------------------


def _conflict(
    what: str, field: str, previous: Any, current_version: int, expected: int
) -> ConflictError:
    """Someone saved since the version the caller saw: say who, when and what."""
    if previous is None:
        message = (
            f"{what}: there is no saved {field} (version 0), but you expected version {expected}. "
            "Nothing was saved; reload and save again."
        )
        return ConflictError(message, current_version=0)
    value = getattr(previous, field)
    message = (
        f"{what}: {previous.inspector} changed the {field} to {value if value is not None else 'nothing'!r} "
        f"at {previous.saved_at:%Y-%m-%d %H:%M:%S} UTC (version {current_version}) since you saw version {expected}. "
        f"Nothing was saved; look at their {field} and save again."
    )
    return ConflictError(
        message,
        changed_by=previous.inspector,
        changed_at=previous.saved_at,
        current_value=value,
        current_version=current_version,
    )


# -- time and values -----------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _json_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return _json_value(value.item())
    if isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True)


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _message_of(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc)


def _is_locked(exc: BaseException) -> bool:
    msg = _message_of(exc).lower()
    return "database is locked" in msg or "database table is locked" in msg or "busy" in msg


def _is_retryable_pg(exc: BaseException) -> bool:
    msg = _message_of(exc).lower()
    return "deadlock detected" in msg or "could not serialize" in msg


def _store_error_from(exc: BaseException, url_text: str) -> StoreError:
    msg = _message_of(exc)
    low = msg.lower()
    if "disk is full" in low or "no space left" in low or "database or disk is full" in low:
        return StoreError(
            Problem(
                "disk_full",
                "the disk holding the store is full; nothing was saved. Free some space and save again.",
                file=url_text,
                value=msg,
            )
        )
    if "readonly" in low or "read-only" in low or "read only" in low:
        return StoreError(
            Problem(
                "read_only",
                "the store was opened read-only (or its file or disk is read-only); nothing was saved.",
                file=url_text,
                value=msg,
            )
        )
    if "unable to open" in low:
        return StoreError(
            Problem(
                "cannot_open",
                "the store cannot be opened: check the folder exists and may be written.",
                file=url_text,
                value=msg,
            )
        )
    if "not a database" in low or "malformed" in low:
        return StoreError(
            Problem(
                "not_a_store",
                "the file is not a workbook store (or is damaged).",
                file=url_text,
                value=msg,
            )
        )
    if "connection" in low or "could not connect" in low:
        return StoreError(
            Problem(
                "cannot_connect", "the database server cannot be reached.", file=url_text, value=msg
            )
        )
    return StoreError(
        Problem(
            "store_failed",
            f"the store could not complete the operation; nothing was saved ({msg.splitlines()[0] if msg else type(exc).__name__}).",
            file=url_text,
            value=msg,
        )
    )


# -- the store -------------------------------------------------------------------------------


class Store:
    """Judgements, decisions and their history for any number of inspections."""

    def __init__(self, engine: Engine, url_text: str, read_only: bool):
        self._engine = engine
        self.url = url_text
        self.read_only = read_only
        self.dialect = engine.dialect.name
        self._frameworks: dict[tuple[str, str], Framework] = {}
        self._inspection_ids: dict[str, int] = {}
        self._inspection_cache: dict[str, Any] = {}
        self._sql_cache: dict[str, str] = {}
        self._dbapi = engine.dialect.loaded_dbapi
        self._dbapi_error = self._dbapi.Error

    # -- plain SQL for the hot path ---------------------------------------------------------

    def _sql(self, sql: str) -> str:
        """``:name`` parameters in the driver's style (SQLite takes them as they are)."""
        if self.dialect == "sqlite":
            return sql
        found = self._sql_cache.get(sql)
        if found is None:
            found = self._sql_cache[sql] = re.sub(r":(\w+)", r"%(\1)s", sql)
        return found

    def _ts_param(self, value: datetime) -> Any:
        # SQLite keeps times as text, in the same layout SQLAlchemy writes (UTC, no offset)
        return (
            value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
            if self.dialect == "sqlite"
            else value
        )

    @staticmethod
    def _ts_value(value: Any) -> datetime:
        return _utc(datetime.fromisoformat(value) if isinstance(value, str) else value)

    # -- transactions ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self._engine.connect() as conn, conn.begin():
                yield conn
        except StoreError:
            raise
        except Exception as exc:
            orig = exc.orig if isinstance(exc, DBAPIError) else exc
            if not isinstance(orig, self._dbapi_error):
                raise
            raise _store_error_from(orig, self.url) from None

    def _write(self, work):
        """Run ``work(conn)`` in one write transaction, retrying while the database is locked."""
        if self.read_only:
            raise StoreError(
                Problem(
                    "read_only",
                    "the store was opened read-only; nothing was saved. Open it without read-only to make changes.",
                    file=self.url,
                )
            )
        deadline = time.monotonic() + LOCK_PATIENCE_S
        attempt = 0
        while True:
            attempt += 1
            try:
                with self._engine.connect() as conn:
                    conn = conn.execution_options(workbook_write=True)
                    with conn.begin():
                        return work(conn)
            except StoreError:
                raise
            except Exception as exc:
                # errors from SQLAlchemy wrap the driver's; the hot path raises the driver's own
                orig = exc.orig if isinstance(exc, DBAPIError) else exc
                if not isinstance(orig, self._dbapi_error):
                    raise
                if isinstance(orig, self._dbapi.IntegrityError):
                    # two first answers to the same question at once: the loser retries and sees the row
                    msg = str(orig).lower()
                    if attempt < 4 and ("uq_" in msg or "unique" in msg):
                        continue
                    raise _store_error_from(orig, self.url) from None
                retry = _is_locked(orig) if self.dialect == "sqlite" else _is_retryable_pg(orig)
                if retry and time.monotonic() < deadline:
                    time.sleep(min(0.05, 0.0005 * attempt) * (0.5 + random.random()))
                    continue
                if retry:
                    raise StoreError(
                        Problem(
                            "locked",
                            f"the store stayed busy for {LOCK_PATIENCE_S:.0f} s; nothing was saved. Try again.",
                            file=self.url,
                        )
                    ) from None
                raise _store_error_from(orig, self.url) from None

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- schema ------------------------------------------------------------------------------

    def _schema_version(self, conn: Connection) -> int | None:
        """The schema version found, or None for an empty database."""
        tables = set(inspect(conn).get_table_names())
        if "schema_version" in tables:
            found = conn.execute(select(func.max(SchemaVersionRow.version))).scalar()
            return 0 if found is None else int(found)
        if not tables:
            return None
        if SCHEMA_0_TABLES <= tables:
            return 0
        raise StoreError(
            Problem(
                "not_a_store",
                f"the database holds tables that are not a workbook store ({', '.join(sorted(tables)[:8])}). Use an empty database.",
                file=self.url,
            )
        )

    def _prepare(self) -> None:
        with self._read() as conn:
            version = self._schema_version(conn)
        if version == SCHEMA_VERSION:
            return
        if version is not None and version > SCHEMA_VERSION:
            raise StoreError(
                Problem(
                    "schema_too_new",
                    f"the store was made by a newer workbook (schema {version}); this one knows schema {SCHEMA_VERSION} at most. Upgrade the workbook.",
                    file=self.url,
                    value=version,
                )
            )
        if self.read_only:
            what = "is empty" if version is None else f"has the older schema {version}"
            raise StoreError(
                Problem(
                    "schema_not_ready",
                    f"the store {what} and was opened read-only, so it cannot be set up. Run `python -m workbook init` once with a writable connection.",
                    file=self.url,
                    value=version,
                )
            )

        def work(conn: Connection) -> None:
            if self.dialect == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(727274)"))
            current = self._schema_version(conn)  # again, under the lock
            if current == SCHEMA_VERSION:
                return
            if current is None:
                Base.metadata.create_all(conn)
            else:
                for step in range(current, SCHEMA_VERSION):
                    UPGRADES[step](conn)
            conn.execute(
                SchemaVersionRow.__table__.insert().values(
                    version=SCHEMA_VERSION, upgraded_at=_now()
                )
            )

        self._write(work)

    # -- inspections -------------------------------------------------------------------------

    def _inspection_row(self, conn: Connection, name: str) -> Any:
        row = conn.execute(
            select(InspectionRow.__table__).where(InspectionRow.name == name)
        ).first()
        if row is None:
            known = [
                r[0]
                for r in conn.execute(select(InspectionRow.name).order_by(InspectionRow.name)).all()
            ]
            raise StoreError(
                Problem(
                    "unknown_inspection",
                    f"there is no inspection '{name}' in the store.",
                    value=name,
                    allowed=", ".join(known)
                    if known
                    else "none yet: import a sample first (python -m workbook import-sample)",
                )
            )
        return row

    def _cached_inspection(self, name: str) -> Any:
        """The inspection's row, read once: an inspection's name, id and framework never change."""
        if name not in self._inspection_cache:
            with self._read() as conn:
                self._inspection_cache[name] = self._inspection_row(conn, name)
        return self._inspection_cache[name]

    def _inspection_id(self, conn: Connection, name: str) -> int:
        if name not in self._inspection_ids:
            self._inspection_ids[name] = self._inspection_row(conn, name).id
        return self._inspection_ids[name]

    def _framework_of(self, row: Any) -> Framework:
        key = (row.framework_id, row.framework_version)
        if key not in self._frameworks:
            from .files import load_framework

            fw = load_framework(row.framework_id)
            if str(fw.version) != row.framework_version:
                raise StoreError(
                    Problem(
                        "framework_version",
                        f"inspection '{row.name}' is pinned to framework {row.framework_id} version {row.framework_version}, but the framework installed is version {fw.version}. Install version {row.framework_version} of the framework.",
                        value=fw.version,
                        allowed=row.framework_version,
                    )
                )
            self._frameworks[key] = fw
        return self._frameworks[key]

    def framework(self, name: str) -> Framework:
        """The framework an inspection is pinned to."""
        with self._read() as conn:
            row = self._inspection_row(conn, name)
        return self._framework_of(row)

    def _to_inspection(self, conn: Connection, row: Any) -> Inspection:
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

    def create_inspection(
        self,
        name: str,
        framework: Framework | str,
        provider: str = "",
        fieldwork_start: date | None = None,
        fieldwork_end: date | None = None,
        inspector: str = "workbook",
        cases: pd.DataFrame | None = None,
        judgements=None,
        decisions=None,
    ) -> Inspection:
        """Create an inspection pinned to ``framework``; with ``cases`` (a table with case_id,
        as :meth:`import_cases` takes), ``judgements`` (rows as :meth:`save_judgements` takes)
        and ``decisions`` (rows of standard, rating, reason and optionally inspector) it is
        created with them in ONE transaction: every problem is found first, and a failure
        part-way leaves no inspection at all, so the same call can simply be made again."""
        name = str(name).strip()
        if not name:
            raise StoreError(
                Problem(
                    "empty_name",
                    "the inspection's name is empty.",
                    allowed="a short name such as 'wwm-2019'",
                )
            )
        if isinstance(framework, str):
            from .files import load_framework

            framework = load_framework(framework)
        if fieldwork_start and fieldwork_end and fieldwork_end < fieldwork_start:
            raise StoreError(
                Problem(
                    "bad_dates",
                    f"the fieldwork ends ({fieldwork_end}) before it starts ({fieldwork_start}).",
                    value=str(fieldwork_end),
                )
            )
        if self.read_only:
            self._write(None)  # raises the read-only error
        if (judgements is not None or decisions is not None) and cases is None:
            raise StoreError(
                Problem(
                    "no_cases",
                    f"judgements and decisions for inspection '{name}' need its cases.",
                    allowed="cases=, a table with case_id and the cases' attributes",
                )
            )
        problems: list[Problem] = []
        records = clean = checked = None
        if cases is not None:
            try:
                records = self._check_cases(cases)
            except StoreError as exc:
                problems += [replace(p, file=p.file or "cases") for p in exc.problems]
        if judgements is not None:
            try:
                clean = self._check_judgements(framework, name, judgements, inspector)
            except StoreError as exc:
                problems += [replace(p, file=p.file or "judgements") for p in exc.problems]
        if decisions is not None:
            checked = []
            for number, row in enumerate(decisions, start=1):
                row = tuple(row)
                who = row[3] if len(row) > 3 else inspector
                try:
                    checked.append(
                        self._check_decision(
                            framework, row[0], row[1], row[2] if len(row) > 2 else "", who
                        )
                    )
                except StoreError as exc:
                    problems += [replace(p, file="decisions", row=number) for p in exc.problems]
        if problems:
            raise StoreError(problems)
        at = _now()

        def work(conn: Connection) -> Inspection:
            iid, row = create(conn)
            if records is not None:
                self._import_cases_in(conn, iid, records, inspector, at)
            if clean:
                self._save_judgements_in(conn, iid, name, clean)
            for standard, rating, reason, who in checked or ():
                self._save_decision_in(conn, iid, standard, rating, reason, who, None)
            return self._to_inspection(conn, row)

        def create(conn: Connection):
            existing = conn.execute(
                select(InspectionRow.name).where(InspectionRow.name == name)
            ).first()
            if existing:
                raise StoreError(
                    Problem(
                        "inspection_exists",
                        f"an inspection named '{name}' already exists.",
                        value=name,
                        allowed="a new name",
                    )
                )
            settings = {
                "provider": provider,
                "framework_id": framework.id,
                "framework_version": str(framework.version),
                "fieldwork_start": _json_value(fieldwork_start),
                "fieldwork_end": _json_value(fieldwork_end),
            }
            new_id = conn.execute(
                InspectionRow.__table__.insert()
                .values(
                    name=name,
                    provider=provider or "",
                    framework_id=framework.id,
                    framework_version=str(framework.version),
                    fieldwork_start=fieldwork_start,
                    fieldwork_end=fieldwork_end,
                    created_by=inspector,
                    created_at=at,
                )
                .returning(InspectionRow.id)
            ).scalar_one()
            conn.execute(
                HistoryRow.__table__.insert().values(
                    inspection_id=new_id,
                    entity="inspection",
                    key=name,
                    old=None,
                    new=_dumps(settings),
                    by=inspector,
                    at=at,
                    version=1,
                )
            )
            return new_id, conn.execute(
                select(InspectionRow.__table__).where(InspectionRow.id == new_id)
            ).one()

        result = self._write(work)
        self._frameworks[(framework.id, str(framework.version))] = framework
        return result

    def inspection(self, name: str) -> Inspection:
        with self._read() as conn:
            return self._to_inspection(conn, self._inspection_row(conn, name))

    def inspections(self) -> list[Inspection]:
        with self._read() as conn:
            rows = conn.execute(select(InspectionRow.__table__).order_by(InspectionRow.name)).all()
            return [self._to_inspection(conn, r) for r in rows]

    # -- cases -------------------------------------------------------------------------------

    def import_cases(
        self, name: str, cases_df: pd.DataFrame, inspector: str = "import"
    ) -> ImportResult:
        """Add the cases of a sample; a case already there with the same attributes is
        unchanged, one with new attributes is updated (and the change recorded)."""
        records = self._check_cases(cases_df)
        at = _now()

        def work(conn: Connection) -> ImportResult:
            iid = self._inspection_id(conn, name)
            return self._import_cases_in(conn, iid, records, inspector, at)

        return self._write(work)

    @staticmethod
    def _check_cases(cases_df: pd.DataFrame) -> list[tuple[str, str | None, str]]:
        """The cases as (case_id, ldu, attributes JSON); every problem raised at once."""
        if "case_id" not in cases_df.columns:
            raise StoreError(
                Problem(
                    "missing_column",
                    "the cases have no 'case_id' column.",
                    column="case_id",
                    allowed="a table with case_id and the cases' attributes",
                )
            )
        problems, records, seen = [], [], {}
        attr_cols = [c for c in cases_df.columns if c != "case_id"]
        for i, row in enumerate(cases_df.itertuples(index=False, name=None)):
            values = dict(zip(cases_df.columns, row, strict=True))
            cid = _json_value(values["case_id"])
            cid = "" if cid is None else str(cid).strip()
            if not cid:
                problems.append(
                    Problem("empty_case_id", "the case id is empty.", row=i + 2, column="case_id")
                )
                continue
            if cid in seen:
                problems.append(
                    Problem(
                        "duplicate_case_id",
                        f"case '{cid}' appears twice (first at row {seen[cid]}).",
                        row=i + 2,
                        column="case_id",
                        value=cid,
                    )
                )
                continue
            seen[cid] = i + 2
            attrs = {str(c): _json_value(values[c]) for c in attr_cols}
            ldu = attrs.get("ldu")
            records.append(
                (cid, None if ldu is None else str(ldu), json.dumps(attrs, ensure_ascii=False))
            )
        if problems:
            raise StoreError(problems)
        return records

    def _import_cases_in(
        self, conn: Connection, iid: int, records, inspector: str, at: datetime
    ) -> ImportResult:
        existing = {
            r.case_id: r
            for r in conn.execute(
                select(CaseRow.id, CaseRow.case_id, CaseRow.attributes, CaseRow.position).where(
                    CaseRow.inspection_id == iid
                )
            ).all()
        }
        position = max((r.position for r in existing.values()), default=0)
        added = unchanged = updated = 0
        new_rows, history = [], []
        for cid, ldu, attrs in records:
            old = existing.get(cid)
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
                history.append(
                    {
                        "inspection_id": iid,
                        "entity": "case",
                        "key": cid,
                        "case_id": cid,
                        "question": None,
                        "version": None,
                        "old": None,
                        "new": attrs,
                        "old_note": None,
                        "new_note": None,
                        "by": inspector,
                        "at": at,
                    }
                )
                added += 1
            elif old.attributes == attrs:
                unchanged += 1
            else:
                conn.execute(
                    CaseRow.__table__.update()
                    .where(CaseRow.id == old.id)
                    .values(attributes=attrs, ldu=ldu)
                )
                history.append(
                    {
                        "inspection_id": iid,
                        "entity": "case",
                        "key": cid,
                        "case_id": cid,
                        "question": None,
                        "version": None,
                        "old": old.attributes,
                        "new": attrs,
                        "old_note": None,
                        "new_note": None,
                        "by": inspector,
                        "at": at,
                    }
                )
                updated += 1
        if new_rows:
            conn.execute(CaseRow.__table__.insert(), new_rows)
        if history:
            conn.execute(HistoryRow.__table__.insert(), history)
        return ImportResult(added, unchanged, updated)

    def cases(self, name: str) -> pd.DataFrame:
        """case_id and the attributes, as imported, one row per case in import order."""
        with self._read() as conn:
            iid = self._inspection_id(conn, name)
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

    # -- judgements --------------------------------------------------------------------------

    def _check_judgement(
        self, fw: Framework, name: str, question: str, answer: str | None
    ) -> str | None:
        problems = []
        question = str(question)
        if not fw.has_key_question(question):
            rated = [q.id for q in fw.rated_key_questions]
            problems.append(
                Problem(
                    "unknown_key_question",
                    f"'{question}' is not a key question answered on cases in {fw.id} (inspection '{name}').",
                    column="question",
                    value=question,
                    allowed=f"{rated[0]} ... {rated[-1]}",
                )
            )
        if answer is not None:
            from .files import normalise_answer

            canonical = normalise_answer(answer)
            if canonical is None:
                problems.append(
                    Problem(
                        "unknown_answer",
                        f"'{answer}' is not an answer.",
                        column="answer",
                        value=answer,
                        allowed="yes, no, not_applicable",
                    )
                )
            elif not problems and canonical not in fw.key_question(question).allowed_answers:
                problems.append(
                    Problem(
                        "answer_not_allowed",
                        f"'{answer}' is not allowed for {question}, which is rated over every case of its sample.",
                        column="answer",
                        value=answer,
                        allowed=", ".join(fw.key_question(question).allowed_answers),
                    )
                )
            answer = canonical
        if problems:
            raise StoreError(problems)
        return answer

    @staticmethod
    def _stored_judgement(row: Any) -> StoredJudgement:
        return StoredJudgement(
            row.case_id,
            row.question,
            row.answer,
            row.note,
            row.inspector,
            _utc(row.saved_at),
            row.version,
        )

    def save_judgement(
        self,
        name: str,
        case_id: str,
        question: str,
        answer: str | None,
        inspector: str,
        note: str | None = None,
        expect_version: int | None = None,
    ) -> SaveResult:
        """Save one answer (None clears it). ``expect_version`` is the version last seen, 0 for
        no answer; if someone saved since, :class:`ConflictError` and nothing is saved."""
        case_id, question, note = str(case_id).strip(), str(question).strip(), _blank_to_none(note)
        inspector = _blank_to_none(inspector)
        if inspector is None:
            raise StoreError(
                Problem(
                    "no_inspector",
                    "the inspector's name is empty.",
                    column="inspector",
                    allowed="the name recorded with each judgement",
                )
            )
        if self.read_only:
            self._write(None)  # raises the read-only error
        irow = self._cached_inspection(name)
        fw = self._framework_of(irow)
        answer = self._check_judgement(fw, name, question, answer)
        iid = irow.id
        select_sql = self._sql(
            _SELECT_JUDGEMENT + (" FOR UPDATE" if self.dialect == "postgresql" else "")
        )

        def work(conn: Connection) -> SaveResult:
            # plain SQL on the driver's cursor: a save is on every inspector's critical path
            return save(conn.connection.driver_connection.cursor())

        def save(cur) -> SaveResult:
            key = {"i": iid, "c": case_id, "q": question}
            cur.execute(select_sql, key)
            current = cur.fetchone()
            if current is None:
                cur.execute(self._sql(_SELECT_CASE), {"i": iid, "c": case_id})
                if cur.fetchone() is None:
                    raise StoreError(
                        Problem(
                            "unknown_case",
                            f"there is no case '{case_id}' in inspection '{name}'.",
                            column="case_id",
                            value=case_id,
                            allowed="a case of the inspection's sample",
                        )
                    )
                previous = None
            else:
                row_id, p_answer, p_note, p_inspector, p_at, p_version = current
                previous = StoredJudgement(
                    case_id,
                    question,
                    p_answer,
                    p_note,
                    p_inspector,
                    self._ts_value(p_at),
                    p_version,
                )
            current_version = previous.version if previous else 0
            if expect_version is not None and int(expect_version) != current_version:
                raise _conflict(
                    f"case {case_id}, {question}",
                    "answer",
                    previous,
                    current_version,
                    expect_version,
                )
            if previous is not None and previous.answer == answer and previous.note == note:
                return SaveResult(previous, previous, False)
            if previous is None and answer is None:  # clearing nothing
                empty = StoredJudgement(case_id, question, None, None, inspector, _now(), 0)
                return SaveResult(empty, None, False)
            at = _now()
            version = current_version + 1
            values = key | {
                "a": answer,
                "n": note,
                "by": inspector,
                "at": self._ts_param(at),
                "v": version,
            }
            values |= {
                "k": f"{case_id} {question}",
                "oa": previous.answer if previous else None,
                "on": previous.note if previous else None,
            }
            if previous is not None:
                values["id"] = row_id
            if self.dialect == "postgresql":  # the change and its history in one round trip
                cur.execute(self._sql(_PG_INSERT if previous is None else _PG_UPDATE), values)
            else:
                cur.execute(_INSERT_JUDGEMENT if previous is None else _UPDATE_JUDGEMENT, values)
                cur.execute(_INSERT_JUDGEMENT_HISTORY, values)
            cur.close()
            return SaveResult(
                StoredJudgement(case_id, question, answer, note, inspector, at, version),
                previous,
                True,
            )

        return self._write(work)

    def save_judgements(self, name: str, rows, inspector: str | None = None) -> list[SaveResult]:
        """Save many answers in one transaction, last write wins (no version check): rows of
        (case_id, question, answer, inspector, note), or (case_id, question, answer) with
        ``inspector``. Every problem is collected first; if there is any, nothing is saved."""
        if self.read_only:
            self._write(None)
        irow = self._cached_inspection(name)
        clean = self._check_judgements(self._framework_of(irow), name, rows, inspector)
        iid = irow.id

        def work(conn: Connection) -> list[SaveResult]:
            return self._save_judgements_in(conn, iid, name, clean)

        return self._write(work)

    def _check_judgements(
        self, fw: Framework, name: str, rows, inspector: str | None
    ) -> list[tuple[str, str, str | None, str, str | None]]:
        """Rows as (case_id, question, answer, inspector, note); every problem raised at once."""
        problems: list[Problem] = []
        clean: list[tuple[str, str, str | None, str, str | None]] = []
        for number, row in enumerate(rows, start=1):
            row = tuple(row)
            case_id, question, answer = str(row[0]).strip(), str(row[1]).strip(), row[2]
            who = _blank_to_none(row[3] if len(row) > 3 else inspector)
            note = _blank_to_none(row[4]) if len(row) > 4 else None
            try:
                answer = self._check_judgement(fw, name, question, answer)
            except StoreError as exc:
                problems += [replace(p, row=number) for p in exc.problems]
                continue
            if who is None:
                problems.append(
                    Problem(
                        "no_inspector",
                        "the inspector's name is empty.",
                        row=number,
                        column="inspector",
                    )
                )
                continue
            clean.append((case_id, question, answer, who, note))
        if problems:
            raise StoreError(problems)
        return clean

    def _save_judgements_in(self, conn: Connection, iid: int, name: str, clean) -> list[SaveResult]:
        cur = conn.connection.driver_connection.cursor()
        cur.execute(self._sql(_SELECT_CASES), {"i": iid})
        known = {r[0] for r in cur.fetchall()}
        missing = sorted({c for c, *_ in clean if c not in known})
        if missing:
            raise StoreError(
                [
                    Problem(
                        "unknown_case",
                        f"there is no case '{c}' in inspection '{name}'.",
                        column="case_id",
                        value=c,
                        allowed="a case of the inspection's sample",
                    )
                    for c in missing
                ]
            )
        lock = " FOR UPDATE" if self.dialect == "postgresql" else ""
        cur.execute(self._sql(_SELECT_JUDGEMENTS + lock), {"i": iid})
        current = {
            (r[1], r[2]): StoredJudgement(r[1], r[2], r[3], r[4], r[5], self._ts_value(r[6]), r[7])
            for r in cur.fetchall()
        }
        inserts, updates, history, results = [], [], [], []
        at = _now()
        for case_id, question, answer, who, note in clean:
            previous = current.get((case_id, question))
            if previous is not None and previous.answer == answer and previous.note == note:
                results.append(SaveResult(previous, previous, False))
                continue
            if previous is None and answer is None:
                results.append(
                    SaveResult(
                        StoredJudgement(case_id, question, None, None, who, at, 0), None, False
                    )
                )
                continue
            version = (previous.version if previous else 0) + 1
            values = {
                "i": iid,
                "c": case_id,
                "q": question,
                "a": answer,
                "n": note,
                "by": who,
                "at": self._ts_param(at),
                "v": version,
            }
            # a second row for the same key in this batch finds the first in ``current``
            (inserts if previous is None else updates).append(values)
            history.append(
                values
                | {
                    "k": f"{case_id} {question}",
                    "oa": previous.answer if previous else None,
                    "on": previous.note if previous else None,
                }
            )
            stored = StoredJudgement(case_id, question, answer, note, who, at, version)
            current[(case_id, question)] = stored
            results.append(SaveResult(stored, previous, True))
        if inserts:
            cur.executemany(self._sql(_INSERT_JUDGEMENT), inserts)
        if updates:
            # later rows for the same key come later in the list: the last write wins
            cur.executemany(
                self._sql(
                    "UPDATE judgements SET answer = :a, note = :n, inspector = :by, saved_at = :at, version = :v "
                    "WHERE inspection_id = :i AND case_id = :c AND question = :q"
                ),
                updates,
            )
        if history:
            cur.executemany(self._sql(_INSERT_JUDGEMENT_HISTORY), history)
        cur.close()
        return results

    def judgements(self, name: str) -> pd.DataFrame:
        """Every current answer (cleared ones left out): case_id, question, answer, note,
        inspector, saved_at (UTC), version. What :func:`workbook.ratings.rate` takes."""
        with self._read() as conn:
            iid = self._inspection_id(conn, name)
            raw = conn.connection.driver_connection
            if self.dialect == "sqlite":
                columns = _judgement_columns_sqlite(raw, iid)
            elif self.dialect == "postgresql":
                columns = _judgement_columns_postgresql(raw, iid)
            else:  # pragma: no cover - only SQLite and PostgreSQL are opened
                raise StoreError(f"unsupported database {self.dialect}")
        frame = pd.DataFrame(
            {c: pd.Series(columns[c], dtype="string") for c in JUDGEMENT_COLUMNS[:5]}
        )
        frame["saved_at"] = columns["saved_at"]
        frame["version"] = pd.Series(columns["version"], dtype="int64")
        return frame

    def case_judgements(self, name: str, case_id: str) -> dict[str, StoredJudgement]:
        """The case's judgements by key question, cleared ones included (answer None) so the
        caller knows their version."""
        j = JudgementRow.__table__
        with self._read() as conn:
            iid = self._inspection_id(conn, name)
            rows = conn.execute(
                select(j)
                .where(j.c.inspection_id == iid, j.c.case_id == str(case_id))
                .order_by(j.c.id)
            ).all()
        return {r.question: self._stored_judgement(r) for r in rows}

    # -- decisions ---------------------------------------------------------------------------

    @staticmethod
    def _stored_decision(row: Any, changed: bool = True) -> StoredDecision:
        return StoredDecision(
            row.standard,
            row.rating,
            row.reason,
            row.inspector,
            _utc(row.saved_at),
            row.version,
            changed,
        )

    def save_decision(
        self,
        name: str,
        standard: str,
        rating: str | None,
        reason: str,
        inspector: str,
        expect_version: int | None = None,
    ) -> StoredDecision:
        """Set a standard's rating by judgement (domain one) or discretion; rating None
        withdraws the decision. Same concurrency rules as :meth:`save_judgement`."""
        if self.read_only:
            self._write(None)
        irow = self._cached_inspection(name)
        standard, rating, reason, inspector = self._check_decision(
            self._framework_of(irow), standard, rating, reason, inspector
        )
        iid = irow.id

        def work(conn: Connection) -> StoredDecision:
            return self._save_decision_in(
                conn, iid, standard, rating, reason, inspector, expect_version
            )

        return self._write(work)

    @staticmethod
    def _check_decision(
        fw: Framework, standard: str, rating: str | None, reason: str, inspector: str | None
    ) -> tuple[str, str | None, str, str]:
        """(standard, canonical rating, reason, inspector); every problem raised at once."""
        standard, reason, inspector = (
            str(standard).strip(),
            (reason or "").strip(),
            _blank_to_none(inspector),
        )
        problems = []
        if inspector is None:
            problems.append(
                Problem("no_inspector", "the inspector's name is empty.", column="inspector")
            )
        if not fw.has_standard(standard):
            problems.append(
                Problem(
                    "unknown_standard",
                    f"'{standard}' is not a standard of {fw.id}.",
                    column="standard",
                    value=standard,
                    allowed=", ".join(s.id for s in fw.standards),
                )
            )
        if rating is not None:
            canonical = next(
                (r for r in fw.ratings if r.lower() == str(rating).strip().lower()), None
            )
            if canonical is None:
                problems.append(
                    Problem(
                        "unknown_rating",
                        f"'{rating}' is not a rating.",
                        column="rating",
                        value=rating,
                        allowed=", ".join(fw.ratings),
                    )
                )
            rating = canonical
            if not reason:
                problems.append(
                    Problem(
                        "missing_reason",
                        "the reason (or, for a domain-one standard, the evidence) is empty.",
                        column="reason",
                        allowed="a sentence the report's footnote can quote",
                    )
                )
        if problems:
            raise StoreError(problems)
        return standard, rating, reason, inspector

    def _save_decision_in(
        self,
        conn: Connection,
        iid: int,
        standard: str,
        rating: str | None,
        reason: str,
        inspector: str,
        expect_version: int | None,
    ) -> StoredDecision:
        d = DecisionRow.__table__
        current = conn.execute(
            select(d).where(d.c.inspection_id == iid, d.c.standard == standard).with_for_update()
        ).first()
        previous = self._stored_decision(current) if current is not None else None
        current_version = previous.version if previous else 0
        if expect_version is not None and int(expect_version) != current_version:
            raise _conflict(
                f"standard {standard}", "rating", previous, current_version, expect_version
            )
        if previous is not None and previous.rating == rating and previous.reason == reason:
            return self._stored_decision(current, changed=False)
        if previous is None and rating is None:
            return StoredDecision(standard, None, reason, inspector, _now(), 0, False)
        at, version = _now(), current_version + 1
        if current is None:
            conn.execute(
                d.insert().values(
                    inspection_id=iid,
                    standard=standard,
                    rating=rating,
                    reason=reason,
                    inspector=inspector,
                    saved_at=at,
                    version=version,
                )
            )
        else:
            conn.execute(
                d.update()
                .where(d.c.id == current.id)
                .values(
                    rating=rating,
                    reason=reason,
                    inspector=inspector,
                    saved_at=at,
                    version=version,
                )
            )
        conn.execute(
            HistoryRow.__table__.insert().values(
                inspection_id=iid,
                entity="decision",
                key=standard,
                case_id=None,
                question=None,
                version=version,
                old=previous.rating if previous else None,
                new=rating,
                old_note=previous.reason if previous else None,
                new_note=reason,
                by=inspector,
                at=at,
            )
        )
        return StoredDecision(standard, rating, reason, inspector, at, version, True)

    def stored_decisions(self, name: str) -> dict[str, StoredDecision]:
        """Every decision by standard, withdrawn ones included (rating None), with versions."""
        d = DecisionRow.__table__
        with self._read() as conn:
            iid = self._inspection_id(conn, name)
            rows = conn.execute(
                select(d).where(d.c.inspection_id == iid).order_by(d.c.standard)
            ).all()
        return {r.standard: self._stored_decision(r, changed=False) for r in rows}

    def decisions(self, name: str) -> list[Decision]:
        """The standing decisions, as :func:`workbook.ratings.rate` takes them."""
        return [
            s.as_decision() for s in self.stored_decisions(name).values() if s.rating is not None
        ]

    # -- history -----------------------------------------------------------------------------

    def history(self, name: str, case_id: str | None = None) -> list[HistoryEntry]:
        """Every change, oldest first (optionally only one case's)."""
        h = HistoryRow.__table__
        with self._read() as conn:
            iid = self._inspection_id(conn, name)
            query = select(h).where(h.c.inspection_id == iid)
            if case_id is not None:
                query = query.where(h.c.case_id == str(case_id))
            rows = conn.execute(query.order_by(h.c.id)).all()
        return [
            HistoryEntry(
                r.entity,
                r.key,
                r.old,
                r.new,
                r.by,
                _utc(r.at),
                r.case_id,
                r.question,
                r.version,
                r.old_note,
                r.new_note,
            )
            for r in rows
        ]

    # -- export and import -------------------------------------------------------------------

    def export_inspection(self, name: str, folder: Path | str) -> Path:
        """Write the inspection as CSV files plus ``manifest.json`` (sha256 of each file)."""
        folder = Path(folder)
        with self._read() as conn:
            irow = self._inspection_row(conn, name)
            iid = irow.id

            def dump(name: str, row_class, order) -> tuple[list[str], list[list]]:
                columns = list(EXPORT_COLUMNS[name])
                query = (
                    select(row_class.__table__)
                    .where(row_class.inspection_id == iid)
                    .order_by(order)
                )
                return columns, [
                    [_export_value(getattr(r, c)) for c in columns] for r in conn.execute(query)
                ]

            inspection_columns = list(EXPORT_COLUMNS["inspection.csv"])
            tables = {
                "inspection.csv": (
                    inspection_columns,
                    [[_export_value(getattr(irow, c)) for c in inspection_columns]],
                ),
                "cases.csv": dump("cases.csv", CaseRow, CaseRow.position),
                "judgements.csv": dump("judgements.csv", JudgementRow, JudgementRow.id),
                "decisions.csv": dump("decisions.csv", DecisionRow, DecisionRow.id),
                "history.csv": dump("history.csv", HistoryRow, HistoryRow.id),
            }
        files, contents = {}, {}
        for fname, (header, rows) in tables.items():
            buf = io.StringIO()
            writer = csv.writer(buf, lineterminator="\n")
            writer.writerow(header)
            writer.writerows([[_cell(v) for v in r] for r in rows])
            data = contents[fname] = buf.getvalue().encode("utf-8")
            files[fname] = {"sha256": hashlib.sha256(data).hexdigest(), "rows": len(rows)}
        manifest = {
            "format": EXPORT_FORMAT,
            "schema": SCHEMA_VERSION,
            "inspection": name,
            "exported_at": _iso(_now()),
            "files": files,
        }
        contents["manifest.json"] = (json.dumps(manifest, indent=2) + "\n").encode("utf-8")
        _write_export_folder(folder, contents)
        return folder

    def import_export(self, folder: Path | str) -> Inspection:
        """Load an export into this store as a new inspection. A damaged export (missing file,
        checksum mismatch) or a name already taken is refused and changes nothing."""
        tables = read_export(folder)
        ins = tables["inspection.csv"][0]
        name = ins["name"]

        def work(conn: Connection) -> None:
            if conn.execute(select(InspectionRow.id).where(InspectionRow.name == name)).first():
                raise StoreError(
                    Problem(
                        "inspection_exists",
                        f"the store already has an inspection named '{name}'; nothing was imported.",
                        file=str(folder),
                        value=name,
                        allowed="an export of an inspection this store does not have",
                    )
                )
            iid = conn.execute(
                InspectionRow.__table__.insert()
                .values(
                    name=name,
                    provider=ins["provider"] or "",
                    framework_id=ins["framework_id"],
                    framework_version=ins["framework_version"],
                    fieldwork_start=_date(ins["fieldwork_start"]),
                    fieldwork_end=_date(ins["fieldwork_end"]),
                    created_by=ins["created_by"] or "import",
                    created_at=_ts(ins["created_at"]),
                )
                .returning(InspectionRow.id)
            ).scalar_one()
            batches = {
                CaseRow.__table__: [
                    {
                        "inspection_id": iid,
                        "case_id": r["case_id"],
                        "position": int(r["position"]),
                        "ldu": r["ldu"],
                        "attributes": r["attributes"] or "{}",
                    }
                    for r in tables["cases.csv"]
                ],
                JudgementRow.__table__: [
                    {
                        "inspection_id": iid,
                        "case_id": r["case_id"],
                        "question": r["question"],
                        "answer": r["answer"],
                        "note": r["note"],
                        "inspector": r["inspector"],
                        "saved_at": _ts(r["saved_at"]),
                        "version": int(r["version"]),
                    }
                    for r in tables["judgements.csv"]
                ],
                DecisionRow.__table__: [
                    {
                        "inspection_id": iid,
                        "standard": r["standard"],
                        "rating": r["rating"],
                        "reason": r["reason"] or "",
                        "inspector": r["inspector"],
                        "saved_at": _ts(r["saved_at"]),
                        "version": int(r["version"]),
                    }
                    for r in tables["decisions.csv"]
                ],
                HistoryRow.__table__: [
                    {
                        "inspection_id": iid,
                        "entity": r["entity"],
                        "key": r["key"],
                        "case_id": r["case_id"],
                        "question": r["question"],
                        "version": None if r["version"] is None else int(r["version"]),
                        "old": r["old"],
                        "new": r["new"],
                        "old_note": r["old_note"],
                        "new_note": r["new_note"],
                        "by": r["by"],
                        "at": _ts(r["at"]),
                    }
                    for r in tables["history.csv"]
                ],
            }
            for table, rows in batches.items():
                for start in range(0, len(rows), 5000):
                    conn.execute(table.insert(), rows[start : start + 5000])

        self._write(work)
        self._inspection_ids.pop(name, None)
        return self.inspection(name)

    # -- bulk (benchmarks and tests) ---------------------------------------------------------

    def bulk_load_judgements(
        self, name: str, rows: list[tuple[str, str, str]], inspector: str = "bulk"
    ) -> int:
        """Insert many first answers at once, without history: set-up for benchmarks only."""
        at = _now()

        def work(conn: Connection) -> int:
            iid = self._inspection_id(conn, name)
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

        return self._write(work)


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
    "history.csv": (
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
    ),
}


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _export_value(value: Any) -> Any:
    """A stored value as an export writes it: times in UTC ISO 8601, dates ISO 8601."""
    if isinstance(value, datetime):
        return _iso(_utc(value))
    if isinstance(value, date):
        return _iso(value)
    return value


def _cell(value: Any) -> str:
    # None is written as \N (as PostgreSQL's COPY does); an empty text stays empty
    return "\\N" if value is None else str(value)


def _uncell(value: str) -> str | None:
    return None if value == "\\N" else value


def _date(value: str | None) -> date | None:
    return None if not value else date.fromisoformat(value)


def _ts(value: str | None) -> datetime | None:
    return None if not value else _utc(datetime.fromisoformat(value))


def _export_problem(code: str, message: str, folder: Path, value: Any = None) -> StoreError:
    return StoreError(
        Problem(
            code,
            message,
            file=str(folder),
            value=value,
            allowed="a new folder, or a previous export to replace, whose parent folders exist as folders (not files) and may be written",
        )
    )


def _write_export_folder(folder: Path, contents: dict[str, bytes]) -> None:
    """Write ``contents`` (file name -> bytes) as the folder ``folder``, all or nothing: the files
    go into a temporary sibling folder renamed into place only when complete, so a failure
    part-way leaves any previous export there as it was."""
    target = Path(os.path.abspath(folder))
    known = set(contents) | set(EXPORT_FILES) | {"manifest.json"}
    tmp: Path | None = None
    try:
        if target.exists() or target.is_symlink():
            if not target.is_dir():
                raise _export_problem(
                    "export_not_a_folder",
                    f"'{folder}' is a file, not a folder; nothing was exported.",
                    folder,
                )
            others = sorted(p.name for p in target.iterdir() if p.name not in known)
            if others:
                raise _export_problem(
                    "export_folder_in_use",
                    f"the folder '{folder}' holds files that are not part of an export "
                    f"({', '.join(others[:5])}{', ...' if len(others) > 5 else ''}); nothing was exported, so they are untouched.",
                    folder,
                )
        blocking = next((p for p in target.parents if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            raise _export_problem(
                "cannot_write_export",
                f"the export cannot be written to the folder '{folder}': '{blocking}' is a file, "
                "not a folder; nothing was exported.",
                folder,
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(
            tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        )
        for fname, data in contents.items():
            (tmp / fname).write_bytes(data)
        if target.exists():
            previous = tmp.with_name(tmp.name + ".previous")
            os.replace(target, previous)
            try:
                os.replace(tmp, target)
            except OSError:
                os.replace(previous, target)  # the previous export goes back in place
                raise
            tmp = None
            shutil.rmtree(previous, ignore_errors=True)
        else:
            os.replace(tmp, target)
            tmp = None
    except OSError as exc:
        raise _export_problem(
            "cannot_write_export",
            f"the export cannot be written to the folder '{folder}' ({exc.strerror or exc}); "
            "nothing was exported and any previous export there is unchanged.",
            folder,
            value=str(exc),
        ) from None
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)


def read_export(folder: Path | str) -> dict[str, list[dict[str, str | None]]]:
    """Read and check an export folder: every file present, every checksum right."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise StoreError(
            Problem(
                "missing_manifest",
                "the export has no manifest.json, so it cannot be checked; nothing was imported.",
                file=str(manifest_path),
                allowed="a folder written by `python -m workbook export`",
            )
        )
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
    except (ValueError, KeyError, TypeError):
        raise StoreError(
            Problem(
                "bad_manifest",
                "manifest.json is damaged; nothing was imported.",
                file=str(manifest_path),
            )
        ) from None
    if manifest.get("format") != EXPORT_FORMAT:
        raise StoreError(
            Problem(
                "export_format",
                f"the export's format {manifest.get('format')!r} is not one this workbook reads; nothing was imported.",
                file=str(manifest_path),
                value=manifest.get("format"),
                allowed=str(EXPORT_FORMAT),
            )
        )
    problems, tables = [], {}
    for fname in EXPORT_FILES:
        path = folder / fname
        if fname not in files:
            problems.append(
                Problem(
                    "not_in_manifest",
                    "the manifest does not list this file; the export is incomplete.",
                    file=fname,
                )
            )
            continue
        if not path.is_file():
            problems.append(
                Problem("missing_file", "the file is missing from the export.", file=str(path))
            )
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != files[fname].get("sha256"):
            problems.append(
                Problem(
                    "checksum_mismatch",
                    f"the file's checksum {digest[:12]}... differs from the manifest's {str(files[fname].get('sha256'))[:12]}...: it was changed or damaged after the export.",
                    file=str(path),
                    value=digest,
                )
            )
            continue
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        header = next(reader, None) or []
        missing = [c for c in EXPORT_COLUMNS[fname] if c not in header]
        if missing:
            problems.append(
                Problem(
                    "missing_column",
                    f"the file lacks the column(s) {', '.join(missing)}.",
                    file=str(path),
                    allowed=", ".join(EXPORT_COLUMNS[fname]),
                )
            )
            continue
        tables[fname] = [{h: _uncell(v) for h, v in zip(header, r, strict=False)} for r in reader]
    if not problems and len(tables.get("inspection.csv", [])) != 1:
        problems.append(
            Problem(
                "bad_export",
                "inspection.csv must hold exactly one inspection.",
                file="inspection.csv",
            )
        )
    if problems:
        raise StoreError(problems)
    return tables


# -- fast loading of judgements ------------------------------------------------------------------
# A million judgements are loaded column by column: SQLite concatenates each column into one
# text (one pass, the same row order for every column) and PostgreSQL sends them with COPY, so
# no Python object is made per row.

_SEP, _NULL = "\x1f", "\x1e"  # unit and record separators: never in a case id, answer or name


def _split(value: str | None, count: int) -> list[str]:
    return [] if not count else value.split(_SEP)


def _judgement_columns_sqlite(raw, iid: int) -> dict[str, Any]:
    sep = "char(31)"
    row = raw.execute(
        f"SELECT count(*), group_concat(case_id, {sep}), group_concat(question, {sep}), group_concat(answer, {sep}), "
        f"group_concat(coalesce(note, char(30)), {sep}), group_concat(inspector, {sep}), group_concat(saved_at, {sep}), "
        f"group_concat(version, {sep}) FROM (SELECT * FROM judgements WHERE inspection_id = ? AND answer IS NOT NULL ORDER BY id)",
        (iid,),
    ).fetchone()
    count = row[0]
    cols = dict(
        zip(
            ["case_id", "question", "answer", "note", "inspector", "saved_at", "version"],
            (_split(v, count) for v in row[1:]),
            strict=True,
        )
    )
    cols["note"] = (
        [None if v == _NULL else v for v in cols["note"]]
        if _NULL in (row[4] or "")
        else cols["note"]
    )
    cols["saved_at"] = pd.to_datetime(
        pd.Series(cols["saved_at"], dtype=object), utc=True, format="ISO8601"
    )
    cols["version"] = [int(v) for v in cols["version"]] if count else []
    return cols


def _judgement_columns_postgresql(raw, iid: int) -> dict[str, Any]:
    buf = io.BytesIO()
    with raw.cursor() as cur:
        query = (
            "COPY (SELECT case_id, question, answer, note, inspector, "
            "(extract(epoch FROM saved_at) * 1000000)::bigint AS saved_at, version FROM judgements "
            f"WHERE inspection_id = {int(iid)} AND answer IS NOT NULL ORDER BY id) TO STDOUT WITH (FORMAT csv, NULL '\\N')"
        )
        with cur.copy(query) as copy:
            for block in copy:
                buf.write(block)
    buf.seek(0)
    names = ["case_id", "question", "answer", "note", "inspector", "saved_at", "version"]
    if not buf.getbuffer().nbytes:
        return {c: [] for c in names} | {"saved_at": pd.Series([], dtype="datetime64[us, UTC]")}
    frame = pd.read_csv(
        buf,
        header=None,
        names=names,
        dtype={c: object for c in names[:5]},
        na_values={"note": ["\\N"]},
        keep_default_na=False,
    )
    cols = {c: frame[c].tolist() for c in names[:5]}
    cols["note"] = [None if isinstance(v, float) else v for v in cols["note"]]
    cols["saved_at"] = pd.to_datetime(frame["saved_at"].to_numpy(), unit="us", utc=True)
    cols["version"] = frame["version"].to_numpy()
    return cols


# -- opening ---------------------------------------------------------------------------------


def _sqlite_engine(url, read_only: bool) -> Engine:
    database = url.database
    if not database or database == ":memory:":
        raise StoreError(
            Problem(
                "bad_url",
                "an in-memory SQLite store cannot be shared; give a file: sqlite:///path/to/workbook.db",
                value=str(url),
            )
        )
    path = Path(database).expanduser()
    if read_only:
        if not path.is_file():
            raise StoreError(
                Problem(
                    "missing_store",
                    "the store file does not exist, and a read-only store cannot be created.",
                    file=str(path),
                )
            )

        def creator():
            return sqlite3.connect(
                f"file:{path}?mode=ro",
                uri=True,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
    else:
        path.parent.mkdir(parents=True, exist_ok=True)

        def creator():
            return sqlite3.connect(
                str(path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )

    engine = create_engine(
        "sqlite://", creator=creator, poolclass=QueuePool, pool_size=2, max_overflow=8
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute(
            "PRAGMA cache_size = -131072"
        )  # up to 128 MiB of pages: big inspections load faster
        if not read_only:
            mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        write = conn.get_execution_options().get("workbook_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


_ALLOWED_URLS = (
    "sqlite:///PATH (such as sqlite:///workbook.db) or postgresql+psycopg://user:password@host/db"
)


def open_store(url: str | None = None, read_only: bool = False) -> Store:
    """Open the store at ``url`` (default: the ``WORKBOOK_DB`` setting); create or upgrade the
    schema when writable. ``read_only`` is enforced by the connection itself."""
    if url is None:
        from .config import load_settings

        url = load_settings().db_url
    url_text = str(url)
    try:
        parsed = make_url(url_text)
    except Exception:
        # never show a password, even of a URL that does not parse
        hidden = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url_text)
        raise StoreError(
            Problem(
                "bad_url",
                f"'{hidden}' is not a database URL.",
                value=hidden,
                allowed=_ALLOWED_URLS,
            )
        ) from None
    backend = parsed.get_backend_name()
    shown = parsed.render_as_string(hide_password=True)
    if backend == "sqlite":
        engine = _sqlite_engine(parsed, read_only)
    elif backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        connect_args = {"options": "-c default_transaction_read_only=on"} if read_only else {}
        try:
            if parsed.drivername != "postgresql+psycopg":
                # the store uses psycopg 3 itself (its cursors and connection state)
                raise ArgumentError("only the psycopg (version 3) driver is supported")
            engine = create_engine(
                parsed, connect_args=connect_args, pool_size=2, max_overflow=4, pool_recycle=600
            )
        except (ImportError, ArgumentError) as exc:
            # a driver that is not installed (psycopg2, asyncpg) or a dialect that does not exist
            raise StoreError(
                Problem(
                    "bad_url",
                    f"'{shown}' names the database driver '{parsed.get_driver_name()}', which the "
                    f"workbook cannot use ({exc}). Write the URL as postgresql+psycopg://... "
                    "(or postgresql://..., which means the same).",
                    value=shown,
                    allowed=_ALLOWED_URLS,
                )
            ) from None

        @event.listens_for(engine, "checkout")
        def _drop_broken(dbapi_conn, _record, _proxy):
            # a connection that failed is known to be broken without asking the server
            if dbapi_conn.broken or dbapi_conn.closed:
                raise DisconnectionError()
    else:
        raise StoreError(
            Problem(
                "bad_url",
                f"'{shown}': '{backend}' databases are not supported.",
                value=shown,
                allowed=_ALLOWED_URLS,
            )
        )
    store = Store(engine, shown, read_only)
    try:
        store._prepare()
    except StoreError as exc:
        engine.dispose()
        if backend == "sqlite" and read_only and {"read_only", "cannot_open"} & set(exc.codes):
            raise StoreError(
                Problem(
                    "cannot_read",
                    "this SQLite store cannot be read here: a store in WAL mode can only be opened read-only "
                    "by someone who may create its '-shm' file in the same folder (or while a writer has it open).",
                    file=shown,
                    allowed="write access to the folder for the reader, or a team store in PostgreSQL (see 'For a team' in the README)",
                )
            ) from None
        raise
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        raise _store_error_from(exc, shown) from None
    return store


__all__ = [
    "SCHEMA_VERSION",
    "HistoryEntry",
    "ImportResult",
    "Inspection",
    "SaveResult",
    "Store",
    "StoredDecision",
    "StoredJudgement",
    "open_store",
    "read_export",
]
