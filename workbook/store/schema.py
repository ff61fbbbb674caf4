"""The store's tables (SQLAlchemy rows), the schema version and its upgrades.

The rows never leave the store: the other modules turn them into the values of
:mod:`workbook.store.values`. The schema carries a version (table ``schema_version``); opening
an older store upgrades it (when writable), a newer one is refused with a clear message.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    inspect,
    select,
    text,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from ..errors import Problem, StoreError
from ..reasons import Reason
from .transactions import Transactions
from .values import now

SCHEMA_VERSION = 2

TS = DateTime(timezone=True)


class Base(DeclarativeBase):
    """The declarative base of the store's tables."""


class SchemaVersionRow(Base):
    """One row per schema upgrade: the version reached and when."""

    __tablename__ = "schema_version"
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    upgraded_at: Mapped[datetime] = mapped_column(TS)


class InspectionRow(Base):
    """An inspection and the framework version it is pinned to."""

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
    """A case of an inspection's sample; its attributes as a JSON object."""

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
    """The current answer of one case to one key question, with its version."""

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
    """The current decision on one standard, with its version."""

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
    """One change, appended and never updated (see :mod:`workbook.store.history`)."""

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
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why (schema 2)


# -- the team's work (schema 2) ---------------------------------------------------------------


def _case_key(table: str) -> tuple:
    return (
        ForeignKeyConstraint(
            ["inspection_id", "case_id"],
            ["cases.inspection_id", "cases.case_id"],
            name=f"fk_{table}_case",
        ),
    )


class MemberRow(Base):
    """A member of an inspection's team and their role (``workbook.store.team.ROLES``)."""

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("inspection_id", "person", name="uq_members_person"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    person: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(30))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(TS)


