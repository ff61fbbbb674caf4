"""Fixtures for the inspectors' components (the demo store fixtures are in tests/ui/conftest.py)."""

import pytest

from workbook.app.inspect import open_workbook


@pytest.fixture
def workbook_parts(demo_url, demo_name):
    wb = open_workbook(inspector="inspector A", db_url=demo_url)
    yield wb
    wb.close()
