"""Blind second rating: the lead inspector gives a case its second rater, only that rater saves
its second answers, which never enter the ratings and which a first rater never sees; real
SQLite and real PostgreSQL (the ``store`` fixture)."""

from __future__ import annotations

import threading

import pytest

from workbook.errors import ConflictError, StoreError
from workbook.store import open_store

from .sample import NAME

LEAD, ANN, BOB, QUINN, VIC = "lead-1", "insp-ann", "insp-bob", "quality-1", "viewer-1"


def make_team(store) -> None:
    """A lead inspector, two inspectors, a quality lead and a viewer; C001 and C003 allocated
    to ann, C002 and C004 to bob."""
    store.add_member(NAME, LEAD, "lead inspector", LEAD)
    for person, role in ((ANN, "inspector"), (BOB, "inspector"), (QUINN, "quality lead")):
        store.add_member(NAME, person, role, LEAD)
    store.add_member(NAME, VIC, "viewer", LEAD)
    for case_id, person in (("C001", ANN), ("C002", BOB), ("C003", ANN), ("C004", BOB)):
        store.allocate(NAME, case_id, person, LEAD)


def code(info) -> str:
    return info.value.problems[0].code


@pytest.fixture
def team(store):
    make_team(store)
    return store


def test_the_lead_gives_a_case_its_second_rater_and_it_is_recorded(team):
    work = team.set_second_rater(NAME, "C001", BOB, LEAD)
    assert work.second_rater == BOB and work.allocated_to == ANN
    entry = [h for h in team.history(NAME, "C001") if h.entity == "second_rater"][-1]
    assert (entry.old, entry.new, entry.by, entry.case_id) == (None, BOB, LEAD, "C001")
    team.set_second_rater(NAME, "C001", QUINN, LEAD)  # a quality lead may second-rate
    assert team.case_status(NAME, "C001").second_rater == QUINN
    entry = [h for h in team.history(NAME, "C001") if h.entity == "second_rater"][-1]
    assert (entry.old, entry.new) == (BOB, QUINN)
    team.set_second_rater(NAME, "C001", None, LEAD)
    assert team.case_status(NAME, "C001").second_rater is None


@pytest.mark.parametrize(
    ("person", "by", "expected"),
    [
        (BOB, ANN, "role_not_allowed"),  # only a lead inspector gives second raters
        (BOB, QUINN, "role_not_allowed"),
        (BOB, "stranger", "not_a_member"),
        ("stranger", LEAD, "not_a_member"),
        (VIC, LEAD, "role_not_allowed"),  # a viewer rates nothing
        (ANN, LEAD, "second_rater_is_first"),  # C001 is ann's
    ],
)
def test_who_may_give_and_be_a_second_rater(team, person, by, expected):
    with pytest.raises(StoreError) as info:
        team.set_second_rater(NAME, "C001", person, by)
    assert code(info) == expected
    assert team.case_status(NAME, "C001").second_rater is None
    assert not [h for h in team.history(NAME) if h.entity == "second_rater"]


def test_an_unknown_case_is_refused(team):
    with pytest.raises(StoreError) as info:
        team.set_second_rater(NAME, "C999", BOB, LEAD)
    assert code(info) == "unknown_case"


def test_only_the_second_rater_saves_a_second_rating(team):
    with pytest.raises(StoreError) as info:  # no second rater yet
        team.save_second_judgement(NAME, "C001", "2.1.1", "yes", BOB)
    assert code(info) == "not_second_rater" and "no second rater" in str(info.value)
    team.set_second_rater(NAME, "C001", BOB, LEAD)
    for person in (ANN, QUINN, LEAD, "stranger"):
        with pytest.raises(StoreError) as info:
            team.save_second_judgement(NAME, "C001", "2.1.1", "yes", person)
        assert code(info) == "not_second_rater" and BOB in str(info.value)
    saved = team.save_second_judgement(NAME, "C001", "2.1.1", "no", BOB, note="no plan")
    assert saved.changed and saved.judgement.version == 1 and saved.judgement.inspector == BOB
    entry = [h for h in team.history(NAME, "C001") if h.entity == "second"][-1]
    assert (entry.key, entry.old, entry.new, entry.new_note, entry.by, entry.version) == (
        "C001 2.1.1",
        None,
        "no",
        "no plan",
        BOB,
        1,
    )


def test_a_second_answer_is_checked_like_a_first_one(team):
    team.set_second_rater(NAME, "C001", BOB, LEAD)
    with pytest.raises(StoreError) as info:
        team.save_second_judgement(NAME, "C001", "9.9.9", "yes", BOB)
    assert code(info) == "unknown_key_question"
    with pytest.raises(StoreError) as info:
        team.save_second_judgement(NAME, "C001", "2.1.1", "perhaps", BOB)
    assert code(info) == "unknown_answer"
    with pytest.raises(StoreError) as info:
        team.save_second_judgement(NAME, "C001", "2.1.1", "not applicable", BOB)
    assert code(info) == "answer_not_allowed"
    assert team.second_judgements(NAME) == {}


def test_second_ratings_have_versions_and_conflicts(team):
    team.set_second_rater(NAME, "C002", ANN, LEAD)
    team.save_second_judgement(NAME, "C002", "2.1.1", "yes", ANN, expect_version=0)
    same = team.save_second_judgement(NAME, "C002", "2.1.1", "yes", ANN, expect_version=1)
    assert not same.changed and same.judgement.version == 1
    team.save_second_judgement(NAME, "C002", "2.1.1", "no", ANN, expect_version=1)
    before = team.history(NAME)
    with pytest.raises(ConflictError) as info:
        team.save_second_judgement(NAME, "C002", "2.1.1", "yes", ANN, expect_version=1)
    assert info.value.current_version == 2 and info.value.current_value == "no"
    assert team.history(NAME) == before
    cleared = team.save_second_judgement(NAME, "C002", "2.1.1", None, ANN)
    assert cleared.changed and cleared.judgement.answer is None
    assert team.second_judgements(NAME, "C002")[("C002", "2.1.1")].version == 3


