"""LduExplorer: one LDU and one standard at a time from the snapshot; only options can be
picked, and a flood of picks costs one view."""

from __future__ import annotations

import asyncio

import pytest
import traitlets

from workbook.report.dashboard import ALL_GROUPS
from workbook.ui.dashboard.explorer import LduExplorer

from .snapshots import small_snapshot


def test_picking_an_ldu_and_a_standard_shows_its_chart_and_table():
    explorer = LduExplorer(small_snapshot())
    assert explorer.group == ALL_GROUPS and explorer.standard == "2.1"
    explorer.group_picker.value = "North"
    table = explorer.view.value.split("<table")[1]
    assert explorer.group == "North" and "North" in table and "South" not in table
    assert 'aria-label="Chart of each key question of 2.1 Assessment' in explorer.view.value
    explorer.standard_picker.value = "2.2"
    assert explorer.standard == "2.2" and "2.2.1" in explorer.view.value


def test_every_pick_a_visitor_can_make_has_its_view_rendered_beforehand():
    snapshot = small_snapshot()
    explorer = LduExplorer(snapshot)
    assert explorer.group_picker.options == (ALL_GROUPS, "East", "North", "South")
    for group in explorer.group_picker.options:
        for _label, sid in explorer.standard_picker.options:
            explorer.group_picker.value, explorer.standard_picker.value = group, sid
            assert explorer.view.value == snapshot["views"][group][sid]
            assert f"{sid}." in explorer.view.value


def test_a_value_that_is_not_an_option_is_refused():
    explorer = LduExplorer(small_snapshot())
    with pytest.raises(traitlets.TraitError):
        explorer.group_picker.value = "<script>alert(1)</script>"
    with pytest.raises(traitlets.TraitError):
        explorer.standard_picker.value = "9.9"
    assert "<script>" not in explorer.view.value


def test_a_flood_of_picks_in_a_kernel_draws_once_the_last_pick():
    async def flood():
        explorer = LduExplorer(small_snapshot(), delay=0.05)
        drawn = explorer.draws
        for i in range(100):
            explorer.group_picker.value = ("North", "South", "East")[i % 3]
        assert explorer.draws == drawn  # nothing sent while the picks keep coming
        await asyncio.sleep(0.2)
        return explorer, drawn

    explorer, drawn = asyncio.run(flood())
    assert explorer.draws == drawn + 1
    assert explorer.group == "North"  # the 100th pick: i = 99
    assert "North" in explorer.view.value.split("<table")[1]


def test_a_newer_snapshot_keeps_the_visitors_picks():
    explorer = LduExplorer(small_snapshot())
    explorer.group_picker.value, explorer.standard_picker.value = "North", "2.2"
    newer = small_snapshot(token="1:2:2")
    newer["views"]["North"]["2.2"] = newer["views"]["North"]["2.2"].replace("2.2.1", "2.2.1 (new)")
    explorer.show(newer)
    assert (explorer.group, explorer.standard) == ("North", "2.2")
    assert "2.2.1 (new)" in explorer.view.value


def test_the_live_region_says_which_view_is_shown_in_the_static_sites_words():
    snapshot = small_snapshot()
    explorer = LduExplorer(snapshot)
    assert "wb-live" in explorer.status._dom_classes
    assert explorer.status.value == "Showing 2.1 Assessment: all LDUs and the whole sample."
    explorer.group_picker.value = "North"
    explorer.standard_picker.value = "2.2"
    assert explorer.status.value == snapshot["statuses"]["North"]["2.2"]
    assert explorer.status.value == "Showing 2.2 Planning: North and the whole sample."
    assert explorer.children == (explorer.heading, explorer.pickers, explorer.status, explorer.view)
    labels = [p.description for p in (explorer.group_picker, explorer.standard_picker)]
    assert labels == ["LDU", "Standard"]
