"""Fixtures for the inspectors' workbook components: a real SQLite store holding the demo
inspection, built once per session and copied into each test's own folder."""

import shutil
from pathlib import Path

import pytest

from workbook.config import DEMO_INSPECTION
from workbook.demo import ensure_demo
from workbook.store import open_store


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A SQLite file with the demo inspection (98 case-supervision cases, 25 unpaid work, 18
    Through the Gate), loaded through the store once for the session."""
    path = tmp_path_factory.mktemp("demo-store") / "workbook.db"
    store = open_store(f"sqlite:///{path}")
    ensure_demo(store)
    store.close()
    return path


@pytest.fixture
def demo_url(demo_db, tmp_path) -> str:
    """The demo store copied to this test's WORKBOOK_HOME (the settings' default store)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    shutil.copy(demo_db, home / "workbook.db")
    return f"sqlite:///{home / 'workbook.db'}"


@pytest.fixture
def demo_store(demo_url):
    store = open_store(demo_url)
    yield store
    store.close()


@pytest.fixture
def demo_name() -> str:
    return DEMO_INSPECTION
