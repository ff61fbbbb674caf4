"""Shared test set-up. Fixtures for the real servers live in their own modules:
``tests/pg_server.py`` (a throwaway PostgreSQL), ``tests/store/fixtures.py`` (every store test
on real SQLite and real PostgreSQL) and ``tests/e2e/servers.py`` (Voilà, JupyterLab, headless
Chromium)."""

import os
from pathlib import Path

import pytest

pytest_plugins = ["tests.pg_server", "tests.store.fixtures", "tests.e2e.servers"]

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("WORKBOOK_TEST_ARTIFACTS", REPO / "test-artifacts"))


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path, monkeypatch):
    """Every test gets its own store folder; nothing is written outside tmp_path."""
    monkeypatch.setenv("WORKBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("WORKBOOK_EXPORTS", str(tmp_path / "exports"))
    monkeypatch.delenv("WORKBOOK_DB", raising=False)
    monkeypatch.delenv("WORKBOOK_MODE", raising=False)
    monkeypatch.delenv("WORKBOOK_FRAMEWORKS", raising=False)


@pytest.fixture
def demo_db(tmp_path) -> str:
    """A store of the test's own holding the demo inspection (its SQLAlchemy URL)."""
    from tests.demo_store import demo_store_url

    return demo_store_url(tmp_path)


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