def test_second_ratings_never_change_the_first_answers(team):
    team.save_judgement(NAME, "C001", "2.1.1", "yes", ANN)
    team.save_judgement(NAME, "C001", "2.1.2", "no", ANN)
    before = team.judgements(NAME).drop(columns=["saved_at"])
    team.set_second_rater(NAME, "C001", BOB, LEAD)
    team.save_second_judgement(NAME, "C001", "2.1.1", "no", BOB)
    team.save_second_judgement(NAME, "C001", "2.1.3", "yes", BOB)
    after = team.judgements(NAME).drop(columns=["saved_at"])
    assert after.equals(before)
    assert team.case_judgements(NAME, "C001")["2.1.1"].answer == "yes"
    assert "2.1.3" not in team.case_judgements(NAME, "C001")


def test_a_rater_sees_only_their_own_second_answers(team):
    team.save_judgement(NAME, "C001", "2.1.1", "yes", ANN)
    team.set_second_rater(NAME, "C001", BOB, LEAD)
    team.set_second_rater(NAME, "C002", ANN, LEAD)
    team.save_second_judgement(NAME, "C001", "2.1.1", "no", BOB)
    team.save_second_judgement(NAME, "C002", "2.1.1", "yes", ANN)
    bobs = team.second_judgements(NAME, person=BOB)
    assert list(bobs) == [("C001", "2.1.1")] and bobs["C001", "2.1.1"].answer == "no"
    # the first rater of C001 sees no second answer of it
    assert team.second_judgements(NAME, "C001", person=ANN) == {}
    for person in (LEAD, QUINN):
        assert set(team.second_judgements(NAME, person=person)) == {
            ("C001", "2.1.1"),
            ("C002", "2.1.1"),
        }
    assert set(team.second_judgements(NAME, "C002")) == {("C002", "2.1.1")}


def test_a_locked_case_refuses_second_ratings(team):
    fw = team.framework(NAME)
    team.set_second_rater(NAME, "C001", BOB, LEAD)
    rows = [
        ("C001", kq.id, "yes", ANN)
        for standard in fw.standards_for_sample("case_supervision")
        for kq in standard.key_questions
    ]
    team.save_judgements(NAME, rows)
    team.sign_off(NAME, "C001", ANN)
    team.lock(NAME, "C001", LEAD)
    with pytest.raises(StoreError) as info:
        team.save_second_judgement(NAME, "C001", "2.1.1", "no", BOB)
    assert code(info) == "case_locked"
    assert team.second_judgements(NAME) == {}


def test_a_case_allocated_to_its_second_rater_since_is_refused(team):
    team.set_second_rater(NAME, "C001", BOB, LEAD)
    team.allocate(NAME, "C001", BOB, LEAD)  # reallocated to its second rater
    with pytest.raises(StoreError) as info:
        team.save_second_judgement(NAME, "C001", "2.1.1", "no", BOB)
    assert code(info) == "second_rater_is_first"


def test_without_a_team_only_the_named_second_rater_saves(store):
    work = store.set_second_rater(NAME, "C003", "someone", "anyone")
    assert work.second_rater == "someone"
    with pytest.raises(StoreError) as info:
        store.save_second_judgement(NAME, "C003", "2.1.1", "yes", "someone-else")
    assert code(info) == "not_second_rater"
    assert store.save_second_judgement(NAME, "C003", "2.1.1", "yes", "someone").changed


@pytest.mark.parametrize("start_version", [0, 1])
def test_two_sessions_of_the_second_rater_from_one_version_exactly_one_wins(
    team, store_url, start_version
):
    """The second rater saves the same second answer from two connections at the same moment
    (two open forms), both from the version they saw: each time exactly one wins."""
    team.set_second_rater(NAME, "C002", ANN, LEAD)
    questions = ["2.1.1", "2.1.2", "2.1.3", "2.2.1", "2.2.2", "2.2.3"]
    if start_version:
        for q in questions:
            team.save_second_judgement(NAME, "C002", q, "yes", ANN)
    stores = [open_store(store_url), open_store(store_url)]
    try:
        for q in questions:
            barrier = threading.Barrier(2)
            outcome: dict[int, object] = {}

            def save(n, answer, q=q, barrier=barrier, outcome=outcome):
                barrier.wait()
                try:
                    outcome[n] = stores[n].save_second_judgement(
                        NAME, "C002", q, answer, ANN, note=f"form {n}", expect_version=start_version
                    )
                except ConflictError as exc:
                    outcome[n] = exc

            threads = [
                threading.Thread(target=save, args=(n, a)) for n, a in ((0, "no"), (1, "no"))
            ]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            winners = [n for n, o in outcome.items() if not isinstance(o, BaseException)]
            conflicts = [n for n, o in outcome.items() if isinstance(o, ConflictError)]
            assert len(winners) == 1 and len(conflicts) == 1, outcome
            stored = team.second_judgements(NAME, "C002")[("C002", q)]
            assert stored.note == f"form {winners[0]}" and stored.version == start_version + 1
    finally:
        for s in stores:
            s.close()
