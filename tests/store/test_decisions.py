"""Decisions in the store: round trips, conflicts, refusals, and the ratings they feed."""

from __future__ import annotations

import pytest

from workbook.errors import ConflictError, StoreError
from workbook.files import load_framework
from workbook.judgements import Decision
from workbook.ratings import rate

from .sample import CASES, NAME


def test_decisions_round_trip_and_feed_the_ratings(store):
    fw = load_framework("hmip-2018-crc")
    d1 = store.save_decision(NAME, "1.1", "Good", "Leaders have a clear vision.", "lead")
    assert d1.version == 1 and d1.changed
    d2 = store.save_decision(
        NAME,
        "2.1",
        "requires improvement",
        "Discretion: small sub-sample.",
        "lead",
        expect_version=0,
    )
    assert d2.rating == "Requires improvement"
    assert not store.save_decision(
        NAME, "1.1", "Good", "Leaders have a clear vision.", "other"
    ).changed
    with pytest.raises(ConflictError) as info:
        store.save_decision(NAME, "1.1", "Outstanding", "Better.", "inspector-2", expect_version=0)
    assert (
        info.value.changed_by == "lead"
        and info.value.current_value == "Good"
        and info.value.current_version == 1
    )
    for bad, code in (
        (("9.9", "Good", "x"), "unknown_standard"),
        (("1.1", "Superb", "x"), "unknown_rating"),
        (("1.1", "Good", " "), "missing_reason"),
    ):
        with pytest.raises(StoreError) as info:
            store.save_decision(NAME, *bad, "lead")
        assert code in info.value.codes
    decisions = store.decisions(NAME)
    assert {(d.standard, d.rating, d.reason, d.by) for d in decisions} == {
        ("1.1", "Good", "Leaders have a clear vision.", "lead"),
        ("2.1", "Requires improvement", "Discretion: small sub-sample.", "lead"),
    }
    assert all(isinstance(d, Decision) and d.at is not None for d in decisions)
    withdrawn = store.save_decision(NAME, "2.1", None, "", "lead", expect_version=1)
    assert withdrawn.rating is None and withdrawn.version == 2
    assert [d.standard for d in store.decisions(NAME)] == ["1.1"]
    for i, case_id in enumerate(CASES["case_id"]):
        for q in fw.rated_key_questions[:3]:
            store.save_judgement(NAME, case_id, q.id, "yes" if i % 2 else "no", "inspector-1")
    ratings = rate(
        fw, store.judgements(NAME), store.decisions(NAME), cases=store.cases(NAME), by=("ldu",)
    )
    assert ratings.standards["1.1"].rating == "Good"
    assert ratings.key_questions["2.1.1"].n == 4
    assert set(ratings.breakdowns["ldu"]) == {"East", "North", "South"}


@pytest.mark.parametrize(
    "written", ["requires-improvement", "REQUIRES IMPROVEMENT", "requires_improvement"]
)
def test_a_rating_a_file_accepts_is_stored_by_its_name(store, written):
    """The store accepts a rating as a decisions file does: case, spaces, punctuation ignored."""
    saved = store.save_decision(NAME, "2.1", written, "Discretion: small sub-sample.", "lead")
    assert saved.rating == "Requires improvement" and saved.version == 1
    assert [(d.standard, d.rating) for d in store.decisions(NAME)] == [
        ("2.1", "Requires improvement")
    ]
    assert store.history(NAME)[-1].new == "Requires improvement"
    # saving the same rating written another way changes nothing
    again = store.save_decision(NAME, "2.1", "Requires improvement", saved.reason, "lead")
    assert not again.changed and again.version == 1
