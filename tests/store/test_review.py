"""The lead inspector's adjudication of second ratings, the pairs of ratings for agreement, and
the counts of quality-assurance queries; real SQLite and real PostgreSQL."""

from __future__ import annotations

import pytest

from workbook.errors import StoreError
from workbook.ratings import rate

from .sample import NAME
from .test_second_rating import ANN, BOB, LEAD, QUINN, code, make_team


@pytest.fixture
def rated(store):
    """C001 (ann's) rated first and second (by bob): 2.1.1 differs, 2.1.2 agrees; 2.1.3 has
    only a second rating; C002 (bob's) has 2.1.1 rated first only."""
    make_team(store)
    store.save_judgement(NAME, "C001", "2.1.1", "yes", ANN, note="plan in place")
    store.save_judgement(NAME, "C001", "2.1.2", "no", ANN)
    store.save_judgement(NAME, "C002", "2.1.1", "yes", BOB)
    store.set_second_rater(NAME, "C001", BOB, LEAD)
    store.save_second_judgement(NAME, "C001", "2.1.1", "no", BOB)
    store.save_second_judgement(NAME, "C001", "2.1.2", "no", BOB)
    store.save_second_judgement(NAME, "C001", "2.1.3", "yes", BOB)
    return store


def _pairs(store) -> list[tuple]:
    return sorted(tuple(r) for r in store.rating_pairs(NAME).itertuples(index=False))


def test_rating_pairs_are_one_row_per_second_rating(rated):
    frame = rated.rating_pairs(NAME)
    assert list(frame.columns) == [
        "case_id",
        "question",
        "first_rater",
        "first",
        "second_rater",
        "second",
    ]
    assert _pairs(rated) == [
        ("C001", "2.1.1", ANN, "yes", BOB, "no"),
        ("C001", "2.1.2", ANN, "no", BOB, "no"),
        ("C001", "2.1.3", None, None, BOB, "yes"),
    ]


def test_the_final_enters_the_judgements_and_the_ratings(rated):
    fw = rated.framework(NAME)
    before = rate(fw, rated.judgements(NAME)).key_questions["2.1.1"]
    assert (before.yes, before.no) == (2, 0)
    result = rated.adjudicate(NAME, "C001", "2.1.1", "no", "no plan on file", LEAD)
    assert result.changed and result.judgement.answer == "no"
    assert result.previous.answer == "yes" and result.previous.inspector == ANN
    after = rate(fw, rated.judgements(NAME)).key_questions["2.1.1"]
    assert (after.yes, after.no) == (1, 1)
    stored = rated.case_judgements(NAME, "C001")["2.1.1"]
    assert (stored.answer, stored.inspector, stored.note) == ("no", LEAD, "plan in place")
    # the pair keeps the original first answer
    assert ("C001", "2.1.1", ANN, "yes", BOB, "no") in _pairs(rated)


def test_an_adjudication_keeps_both_originals_and_the_reason(rated):
    rated.adjudicate(NAME, "C001", "2.1.1", "yes", "the plan is on file", LEAD)
    frame = rated.adjudications(NAME)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row.case_id, row.question, row.first_rater, row.first) == ("C001", "2.1.1", ANN, "yes")
    assert (row.second_rater, row.second, row.final) == (BOB, "no", "yes")
    assert (row.reason, row.by) == ("the plan is on file", LEAD) and row.at is not None
    entries = rated.history(NAME, "C001")
    adjudication = [h for h in entries if h.entity == "adjudication"]
    assert len(adjudication) == 1 and adjudication[0].reason == "the plan is on file"
    assert adjudication[0].new == "yes" and '"second": "no"' in adjudication[0].old
    # the final is the first answer: nothing to save, the adjudication is still recorded
    assert rated.case_judgements(NAME, "C001")["2.1.1"].inspector == ANN


def test_an_adjudicated_pair_may_be_adjudicated_again(rated):
    rated.adjudicate(NAME, "C001", "2.1.1", "no", "first look", LEAD)
    rated.adjudicate(NAME, "C001", "2.1.1", "yes", "second look", LEAD)
    row = rated.adjudications(NAME).iloc[0]
    assert (row.first, row.second, row.final, row.reason) == ("yes", "no", "yes", "second look")
    assert rated.case_judgements(NAME, "C001")["2.1.1"].answer == "yes"
    assert ("C001", "2.1.1", ANN, "yes", BOB, "no") in _pairs(rated)


