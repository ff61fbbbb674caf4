"""LduExplorer: one LDU and one standard at a time; only options can be picked."""

from __future__ import annotations

import pytest
import traitlets

from tests.app.test_dashboard import _figures
from workbook.report.dashboard import ALL_GROUPS
from workbook.ui.dashboard.explorer import LduExplorer


def test_picking_an_ldu_and_a_standard_redraws_the_chart_and_its_table():
    framework, f = _figures()
    explorer = LduExplorer(framework, f)
    assert explorer.group == ALL_GROUPS and explorer.standard == "2.1"
    explorer.group_picker.value = "North"
    table = explorer.view.value.split("<table")[1]
    assert explorer.group == "North" and "North" in table and "South" not in table
    assert 'aria-label="Chart of each key question of 2.1 Assessment' in explorer.view.value
    explorer.standard_picker.value = "2.2"
    assert explorer.standard == "2.2" and "2.2.1" in explorer.view.value


def test_a_value_that_is_not_an_option_is_refused():
    framework, f = _figures()
    explorer = LduExplorer(framework, f)
    with pytest.raises(traitlets.TraitError):
        explorer.group_picker.value = "<script>alert(1)</script>"
    assert "<script>" not in explorer.view.value
