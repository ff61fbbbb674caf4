"""Throwaway PostgreSQL server for tests (owned by the store work).

A session-scoped server from Debian's binaries (started by
:func:`workbook.bench.store.start_postgres` on 127.0.0.1 and a free port), stopped at the end;
each test that asks for ``pg_url`` gets a fresh database. When the server cannot be started the
tests that need it fail: they are never skipped.
"""

from __future__ import annotations

import itertools
import os

import pytest

from workbook.bench.store import PostgresServer, start_postgres

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> PostgresServer:
    # The cluster lives in its own temporary folder, not under pytest's: pytest makes its
    # per-user folder private (0700) each time any pytest run starts, which would lock the
    # postgres user out of a cluster kept there. The folder is removed when the server stops.
    try:
        server = start_postgres(fsync=False)
    except RuntimeError as exc:
        pytest.fail(f"a throwaway PostgreSQL server could not be started: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer) -> str:
    """A URL of a new, empty database on the session's server."""
    return pg_server.create_database(f"test_{os.getpid()}_{next(_numbers)}")
