"""Opening a store: the URL parsed once, then SQLite or PostgreSQL, each set up apart.

- SQLite file by default: WAL journal, busy timeout, foreign keys on, ``synchronous = FULL``;
  a write transaction starts with ``BEGIN IMMEDIATE`` (no lock upgrades). Read-only opening
  is ``mode=ro`` on the file.
- PostgreSQL by URL (``postgresql+psycopg://...``; ``postgresql://`` means the same); read-only
  opening is ``default_transaction_read_only``. A connection known to be broken is dropped
  from the pool without asking the server.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.pool import QueuePool

from ..errors import Problem, StoreError
from ..reasons import Reason
from .facade import Store
from .transactions import store_error_from

BUSY_TIMEOUT_MS = 10_000
ALLOWED_URLS = (
    "sqlite:///PATH (such as sqlite:///workbook.db) or postgresql+psycopg://user:password@host/db"
)


def _bad_url(message: str, shown: str) -> StoreError:
    return StoreError(Problem(Reason.BAD_URL, message, value=shown, allowed=ALLOWED_URLS))


def parse_url(url_text: str) -> URL:
    """Return the parsed URL; a URL that does not parse is ``bad_url``, its password hidden."""
    try:
        return make_url(url_text)
    except Exception:
        # never show a password, even of a URL that does not parse
        hidden = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url_text)
        raise _bad_url(f"'{hidden}' is not a database URL.", hidden) from None


# -- SQLite ----------------------------------------------------------------------------------


def _sqlite_path(url: URL, read_only: bool) -> Path:
    database = url.database
    if not database or database == ":memory:":
        raise StoreError(
            Problem(
                Reason.BAD_URL,
                "an in-memory SQLite store cannot be shared; give a file: sqlite:///path/to/workbook.db",
                value=str(url),
            )
        )
    path = Path(database).expanduser()
    if read_only and not path.is_file():
        raise StoreError(
            Problem(
                Reason.MISSING_STORE,
                "the store file does not exist, and a read-only store cannot be created.",
                file=str(path),
            )
        )
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _on_sqlite_connect(dbapi_conn: sqlite3.Connection, read_only: bool) -> None:
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


def sqlite_engine(url: URL, read_only: bool) -> Engine:
    """Return the engine of a SQLite file store (see the module's description)."""
    path = _sqlite_path(url, read_only)
    target = f"file:{path}?mode=ro" if read_only else str(path)

    def creator() -> sqlite3.Connection:
        return sqlite3.connect(
            target,
            uri=read_only,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=False,
        )

    engine = create_engine(
        "sqlite://", creator=creator, poolclass=QueuePool, pool_size=2, max_overflow=8
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        _on_sqlite_connect(dbapi_conn, read_only)

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        write = conn.get_execution_options().get("workbook_write")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def check_sqlite_file(engine: Engine, shown: str) -> None:
    """Refuse to write to a SQLite file whose ``PRAGMA quick_check`` is not ``ok``.

    Raises
    ------
    StoreError
        ``malformed_store`` naming the file and the check's first findings.
    """
    try:
        with engine.connect() as conn:
            found = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check(5)").fetchall()]
    except (OperationalError, DBAPIError) as exc:
        if "SQLITE_CORRUPT" not in str(getattr(exc.orig, "sqlite_errorname", "")):
            return  # not a store at all, busy, ...: the schema check words these
        found = [str(exc.orig)]
    if found == ["ok"] or not found:
        return
    engine.dispose()
    raise StoreError(
        Problem(
            Reason.MALFORMED_STORE,
            "the store file is damaged (SQLite's quick check reports: "
            f"{'; '.join(str(f)[:200] for f in found[:3])}); nothing was written to it.",
            file=shown,
            allowed="a store whose check is 'ok': restore a backup, or copy what can be read "
            "with the sqlite3 shell's .recover into a new file",
        )
    )


# -- PostgreSQL ------------------------------------------------------------------------------


def postgresql_engine(url: URL, read_only: bool, shown: str) -> Engine:
    """Return the engine of a PostgreSQL store; only the psycopg (3) driver is used."""
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    connect_args = {"options": "-c default_transaction_read_only=on"} if read_only else {}
    try:
        if url.drivername != "postgresql+psycopg":
            # the store uses psycopg 3 itself (its cursors and connection state)
            raise ArgumentError("only the psycopg (version 3) driver is supported")
        engine = create_engine(
            url, connect_args=connect_args, pool_size=2, max_overflow=4, pool_recycle=600
        )
    except (ImportError, ArgumentError) as exc:
        # a driver that is not installed (psycopg2, asyncpg) or a dialect that does not exist
        raise _bad_url(
            f"'{shown}' names the database driver '{url.get_driver_name()}', which the "
            f"workbook cannot use ({exc}). Write the URL as postgresql+psycopg://... "
            "(or postgresql://..., which means the same).",
            shown,
        ) from None

    @event.listens_for(engine, "checkout")
    def _drop_broken(dbapi_conn, _record, _proxy):
        # a connection that failed is known to be broken without asking the server
        if dbapi_conn.broken or dbapi_conn.closed:
            raise DisconnectionError()

    return engine


# -- opening ---------------------------------------------------------------------------------


def _cannot_read(shown: str) -> StoreError:
    return StoreError(
        Problem(
            Reason.CANNOT_READ,
            "this SQLite store cannot be read here: a store in WAL mode can only be opened read-only "
            "by someone who may create its '-shm' file in the same folder (or while a writer has it open).",
            file=shown,
            allowed="write access to the folder for the reader, or a team store in PostgreSQL (see 'For a team' in the README)",
        )
    )


def _prepare(store: Store, backend: str, read_only: bool, shown: str) -> None:
    try:
        store._prepare()
    except StoreError as exc:
        store.close()
        if backend == "sqlite" and read_only and {"read_only", "cannot_open"} & set(exc.codes):
            raise _cannot_read(shown) from None
        raise
    except (OperationalError, DBAPIError) as exc:
        store.close()
        raise store_error_from(exc, shown) from None


def open_store(url: str, read_only: bool = False, *, frameworks: Path | str | None = None) -> Store:
    """Open the store at ``url``; create or upgrade its schema when writable.

    Parameters
    ----------
    url
        ``sqlite:///PATH`` or ``postgresql+psycopg://user:password@host/db`` (the composition
        passes the ``WORKBOOK_DB`` setting; the store reads no settings).
    read_only
        Open read-only; enforced by the connection itself.
    frameworks
        The extra folder of framework files (the ``WORKBOOK_FRAMEWORKS`` setting) where the
        store looks for an inspection's framework, or None for the built-in ones only.

    Returns
    -------
    Store
        The open store; close it with :meth:`Store.close` (or use it in a ``with``).

    Raises
    ------
    StoreError
        ``bad_url``, ``missing_store``, ``cannot_read``, ``cannot_connect``, ``not_a_store``,
        ``schema_too_new``, ``schema_not_ready``, ``malformed_store`` (a writable SQLite file
        failing its quick check) and the like, each saying what to do.
    """
    url_text = str(url)
    parsed = parse_url(url_text)
    backend = parsed.get_backend_name()
    shown = parsed.render_as_string(hide_password=True)
    engine: Any
    if backend == "sqlite":
        engine = sqlite_engine(parsed, read_only)
        if not read_only:
            check_sqlite_file(engine, str(_sqlite_path(parsed, read_only)))
    elif backend == "postgresql":
        engine = postgresql_engine(parsed, read_only, shown)
    else:
        raise _bad_url(f"'{shown}': '{backend}' databases are not supported.", shown)
    store = Store(engine, shown, read_only, frameworks=frameworks)
    _prepare(store, backend, read_only, shown)
    return store
