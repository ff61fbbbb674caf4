"""The quality lead's panel against a real SQLite store with a team: the dip sample drawn with
the seed, size and minimum per inspector; its cases' table; queries opened on a judgement or
the whole case; the inspector's reply seen; resolved; quality assured only without an open
query; the store's refusals in the panel's feedback; the live path from another Store."""

from __future__ import annotations

import re

import pytest

from tests.ui.inspect.test_console import NAME, answer_all, team_inspection
from workbook.store import open_store
from workbook.ui.inspect.live import LiveFollower
from workbook.ui.inspect.qa_panel import QaPanel


@pytest.fixture
def team(demo_store, demo_name):
    """The team inspection with two complete cases of each of alice, bob and carol."""
    mine = team_inspection(demo_store, demo_name, cs=18, uw=0)
    for person, cases in mine.items():
        for case in cases[:2]:
            answer_all(demo_store, case, person)
    return demo_store, mine


def _complete(mine):
    return sorted(c for cases in mine.values() for c in cases[:2])


def test_the_panels_controls_are_named_and_follow_the_role(team):
    store, _ = team
    panel = QaPanel(store, NAME, person="quinn", size=4, per_inspector=1)
    assert panel.reviewing and panel.role == "quality_lead"
    assert (panel.size.value, panel.per_inspector.value) == (4, 1)  # the settings' defaults
    for control in panel.controls:
        assert control.description.strip(), control
        assert not control.disabled
    assert "No dip sample drawn yet." in panel.heading.value
    assert "The dip sample&#39;s cases: no case drawn yet" in panel.sample.value
    alice = QaPanel(store, NAME, person="alice")
    assert not alice.reviewing and all(c.disabled for c in alice.controls)
    assert not alice.draw()  # the store refuses even where a stale page offers it
    assert alice.feedback.kind == "problems" and "alice" in alice.feedback.text
    assert store.dip_sample(NAME) == []


def test_drawing_a_dip_sample_lists_its_cases_with_their_status(team):
    store, mine = team
    panel = QaPanel(store, NAME, person="quinn", size=3, per_inspector=1)
    panel.seed.value = 11
    panel.draw_button.click()
    assert panel.feedback.kind == "status", panel.feedback.text
    drawn = store.dip_sample(NAME)
    assert panel.dip == drawn and len(drawn) == 3
    assert set(drawn) <= set(_complete(mine))
    owners = {p for p, cases in mine.items() for c in cases if c in drawn}
    assert owners == {"alice", "bob", "carol"}  # at least one of each inspector's
    assert f"Drew 3 cases: {', '.join(drawn)}." == panel.feedback.text
    rows = panel.rows("dip-sample")
    assert [r[0] for r in rows] == drawn
    assert {r[4] for r in rows} == {"complete"} and {r[5] for r in rows} == {"0"}
    assert {r[3] for r in rows} == {"Case supervision"}
    assert any(r[1] == "carol (local assessor)" for r in rows)
    html = panel.sample.value
    assert "<caption>The dip sample&#39;s cases</caption>" in html and 'scope="row"' in html
    assert "3 cases in the dip sample." in panel.heading.value
    assert [v for _, v in panel.case_choice.options][:3] == drawn  # the dip sample first
    panel.draw_button.click()  # the rest are drawn next; then nothing is waiting
    panel.draw_button.click()
    assert "No case drawn" in panel.feedback.text


def test_a_query_on_a_judgement_replied_resolved_then_quality_assured(team):
    store, mine = team
    case = mine["alice"][0]
    panel = QaPanel(store, NAME, person="quinn")
    panel.case_choice.value = case
    questions = [v for _, v in panel.question_choice.options]
    assert questions[0] == "" and "2.1.1" in questions and "2.4.3" in questions
    panel.question_choice.value = "2.1.1"
    panel.open_button.click()  # no text: refused by the store
    assert panel.feedback.kind == "problems" and "query" in panel.feedback.text.lower()
    panel.query_text.value = "Is the assessment of risk to others evidenced?"
    panel.open_button.click()
    assert panel.feedback.kind == "status" and "opened on case" in panel.feedback.text
    assert panel.query_text.value == ""
    [query] = store.queries(NAME, case_id=case)
    assert (query.question, query.opened_by, query.state) == ("2.1.1", "quinn", "open")
    row = panel.rows("qa-queries")[0]
    assert row[:6] == [
        f"Query {query.id}",
        case,
        "2.1.1",
        "Is the assessment of risk to others evidenced?",
        "open",
        "",
    ]
    assert row[6:] == ["alice", "just now"]
    panel.assure_button.click()  # an open query: not yet
    assert panel.feedback.kind == "problems" and "open query" in panel.feedback.text
    store.reply_query(NAME, query.id, "alice", "Yes: the OASys review of March")
    panel.reload()
    assert panel.rows("qa-queries")[0][4:6] == ["answered", "Yes: the OASys review of March"]
    assert panel.query_choice.value == query.id
    panel.resolution.value = "Evidence found"
    panel.resolve_button.click()
    assert panel.feedback.text == f"Query {query.id} on case {case} resolved."
    assert store.queries(NAME, case_id=case)[0].state == "resolved"
    assert panel.rows("qa-queries") == [] and panel.query_choice.options == ()
    panel.case_choice.value = case
    panel.assure_button.click()
    assert store.case_status(NAME, case).status == "quality_assured"
    assert f"Case {case} is quality assured." == panel.feedback.text


def test_a_query_on_the_whole_case_and_its_count_in_the_dip_sample(team):
    store, mine = team
    panel = QaPanel(store, NAME, person="lead", size=1, per_inspector=0)
    panel.draw()
    [case] = panel.dip
    panel.case_choice.value = case
    panel.question_choice.value = ""
    panel.query_text.value = "The case record is missing the last review"
    assert panel.open_query()
    assert panel.rows("qa-queries")[0][2] == "whole case"
    assert panel.rows("dip-sample")[0][5] == "1"
    assert not panel.resolve_button.disabled
    assert re.search(r"Query \d+: case " + case, panel.query_choice.options[0][0])


def test_live_changes_from_another_store_reach_the_panel(team, demo_url):
    store, mine = team
    panel = QaPanel(store, NAME, person="quinn")
    follower = LiveFollower.open(store, NAME)
    follower.on_change(panel.apply_changes)
    before = panel.updates
    assert follower.check() == [] and panel.updates == before
    other = open_store(demo_url)
    try:
        other.draw_dip_sample(NAME, "lead", seed=3, size=2, per_inspector=0)
        other.open_query(NAME, mine["bob"][0], "lead", "Check the plan", "2.2.1")
    finally:
        other.close()
    assert follower.check()
    follower.close()
    assert panel.updates == before + 1 and len(panel.dip) == 2
    assert panel.rows("qa-queries")[0][1:4] == [mine["bob"][0], "2.2.1", "Check the plan"]
