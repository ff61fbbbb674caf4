"""Judgements in the store: saving one or a batch, clearing, loading, refusing bad ones."""

from __future__ import annotations

import pytest

from workbook.errors import StoreError

from .sample import NAME


def test_save_and_read_judgements(store):
    first = store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1", note="clear plan")
    assert first.changed and first.previous is None
    assert (
        first.judgement.version == 1
        and first.judgement.answer == "yes"
        and first.judgement.note == "clear plan"
    )
    second = store.save_judgement(NAME, "C001", "2.1.1", "No", "inspector-2", expect_version=1)
    assert second.changed and second.judgement.version == 2 and second.judgement.answer == "no"
    assert second.previous.answer == "yes" and second.previous.inspector == "inspector-1"
    store.save_judgement(NAME, "C002", "2.1.1", "yes", "inspector-1")
    frame = store.judgements(NAME)
    assert list(frame.columns) == [
        "case_id",
        "question",
        "answer",
        "note",
        "inspector",
        "saved_at",
        "version",
    ]
    rows = {(r.case_id, r.question): (r.answer, r.inspector, r.version) for r in frame.itertuples()}
    assert rows == {
        ("C001", "2.1.1"): ("no", "inspector-2", 2),
        ("C002", "2.1.1"): ("yes", "inspector-1", 1),
    }
    assert str(frame["saved_at"].dt.tz) == "UTC"
    by_q = store.case_judgements(NAME, "C001")
    assert (
        by_q["2.1.1"].answer == "no"
        and by_q["2.1.1"].version == 2
        and by_q["2.1.1"].saved_at.tzinfo is not None
    )


def test_clearing_an_answer_is_recorded(store):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    cleared = store.save_judgement(NAME, "C001", "2.1.1", None, "inspector-1", expect_version=1)
    assert cleared.changed and cleared.judgement.answer is None and cleared.judgement.version == 2
    assert store.judgements(NAME).empty
    assert store.case_judgements(NAME, "C001")["2.1.1"].version == 2
    last = store.history(NAME, case_id="C001")[-1]
    assert (last.entity, last.old, last.new, last.version) == ("judgement", "yes", None, 2)


@pytest.mark.parametrize(
    "case_id, question, answer, code",
    [
        ("C999", "2.1.1", "yes", "unknown_case"),
        ("C001", "9.9.9", "yes", "unknown_key_question"),
        ("C001", "1.1.1", "yes", "unknown_key_question"),  # domain one is judged, not answered
        ("C001", "2.1.1", "maybe", "unknown_answer"),
        ("C001", "2.1.1", "not_applicable", "answer_not_allowed"),
    ],
)
def test_bad_judgements_are_refused_clearly(store, case_id, question, answer, code):
    with pytest.raises(StoreError) as info:
        store.save_judgement(NAME, case_id, question, answer, "inspector-1")
    assert code in info.value.codes
    text_ = str(info.value)
    assert (
        case_id if code == "unknown_case" else question if "key_question" in code else answer
    ) in text_
    assert "Allowed" in text_
    assert store.judgements(NAME).empty
    assert [h.entity for h in store.history(NAME)].count("judgement") == 0


def test_save_judgements_in_one_batch(store):
    store.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-1")
    with pytest.raises(StoreError) as info:
        store.save_judgements(
            NAME,
            [
                ("C001", "2.1.2", "yes", "inspector-1", None),
                ("C002", "9.9", "yes", "inspector-1", None),
                ("C003", "2.1.1", "maybe", "inspector-2", None),
            ],
        )
    assert info.value.codes == ["unknown_key_question", "unknown_answer"] and [
        p.row for p in info.value.problems
    ] == [2, 3]
    with pytest.raises(StoreError) as info:
        store.save_judgements(
            NAME,
            [
                ("C001", "2.1.2", "yes", "inspector-1", None),
                ("C999", "2.1.1", "yes", "inspector-1", None),
            ],
        )
    assert info.value.codes == ["unknown_case"]
    assert len(store.judgements(NAME)) == 1  # nothing of either batch was saved
    results = store.save_judgements(
        NAME,
        [
            ("C001", "2.1.1", "yes", "inspector-2", "changed"),
            ("C001", "2.1.1", "yes", "inspector-2", "changed"),
            ("C002", "2.1.1", "no", "inspector-1", None),
            ("C002", "2.1.1", "yes", "cat", None),
            ("C003", "2.1.2", "Y", "inspector-1", ""),
        ],
    )
    assert [r.changed for r in results] == [True, False, True, True, True]
    assert [r.judgement.version for r in results] == [2, 2, 1, 2, 1]
    current = {
        (r.case_id, r.question): (r.answer, r.inspector, r.version)
        for r in store.judgements(NAME).itertuples()
    }
    assert current == {
        ("C001", "2.1.1"): ("yes", "inspector-2", 2),
        ("C002", "2.1.1"): ("yes", "cat", 2),
        ("C003", "2.1.2"): ("yes", "inspector-1", 1),
    }
    changes = [
        (h.key, h.old, h.new, h.version) for h in store.history(NAME) if h.entity == "judgement"
    ]
    assert changes == [
        ("C001 2.1.1", None, "no", 1),
        ("C001 2.1.1", "no", "yes", 2),
        ("C002 2.1.1", None, "no", 1),
        ("C002 2.1.1", "no", "yes", 2),
        ("C003 2.1.2", None, "yes", 1),
    ]
