"""The lead inspector's console against a real SQLite store with a team (a lead, a quality lead,
two inspectors and a local assessor): every table (progress by inspector, LDU, sample and
standard; unresolved queries; probe further; rater spread; second-rating agreement) and every
control (allocate evenly, allocate one case, second rater, adjudicate), the store's refusals
shown in the console, and the live path: another Store on the same file saves, the
follower's check() brings it in."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from workbook.store import open_store
from workbook.ui.inspect.console import LeadConsole, age_words, person_words
from workbook.ui.inspect.live import LiveFollower

NAME = "team-2026"
TEAM = (
    ("quinn", "quality lead"),
    ("alice", "inspector"),
    ("bob", "inspector"),
    ("carol", "local assessor"),
)


def team_inspection(store, demo_name, cs: int = 30, uw: int = 6, allocate: bool = True):
    """A new inspection of the demo's first ``cs`` case-supervision and ``uw`` unpaid-work
    cases (ids T-001...), with the team; allocated round robin to alice, bob and carol.
    Returns {person: [case ids]}."""
    cases = store.cases(demo_name)
    picked = pd.concat(
        [
            cases[cases["sample"] == "case_supervision"].head(cs),
            cases[cases["sample"] == "unpaid_work"].head(uw),
        ]
    ).drop(columns=["inspector"])
    picked["case_id"] = [f"T-{i:03d}" for i in range(1, len(picked) + 1)]
    store.create_inspection(NAME, store.framework(demo_name), provider="Team CRC")
    store.import_cases(NAME, picked)
    store.add_member(NAME, "lead", "lead inspector", by="lead")
    for person, role in TEAM:
        store.add_member(NAME, person, role, by="lead")
    mine = {"alice": [], "bob": [], "carol": []}
    if allocate:
        for i, cid in enumerate(picked["case_id"]):
            person = ("alice", "bob", "carol")[i % 3]
            store.allocate(NAME, cid, person, by="lead")
            mine[person].append(cid)
    return mine


def questions_of(store, case_id: str) -> list[str]:
    fw = store.framework(NAME)
    sample = store.cases(NAME).set_index("case_id").at[case_id, "sample"]
    return [kq.id for std in fw.standards_for_sample(sample) for kq in std.key_questions]


def answer_all(store, case_id: str, who: str, answer: str = "yes", sign: bool = True, **only):
    """Answer every key question of the case (``only``: {question id with dots as _: answer})."""
    wanted = {k.replace("_", "."): v for k, v in only.items()}
    rows = [(case_id, q, wanted.get(q, answer)) for q in questions_of(store, case_id)]
    store.save_judgements(NAME, rows, inspector=who)
    if sign:
        store.sign_off(NAME, case_id, by=who)


@pytest.fixture
def team(demo_store, demo_name):
    mine = team_inspection(demo_store, demo_name)
    return demo_store, mine


def _row(console, key: str, first: str) -> list[str]:
    return next(r for r in console.rows(key) if r[0] == first)


def test_helpers_in_words():
    from datetime import UTC, datetime, timedelta

    t = datetime(2026, 5, 1, 12, tzinfo=UTC)
    assert age_words(t, t + timedelta(seconds=30)) == "just now"
    assert age_words(t, t + timedelta(minutes=1)) == "1 minute"
    assert age_words(t, t + timedelta(hours=5, minutes=3)) == "5 hours"
    assert age_words(t, t + timedelta(days=2, hours=1)) == "2 days"
    roles = {"carol": "local_assessor", "alice": "inspector"}
    assert person_words("carol", roles) == "carol (local assessor)"
    assert person_words("alice", roles) == "alice"
    assert person_words(None, roles) == "not allocated"


def test_the_lead_gets_every_table_and_control_and_the_quality_lead_the_tables(team):
    store, _ = team
    lead = LeadConsole(store, NAME, person="lead")
    assert lead.lead and lead.role == "lead_inspector"
    assert lead.allocation_controls in lead.children
    assert lead.adjudication_controls in lead.children
    assert not any(c.disabled for c in lead._controls)
    for control in lead._controls:  # every control named
        assert control.description.strip(), control
    quinn = LeadConsole(store, NAME, person="quinn")
    assert not quinn.lead and quinn.role == "quality_lead"
    assert quinn.allocation_controls not in quinn.children
    assert quinn.adjudication_controls not in quinn.children
    assert all(c.disabled for c in quinn._controls)
    assert (
        "quality lead" in quinn.heading.value and "Only the lead inspector" in quinn.heading.value
    )
    html = "".join(w.value for w in (lead.progress, lead.queries, lead.probes, lead.spread))
    html += lead.agreement.value
    tables = re.findall(r"<table[^>]*>", html)
    assert len(tables) == 4  # the progress tables; the others are empty: a sentence each
    assert html.count("<caption>") == len(tables)  # every table has a caption
    assert "Queries not yet resolved: none" in lead.queries.value
    assert "Queries by inspector and standard: no queries yet" in lead.queries.value
    assert lead.rows("query-counts") == []
    assert 'scope="col"' in html and 'scope="row"' in html


def test_progress_by_inspector_ldu_sample_and_standard(team):
    store, mine = team
    alice = mine["alice"]
    answer_all(store, alice[0], "alice")  # complete
    answer_all(store, alice[1], "alice", sign=False)  # started
    store.save_judgement(NAME, mine["bob"][0], "2.1.1", "yes", "bob")  # started
    answer_all(store, mine["carol"][0], "carol")
    store.lock(NAME, mine["carol"][0], by="lead")
    console = LeadConsole(store, NAME, person="lead")
    header = console.tables["progress-inspector"]["columns"]
    assert header == [
        "Inspector",
        "Cases",
        "Allocated",
        "In progress",
        "Complete",
        "Quality assured",
        "Locked",
        "Key questions answered",
    ]
    n_alice = len(alice)
    row = _row(console, "progress-inspector", "alice")
    assert row[1:7] == [str(n_alice), str(n_alice), "1", "1", "0", "0"]
    assert _row(console, "progress-inspector", "bob")[3] == "1"
    carol = _row(console, "progress-inspector", "carol (local assessor)")
    assert carol[6] == "1"  # locked
    assert _row(console, "progress-inspector", "lead")[1] == "0"  # a lead with no case
    assert [r[0] for r in console.rows("progress-inspector")][:4] == [
        "lead",
        "alice",
        "bob",
        "carol (local assessor)",
    ]
    samples = {r[0]: r for r in console.rows("progress-sample")}
    assert samples["Case supervision"][1] == "30" and samples["Unpaid work"][1] == "6"
    standards = {r[0].split()[0]: r for r in console.rows("progress-standard")}
    assert standards["2.1"][1] == "30" and standards["4.1"][1] == "6"
    assert sum(int(r[1]) for r in console.rows("progress-ldu")) == 36
    assert [console.tables[f"progress-{k}"]["columns"][0] for k in ("ldu", "sample")] == [
        "LDU",
        "Sample",
    ]
    case_ldu = store.cases(NAME).set_index("case_id").at[alice[0], "ldu"]
    assert int(_row(console, "progress-ldu", case_ldu)[4]) >= 1  # the complete case's LDU
    assert "Progress by inspector" in console.progress.value


def test_allocate_evenly_allocates_the_unallocated_cases_with_the_seed(demo_store, demo_name):
    team_inspection(demo_store, demo_name, cs=12, uw=0, allocate=False)
    console = LeadConsole(demo_store, NAME, person="lead")
    assert _row(console, "progress-inspector", "not allocated")[1] == "12"
    console.seed.value = 7
    console.allocate_evenly_button.click()
    assert console.feedback.kind == "status" and "Allocated 12 cases" in console.feedback.text
    work = demo_store.case_work(NAME)
    counts = pd.Series([w.allocated_to for w in work.values()]).value_counts()
    assert sorted(counts.index) == ["alice", "bob", "carol"] and set(counts) == {4}
    for person in ("alice", "bob"):
        assert _row(console, "progress-inspector", person)[2] == "4"
    assert _row(console, "progress-inspector", "carol (local assessor)")[2] == "4"
    assert not any(r[0] == "not allocated" for r in console.rows("progress-inspector"))


def test_allocating_one_case_reallocates_it_recorded_and_refusals_are_shown(team):
    store, mine = team
    case = mine["alice"][0]
    console = LeadConsole(store, NAME, person="lead")
    console.case_choice.value = case
    console.person_choice.value = "bob"
    console.allocate_button.click()
    assert store.case_status(NAME, case).allocated_to == "bob"
    assert f"Case {case} allocated to bob." in console.feedback.text
    moves = [e for e in store.history(NAME, case) if e.entity == "allocation"]
    assert (moves[-1].old, moves[-1].new, moves[-1].by) == ("alice", "bob", "lead")
    assert any(label.startswith(f"{case} (bob)") for label, _ in console.case_choice.options)
    quinn = LeadConsole(store, NAME, person="quinn")  # the store refuses, the console says so
    quinn.case_choice.value, quinn.person_choice.value = case, "alice"
    assert not quinn.allocate()
    assert quinn.feedback.kind == "problems" and "quinn" in quinn.feedback.text
    assert store.case_status(NAME, case).allocated_to == "bob"


def test_queries_and_probes_tables(team):
    store, mine = team
    case = mine["alice"][0]
    answer_all(store, case, "alice")
    query = store.open_query(NAME, case, "quinn", "Is the risk assessment current?", "2.1.2")
    store.open_query(NAME, mine["bob"][0], "lead", "Check the whole case")
    store.flag_probe(NAME, mine["carol"][1], "carol", "Safeguarding contact unclear")
    console = LeadConsole(store, NAME, person="lead")
    assert console.tables["queries"]["columns"] == [
        "Case",
        "Key question",
        "Query",
        "State",
        "Opened by",
        "Case of",
        "Age",
    ]
    assert _row(console, "queries", case) == [
        case,
        "2.1.2",
        "Is the risk assessment current?",
        "open",
        "quinn",
        "alice",
        "just now",
    ]
    assert _row(console, "queries", mine["bob"][0])[1] == "whole case"
    assert console.rows("probes") == [
        [mine["carol"][1], "carol (local assessor)", "not started", "Safeguarding contact unclear"]
    ]
    store.resolve_query(NAME, query.id, "quinn")
    console.reload()
    assert [r[0] for r in console.rows("queries")] == [mine["bob"][0]]


def test_queries_counted_per_inspector_and_standard_and_refreshed_live(team, demo_url):
    store, mine = team
    alice, bob, carol = mine["alice"], mine["bob"], mine["carol"]
    first = store.open_query(NAME, alice[0], "quinn", "Is the plan on file?", "2.1.1")
    store.open_query(NAME, alice[1], "quinn", "Which risk assessment?", "2.1.2")
    store.reply_query(NAME, first.id, "alice", "On page 3.")
    store.resolve_query(NAME, first.id, "quinn", "Thanks")
    replied = store.open_query(NAME, bob[0], "lead", "Contact often enough?", "2.2.1")
    store.reply_query(NAME, replied.id, "bob", "Weekly.")
    store.open_query(NAME, carol[0], "quinn", "Whole case: the dates?")
    store.open_query(NAME, carol[0], "quinn", "Is the risk of harm assessed?", "2.1.2")
    store.allocate(NAME, carol[1], None, by="lead")
    store.open_query(NAME, carol[1], "quinn", "Who has this case?")
    console = LeadConsole(store, NAME, person="quinn")  # the quality lead sees it too
    table = console.tables["query-counts"]
    assert table["caption"] == "Queries by inspector and standard"
    assert table["columns"] == ["Inspector", "Standard", "Open", "Answered", "Resolved"]
    assert console.rows("query-counts") == [  # the team's order, the framework's, a case last
        ["alice", "2.1 Assessment", "1", "0", "1"],
        ["bob", "2.2 Planning", "0", "1", "0"],
        ["carol (local assessor)", "2.1 Assessment", "1", "0", "0"],
        ["carol (local assessor)", "whole case", "1", "0", "0"],
        ["not allocated", "whole case", "1", "0", "0"],
    ]
    html = console.queries.value
    assert "<caption>Queries by inspector and standard</caption>" in html
    assert '<th scope="row">carol (local assessor)</th><td>whole case</td>' in html
    follower = LiveFollower.open(store, NAME)
    follower.on_change(console.apply_changes)
    other = open_store(demo_url)  # another session resolves bob's query and opens one on his case
    try:
        other.resolve_query(NAME, replied.id, "quinn", "Agreed")
        other.open_query(NAME, bob[1], "quinn", "The review date?", "2.2.1")
    finally:
        other.close()
    assert follower.check()
    follower.close()
    assert _row(console, "query-counts", "bob") == ["bob", "2.2 Planning", "1", "0", "1"]


def test_rater_spread_flags_an_inspector_far_harsher_and_marks_the_local_assessor(team):
    store, mine = team
    for person, cases in mine.items():
        for case in cases:
            if store.cases(NAME).set_index("case_id").at[case, "sample"] != "case_supervision":
                continue
            answer_all(
                store, case, person, sign=False, **({"2_1_1": "no"} if person == "alice" else {})
            )
    console = LeadConsole(store, NAME, person="lead")
    flagged = console.rows("spread-flagged")
    # alice answers No on every case, so against her the others are kinder (50% of 20 Yes)
    assert [(r[0], r[1], r[6]) for r in flagged] == [
        ("2.1.1", "alice", "harsher than the rest of the team (fewer Yes)"),
        ("2.1.1", "bob", "kinder than the rest of the team (more Yes)"),
        ("2.1.1", "carol (local assessor)", "kinder than the rest of the team (more Yes)"),
    ]
    assert flagged[0][2:6] == ["0 of 10", "0%", "0% to 28%", "100% of 20"]
    assert flagged[1][5] == "50% of 20"
    assert (
        'data-flag="harsher"' in console.spread.value
        and "wb-console__flagged" in console.spread.value
    )
    assert '<details class="wb-console__more"><summary>Show: Each inspector' in console.spread.value
    every = {(r[0], r[1]): r for r in console.rows("spread")}
    assert every[("2.1.2", "carol (local assessor)")][6] == "in line with the rest of the team"
    assert every[("2.1.2", "alice")][6] == "in line with the rest of the team"


def test_second_rater_agreement_and_adjudication(team):
    store, mine = team
    cases = mine["alice"][:3]
    console = LeadConsole(store, NAME, person="lead")
    console.second_case.value = cases[0]
    console.second_choice.value = "alice"  # her own case: refused, shown
    console.second_button.click()
    assert console.feedback.kind == "problems" and "alice" in console.feedback.text
    for case in cases:
        console.second_case.value = case
        console.second_choice.value = "bob"
        console.second_button.click()
        assert console.feedback.kind == "status", console.feedback.text
        assert store.case_status(NAME, case).second_rater == "bob"
        answer_all(store, case, "alice", sign=False)
        for q in ("2.1.1", "2.1.2"):
            second = "no" if (case, q) == (cases[0], "2.1.1") else "yes"
            store.save_second_judgement(NAME, case, q, second, "bob")
    console.reload()
    rows = {r[0]: r for r in console.rows("agreement")}
    assert rows["2.1.1"][1:4] == ["3", "2", "67%"]
    assert rows["2.1.2"][1:4] == ["3", "3", "100%"]
    assert rows["All key questions"][1:4] == ["6", "5", "83%"]
    assert console.rows("agreement-pairs")[0][:2] == ["alice and bob", "6"]
    assert console.rows("disagreements") == [
        [cases[0], "2.1.1", "alice: Yes", "bob: No", "not yet"]
    ]
    assert console.disagreement_choice.value == (cases[0], "2.1.1")
    assert [v for _, v in console.final_choice.options] == ["yes", "no"]
    console.final_choice.value = "no"
    console.adjudicate_button.click()  # no reason: refused
    assert console.feedback.kind == "problems" and "reason" in console.feedback.text.lower()
    console.adjudicate_reason.value = "The plan omits the risk to the child"
    console.adjudicate_button.click()
    assert console.feedback.kind == "status", console.feedback.text
    assert store.case_judgements(NAME, cases[0])["2.1.1"].answer == "no"
    assert (
        console.rows("disagreements")[0][4] == "No, by lead: The plan omits the risk to the child"
    )
    assert console.adjudicate_reason.value == ""


def test_live_changes_from_another_store_reach_the_console(team, demo_url):
    store, mine = team
    console = LeadConsole(store, NAME, person="lead")
    follower = LiveFollower.open(store, NAME)
    follower.on_change(console.apply_changes)
    before = console.updates
    assert follower.check() == [] and console.updates == before  # nothing changed: no read
    other = open_store(demo_url)
    try:
        answer_all(other, mine["bob"][0], "bob")
        other.open_query(NAME, mine["bob"][0], "quinn", "Why Yes on 2.1.1?", "2.1.1")
    finally:
        other.close()
    entries = follower.check()
    follower.close()
    assert entries and console.updates == before + 1  # one read for the batch
    assert _row(console, "progress-inspector", "bob")[4] == "1"
    assert _row(console, "queries", mine["bob"][0])[2] == "Why Yes on 2.1.1?"
    assert not console.apply_changes([])