class CaseWorkRow(Base):
    """One case's place in the team's work: who has it, its second rater, its signed status
    (None, ``complete``, ``quality_assured`` or ``locked``; not started and in progress are
    read from its answers), the "probe further" flag and the quality lead's dip sample."""

    __tablename__ = "case_work"
    __table_args__ = (
        UniqueConstraint("inspection_id", "case_id", name="uq_case_work_case"),
        *_case_key("case_work"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    case_id: Mapped[str] = mapped_column(String(200))
    allocated_to: Mapped[str | None] = mapped_column(String(200), nullable=True)
    second_rater: Mapped[str | None] = mapped_column(String(200), nullable=True)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status_before_lock: Mapped[str | None] = mapped_column(String(20), nullable=True)
    status_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    status_at: Mapped[datetime | None] = mapped_column(TS, nullable=True)
    probe: Mapped[bool] = mapped_column(Boolean, default=False)
    probe_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    dip_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(TS)


class QueryRow(Base):
    """A quality-assurance query on one judgement (``question`` set) or a whole case."""

    __tablename__ = "queries"
    __table_args__ = (Index("ix_queries_inspection", "inspection_id"), *_case_key("queries"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    case_id: Mapped[str] = mapped_column(String(200))
    question: Mapped[str | None] = mapped_column(String(50), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20))  # open, answered, resolved
    opened_by: Mapped[str] = mapped_column(String(200))
    opened_at: Mapped[datetime] = mapped_column(TS)
    reply: Mapped[str | None] = mapped_column(Text, nullable=True)
    replied_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    replied_at: Mapped[datetime | None] = mapped_column(TS, nullable=True)
    resolution: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(TS, nullable=True)


class SecondJudgementRow(Base):
    """A blind second rating of one case's key question; never enters the ratings."""

    __tablename__ = "second_judgements"
    __table_args__ = (
        UniqueConstraint("inspection_id", "case_id", "question", name="uq_second_case_question"),
        *_case_key("second_judgements"),
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


class AdjudicationRow(Base):
    """The lead inspector's final answer where the two raters differed, with both originals
    (the final is also written to ``judgements``, so it enters the ratings)."""

    __tablename__ = "adjudications"
    __table_args__ = (
        UniqueConstraint("inspection_id", "case_id", "question", name="uq_adjudication"),
        *_case_key("adjudications"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"))
    case_id: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(String(50))
    first: Mapped[str | None] = mapped_column(String(20), nullable=True)
    second: Mapped[str | None] = mapped_column(String(20), nullable=True)
    final: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(TS)


TEAM_TABLES = [
    MemberRow.__table__,
    CaseWorkRow.__table__,
    QueryRow.__table__,
    SecondJudgementRow.__table__,
    AdjudicationRow.__table__,
]

# PostgreSQL: every history row tells listeners which inspection changed (LISTEN
# workbook_history; the payload is the inspection's id, so a batch sends one notification)
NOTIFY_CHANNEL = "workbook_history"
_NOTIFY_SQL = (
    "CREATE OR REPLACE FUNCTION workbook_history_notify() RETURNS trigger AS $$ "
    f"BEGIN PERFORM pg_notify('{NOTIFY_CHANNEL}', NEW.inspection_id::text); RETURN NULL; END "
    "$$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS history_notify ON history",
    "CREATE TRIGGER history_notify AFTER INSERT ON history "
    "FOR EACH ROW EXECUTE FUNCTION workbook_history_notify()",
)


def _notify_on_history(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for statement in _NOTIFY_SQL:
            conn.execute(text(statement))


# -- versions and upgrades -------------------------------------------------------------------
# Schema 0, the first layout, had no schema_version table, no history and no judgement notes.
# Each step upgrades from the version before it; steps run in one transaction.


def _upgrade_0_to_1(conn: Connection) -> None:
    cols = {c["name"] for c in inspect(conn).get_columns("judgements")}
    if "note" not in cols:
        conn.execute(text("ALTER TABLE judgements ADD COLUMN note TEXT"))
    Base.metadata.create_all(conn, tables=[HistoryRow.__table__, SchemaVersionRow.__table__])
    for index in JudgementRow.__table__.indexes:
        index.create(conn, checkfirst=True)


def _upgrade_1_to_2(conn: Connection) -> None:
    cols = {c["name"] for c in inspect(conn).get_columns("history")}
    if "reason" not in cols:
        conn.execute(text("ALTER TABLE history ADD COLUMN reason TEXT"))
    Base.metadata.create_all(conn, tables=TEAM_TABLES)
    _notify_on_history(conn)


UPGRADES = {0: _upgrade_0_to_1, 1: _upgrade_1_to_2}
SCHEMA_0_TABLES = {"inspections", "cases", "judgements", "decisions"}
UPGRADE_LOCK = 727274  # PostgreSQL advisory lock: one upgrade at a time


def schema_version(conn: Connection, url_text: str) -> int | None:
    """Return the schema version found, or None for an empty database.

    Raises
    ------
    StoreError
        ``not_a_store``: the database holds tables that are not a workbook store.
    """
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
            Reason.NOT_A_STORE,
            f"the database holds tables that are not a workbook store ({', '.join(sorted(tables)[:8])}). Use an empty database.",
            file=url_text,
        )
    )


def _check_openable(version: int | None, tx: Transactions) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise StoreError(
            Problem(
                Reason.SCHEMA_TOO_NEW,
                f"the store was made by a newer workbook (schema {version}); this one knows schema {SCHEMA_VERSION} at most. Upgrade the workbook.",
                file=tx.url,
                value=version,
            )
        )
    if tx.read_only:
        what = "is empty" if version is None else f"has the older schema {version}"
        raise StoreError(
            Problem(
                Reason.SCHEMA_NOT_READY,
                f"the store {what} and was opened read-only, so it cannot be set up. Run `python -m workbook init` once with a writable connection.",
                file=tx.url,
                value=version,
            )
        )


def prepare(tx: Transactions) -> None:
    """Create the schema of an empty store, or upgrade an older one, in one transaction.

    Raises
    ------
    StoreError
        ``schema_too_new``, ``schema_not_ready`` (read-only and not current) or
        ``not_a_store``.
    """
    with tx.read() as conn:
        version = schema_version(conn, tx.url)
    if version == SCHEMA_VERSION:
        return
    _check_openable(version, tx)

    def work(conn: Connection) -> None:
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock({UPGRADE_LOCK})"))
        current = schema_version(conn, tx.url)  # again, under the lock
        if current == SCHEMA_VERSION:
            return
        if current is None:
            Base.metadata.create_all(conn)
            _notify_on_history(conn)
        else:
            for step in range(current, SCHEMA_VERSION):
                UPGRADES[step](conn)
        conn.execute(
            SchemaVersionRow.__table__.insert().values(version=SCHEMA_VERSION, upgraded_at=now())
        )

    tx.write(work)
