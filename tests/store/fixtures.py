"""The store tests' fixtures (a pytest plugin, see ``tests/conftest.py``): every test that asks
for ``store_url`` runs twice, on a real SQLite file and on a real PostgreSQL database of the
throwaway server (``tests/pg_server.py``)."""

from __future__ import annotations

from datetime import date

import pytest

from workbook.store import open_store

from .sample import CASES, NAME


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def other_url(request, store_url, tmp_path) -> str:
    """A second empty store on the same backend."""
    if store_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'other.db'}"
    return request.getfixturevalue("pg_server").create_database(
        f"other_{tmp_path.name[-20:]}".replace("-", "_").lower()
    )


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    s.create_inspection(
        NAME,
        "hmip-2018-crc",
        provider="Wales and Wiltshire",
        fieldwork_start=date(2019, 3, 4),
        fieldwork_end=date(2019, 3, 29),
    )
    s.import_cases(NAME, CASES)
    yield s
    s.close()
