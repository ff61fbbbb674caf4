"""The append-only history: every change, once, in order."""

from __future__ import annotations

from .sample import NAME


def test_history_records_every_change(store):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    store.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-2", note="no plan")
    store.save_judgement(NAME, "C002", "2.1.2", "yes", "inspector-1")
    store.save_decision(NAME, "1.1", "Good", "Strong leadership.", "lead")
    everything = store.history(NAME)
    assert [h.entity for h in everything] == ["inspection"] + ["case"] * 4 + ["judgement"] * 3 + [
        "decision"
    ]
    c1 = [h for h in store.history(NAME, case_id="C001") if h.entity == "judgement"]
    assert [(h.old, h.new, h.by, h.version, h.new_note) for h in c1] == [
        (None, "yes", "inspector-1", 1, None),
        ("yes", "no", "inspector-2", 2, "no plan"),
    ]
    assert all(h.at.tzinfo is not None for h in everything)
    d = everything[-1]
    assert (d.key, d.old, d.new, d.by, d.new_note) == (
        "1.1",
        None,
        "Good",
        "lead",
        "Strong leadership.",
    )


def test_last_change_moves_with_every_change_and_only_then(store):
    first = store.last_change(NAME)
    assert store.last_change(NAME) == first
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    after_answer = store.last_change(NAME)
    assert after_answer != first
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")  # no change: no row
    assert store.last_change(NAME) == after_answer
    store.save_decision(NAME, "1.1", "Good", "Strong leadership.", "lead")
    assert store.last_change(NAME) not in (first, after_answer)


def test_last_change_of_an_unknown_inspection_is_a_store_error(store):
    import pytest

    from workbook.errors import StoreError

    with pytest.raises(StoreError) as err:
        store.last_change("no-such-inspection")
    assert err.value.problems[0].code == "unknown_inspection"
