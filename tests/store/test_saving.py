"""The one save rule: a save that changes nothing writes nothing; a stale version is a conflict."""

from __future__ import annotations

import threading

import pytest

from workbook.errors import ConflictError
from workbook.files import load_framework
from workbook.store import open_store

from .sample import NAME


def test_a_save_that_changes_nothing_writes_nothing(store):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1", note="n")
    before = store.history(NAME)
    same = store.save_judgement(
        NAME, "C001", "2.1.1", "yes", "inspector-2", note="n", expect_version=1
    )
    assert (
        not same.changed
        and same.judgement.version == 1
        and same.judgement.inspector == "inspector-1"
    )
    assert store.history(NAME) == before
    cleared_nothing = store.save_judgement(NAME, "C002", "2.1.1", None, "inspector-2")
    assert not cleared_nothing.changed and store.history(NAME) == before


def test_stale_version_raises_conflict_and_saves_nothing(store):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    seen = store.case_judgements(NAME, "C001")["2.1.1"].version
    store.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-2", expect_version=seen)
    before = store.history(NAME)
    with pytest.raises(ConflictError) as info:
        store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1", expect_version=seen)
    err = info.value
    assert (
        err.changed_by == "inspector-2"
        and err.current_value == "no"
        and err.current_version == 2
        and err.changed_at is not None
    )
    assert "inspector-2" in str(err) and "'no'" in str(err)
    assert store.history(NAME) == before
    assert store.case_judgements(NAME, "C001")["2.1.1"].answer == "no"


@pytest.mark.parametrize("start_version", [0, 1])
def test_two_inspectors_from_stale_versions_exactly_one_wins(store, store_url, start_version):
    """Two inspectors in two connections save the same case and KQ at the same moment, both
    from the version they saw; repeated over 12 questions, each time exactly one wins."""
    fw = load_framework("hmip-2018-crc")
    questions = [q.id for q in fw.rated_key_questions[:12]]
    if start_version:
        for q in questions:
            store.save_judgement(NAME, "C003", q, "yes", "setup")
    stores = [open_store(store_url), open_store(store_url)]
    for q in questions:
        barrier = threading.Barrier(2)
        outcome: dict[str, object] = {}

        def save(who, s, answer, q=q, barrier=barrier, outcome=outcome):
            barrier.wait()
            try:
                outcome[who] = s.save_judgement(
                    NAME, "C003", q, answer, who, expect_version=start_version
                )
            except ConflictError as exc:
                outcome[who] = exc

        threads = [
            threading.Thread(target=save, args=("inspector-1", stores[0], "no")),
            threading.Thread(
                target=save, args=("inspector-2", stores[1], "no" if start_version else "yes")
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        conflicts = [w for w, o in outcome.items() if isinstance(o, ConflictError)]
        winners = [w for w, o in outcome.items() if not isinstance(o, BaseException)]
        assert len(conflicts) == 1 and len(winners) == 1, outcome
        current = store.case_judgements(NAME, "C003")[q]
        assert current.inspector == winners[0] and current.version == start_version + 1
        assert outcome[conflicts[0]].changed_by == winners[0]
    for s in stores:
        s.close()


def test_expecting_a_version_that_never_existed_is_a_conflict(store):
    with pytest.raises(ConflictError) as info:
        store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1", expect_version=3)
    assert info.value.current_version == 0 and "no saved answer" in str(info.value)
    with pytest.raises(ConflictError):
        store.save_decision(NAME, "1.1", "Good", "Evidence.", "inspector-1", expect_version=2)
    assert store.judgements(NAME).empty and store.decisions(NAME) == []
