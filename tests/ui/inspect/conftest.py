"""Fixtures for the inspectors' components (the demo store fixtures are in tests/ui/conftest.py)."""

import pytest

from workbook.app.inspect import open_workbook


@pytest.fixture
def workbook_parts(demo_url, demo_name, tmp_path, monkeypatch):
    """The inspectors' page on a copy of the demo store; exports go to the test's folder."""
    monkeypatch.setenv("WORKBOOK_EXPORTS", str(tmp_path / "exports"))
    wb = open_workbook(inspector="inspector A", db_url=demo_url)
    yield wb
    wb.close()