@pytest.mark.parametrize(
    ("case_id", "question", "why"),
    [
        ("C001", "2.1.2", "agree"),  # both No
        ("C001", "2.1.3", "no first answer"),
        ("C002", "2.1.1", "no second rating"),
    ],
)
def test_nothing_to_adjudicate(rated, case_id, question, why):
    before = rated.history(NAME)
    with pytest.raises(StoreError) as info:
        rated.adjudicate(NAME, case_id, question, "yes", "a reason", LEAD)
    assert code(info) == "nothing_to_adjudicate" and why in str(info.value)
    assert rated.history(NAME) == before and rated.adjudications(NAME).empty


@pytest.mark.parametrize(
    ("by", "answer", "reason", "expected"),
    [
        (ANN, "no", "r", "role_not_allowed"),
        (QUINN, "no", "r", "role_not_allowed"),
        ("stranger", "no", "r", "not_a_member"),
        (LEAD, "no", "  ", "reason_required"),
        (LEAD, None, "r", "unknown_answer"),
        (LEAD, "maybe", "r", "unknown_answer"),
    ],
)
def test_who_adjudicates_and_with_what(rated, by, answer, reason, expected):
    with pytest.raises(StoreError) as info:
        rated.adjudicate(NAME, "C001", "2.1.1", answer, reason, by)
    assert code(info) == expected
    assert rated.case_judgements(NAME, "C001")["2.1.1"].answer == "yes"
    assert rated.adjudications(NAME).empty


def test_query_counts_per_inspector_and_standard(store):
    make_team(store)
    first = store.open_query(NAME, "C001", QUINN, "Is the plan on file?", question="2.1.1")
    store.open_query(NAME, "C001", QUINN, "Which risk assessment?", question="2.1.2")
    store.open_query(NAME, "C003", QUINN, "Whole case: the dates?")
    replied = store.open_query(NAME, "C002", QUINN, "Contact?", question="2.2.1")
    store.reply_query(NAME, first.id, ANN, "It is, on page 3.")
    store.resolve_query(NAME, first.id, QUINN, "Thanks")
    store.reply_query(NAME, replied.id, BOB, "Weekly.")
    frame = store.query_counts(NAME)
    assert list(frame.columns) == ["inspector", "standard", "open", "answered", "resolved"]
    rows = sorted(tuple(r) for r in frame.itertuples(index=False))
    assert rows == [
        (ANN, "(case)", 1, 0, 0),
        (ANN, "2.1", 1, 0, 1),
        (BOB, "2.2", 0, 1, 0),
    ]


def test_query_counts_of_an_inspection_without_queries_is_empty(store):
    frame = store.query_counts(NAME)
    assert frame.empty and list(frame.columns) == [
        "inspector",
        "standard",
        "open",
        "answered",
        "resolved",
    ]


def test_a_locked_case_is_not_adjudicated_until_reopened(rated):
    fw = rated.framework(NAME)
    answered = rated.case_judgements(NAME, "C001")
    rows = [
        ("C001", kq.id, "yes", ANN)
        for standard in fw.standards_for_sample("case_supervision")
        for kq in standard.key_questions
        if kq.id not in answered
    ]
    rated.save_judgements(NAME, rows)
    rated.sign_off(NAME, "C001", ANN)
    rated.lock(NAME, "C001", LEAD)
    with pytest.raises(StoreError) as info:
        rated.adjudicate(NAME, "C001", "2.1.1", "no", "no plan on file", LEAD)
    assert code(info) == "case_locked" and rated.adjudications(NAME).empty
    rated.reopen(NAME, "C001", LEAD, "adjudicate 2.1.1")
    rated.adjudicate(NAME, "C001", "2.1.1", "no", "no plan on file", LEAD)
    assert rated.case_judgements(NAME, "C001")["2.1.1"].answer == "no"


def test_an_adjudicated_change_is_recorded_and_answers_the_open_query(rated):
    query = rated.open_query(NAME, "C001", QUINN, "Is the plan on file?", question="2.1.1")
    rated.adjudicate(NAME, "C001", "2.1.1", "no", "no plan on file", LEAD)
    change = [h for h in rated.history(NAME, "C001") if h.entity == "judgement"][-1]
    assert (change.old, change.new, change.by) == ("yes", "no", LEAD)
    assert change.reason == "adjudication: no plan on file"
    (answered,) = rated.queries(NAME, "C001")
    assert answered.id == query.id and answered.state == "answered"
    assert answered.reply.startswith("Answer changed from Yes to No")
