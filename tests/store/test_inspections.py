"""Inspections: created in one transaction with their content, pinned to their framework."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from workbook.errors import StoreError
from workbook.store import open_store

from .sample import CASES, NAME


def test_unknown_inspection_names_the_known_ones(store):
    with pytest.raises(StoreError) as info:
        store.save_judgement("nope", "C001", "2.1.1", "yes", "inspector-1")
    assert info.value.codes == ["unknown_inspection"] and NAME in str(info.value)


def test_framework_version_is_pinned(store, store_url):
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE inspections SET framework_version = '1999.9'"))
    engine.dispose()
    again = open_store(store_url)
    with pytest.raises(StoreError) as info:
        again.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    assert info.value.codes == ["framework_version"] and "1999.9" in str(info.value)
    again.close()


def _decision_rows():
    return [("1.1", "Good", "Evidence: leaders, staff, partners.", "lead")]


def test_create_inspection_with_cases_judgements_and_decisions(store_url):
    s = open_store(store_url)
    try:
        insp = s.create_inspection(
            "all-at-once",
            "hmip-2018-crc",
            provider="P",
            inspector="inspector-1",
            cases=CASES,
            judgements=[("C001", "2.1.1", "yes", "inspector-2", "a note"), ("C002", "2.1.2", "no")],
            decisions=_decision_rows(),
        )
        assert insp.ldus == ("East", "North", "South")
        assert s.cases("all-at-once")["case_id"].tolist() == CASES["case_id"].tolist()
        j = s.judgements("all-at-once")
        assert sorted(zip(j["case_id"], j["answer"], j["inspector"], strict=True)) == [
            ("C001", "yes", "inspector-2"),
            ("C002", "no", "inspector-1"),
        ]
        assert [d.standard for d in s.decisions("all-at-once")] == ["1.1"]
        by = {(e.entity, e.by) for e in s.history("all-at-once")}
        assert {("inspection", "inspector-1"), ("case", "inspector-1"), ("decision", "lead")} <= by
    finally:
        s.close()


def test_creating_with_bad_rows_reports_every_problem_and_creates_nothing(store_url):
    s = open_store(store_url)
    try:
        with pytest.raises(StoreError) as caught:
            s.create_inspection(
                "bad",
                "hmip-2018-crc",
                cases=CASES,
                judgements=[
                    ("C001", "2.1.1", "yes", "inspector-1"),
                    ("C002", "9.9.9", "maybe", "inspector-1"),
                ],
                decisions=[("1.1", "Excellent", "why", "lead")],
            )
        assert {"unknown_key_question", "unknown_answer", "unknown_rating"} <= set(
            caught.value.codes
        )
        assert s.inspections() == []
    finally:
        s.close()


def test_a_failure_inside_the_transaction_leaves_no_inspection(store_url):
    s = open_store(store_url)
    try:
        with pytest.raises(StoreError) as caught:
            s.create_inspection(
                "half",
                "hmip-2018-crc",
                cases=CASES,
                judgements=[
                    ("C001", "2.1.1", "yes", "inspector-1"),
                    ("NO-SUCH-CASE", "2.1.1", "no", "inspector-1"),
                ],
                decisions=_decision_rows(),
            )
        assert caught.value.codes == ["unknown_case"]
        assert s.inspections() == []  # not an empty (or half-filled) inspection
        # so the same call, corrected, simply works: no "already exists"
        s.create_inspection(
            "half",
            "hmip-2018-crc",
            cases=CASES,
            judgements=[("C001", "2.1.1", "yes", "inspector-1")],
            decisions=_decision_rows(),
        )
        assert len(s.judgements("half")) == 1 and len(s.cases("half")) == 4
    finally:
        s.close()


def test_judgements_without_their_cases_are_refused_with_their_own_reason(store_url):
    """`cases_required` (an argument left out) is not `no_cases` (a case list with no rows)."""
    s = open_store(store_url)
    try:
        with pytest.raises(StoreError) as info:
            s.create_inspection(
                "no-cases", "hmip-2018-crc", judgements=[("C001", "2.1.1", "yes", "lead", "")]
            )
        assert info.value.codes == ["cases_required"]
        assert "need its cases" in str(info.value)
        assert "no-cases" not in [i.name for i in s.inspections()]
    finally:
        s.close()
