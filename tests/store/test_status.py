"""A case's status: derived (not started, in progress), sign-off, quality assurance, lock and
reopen, the "probe further" flag, on real SQLite and real PostgreSQL."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.errors import StoreError
from workbook.files import load_framework
from workbook.reasons import Reason

from .sample import NAME

FW = load_framework("hmip-2018-crc")
KQS = [q.id for q in FW.rated_key_questions if q.sample == "case_supervision"]
NA_KQ = next(q.id for q in FW.rated_key_questions if q.allows_not_applicable)


def codes(info) -> list[Reason]:
    return [p.code for p in info.value.problems]


@pytest.fixture
def teamed(store):
    store.add_member(NAME, "lead-1", "lead inspector", by="lead-1")
    store.add_member(NAME, "insp-1", "inspector", by="lead-1")
    store.add_member(NAME, "insp-2", "inspector", by="lead-1")
    store.add_member(NAME, "ql-1", "quality lead", by="lead-1")
    store.allocate(NAME, "C001", "insp-1", by="lead-1")
    store.allocate(NAME, "C002", "insp-2", by="lead-1")
    return store


def _answer_all(store, case_id, who, but=()):
    for q in KQS:
        if q not in but:
            store.save_judgement(NAME, case_id, q, "not_applicable" if q == NA_KQ else "yes", who)


def statuses(store):
    return [
        (h.key, h.old, h.new, h.by, h.reason) for h in store.history(NAME) if h.entity == "status"
    ]


def test_derived_status_and_counts(teamed):
    work = teamed.case_work(NAME)
    assert list(work) == ["C001", "C002", "C003", "C004"]
    c1 = work["C001"]
    assert (c1.status, c1.answered, c1.applicable, c1.allocated_to) == (
        "not_started",
        0,
        len(KQS),
        "insp-1",
    )
    assert len(KQS) == 12
    teamed.save_judgement(NAME, "C001", "2.1.1", "yes", "insp-1")
    c1 = teamed.case_status(NAME, "C001")
    assert (c1.status, c1.answered) == ("in_progress", 1)
    teamed.save_judgement(NAME, "C001", "2.1.1", None, "insp-1")  # cleared: nothing answered
    assert teamed.case_status(NAME, "C001").status == "not_started"
    with pytest.raises(StoreError) as info:
        teamed.case_status(NAME, "C999")
    assert codes(info) == [Reason.UNKNOWN_CASE]


def test_applicable_questions_follow_the_sample(store):
    store.import_cases(NAME, pd.DataFrame({"case_id": ["U1"], "sample": ["unpaid_work"]}))
    assert store.case_status(NAME, "U1").applicable == 4


def test_sign_off_needs_every_applicable_answer(teamed):
    _answer_all(teamed, "C001", "insp-1", but=("2.4.1", "2.4.2"))
    with pytest.raises(StoreError) as info:
        teamed.sign_off(NAME, "C001", by="insp-1")
    assert codes(info) == [Reason.CASE_NOT_COMPLETE]
    assert "2 applicable key questions are not answered yet (2.4.1, 2.4.2)" in str(info.value)
    teamed.save_judgement(NAME, "C001", "2.4.1", "no", "insp-1")
    teamed.save_judgement(NAME, "C001", "2.4.2", "no", "insp-1")
    work = teamed.sign_off(NAME, "C001", by="insp-1")
    assert (work.status, work.status_by, work.answered) == ("complete", "insp-1", 12)
    assert work.status_at is not None
    assert statuses(teamed) == [("C001", "in_progress", "complete", "insp-1", None)]
    with pytest.raises(StoreError) as info:
        teamed.sign_off(NAME, "C001", by="insp-1")
    assert codes(info) == [Reason.BAD_STATUS_CHANGE]
    assert "C001 is complete, so it cannot be signed off" in str(info.value)


def test_who_signs_off(teamed):
    _answer_all(teamed, "C002", "insp-2")
    for who, code in (
        ("insp-1", Reason.NOT_ALLOCATED),
        ("ql-1", Reason.ROLE_NOT_ALLOWED),
        ("stranger", Reason.NOT_A_MEMBER),
    ):
        with pytest.raises(StoreError) as info:
            teamed.sign_off(NAME, "C002", by=who)
        assert codes(info) == [code], who
    assert "C002 is allocated to insp-2" in str(
        pytest.raises(StoreError, teamed.sign_off, NAME, "C002", "insp-1").value
    )
    assert teamed.sign_off(NAME, "C002", by="lead-1").status == "complete"
    assert statuses(teamed) == [("C002", "in_progress", "complete", "lead-1", None)]


def test_quality_assure_lock_and_reopen(teamed):
    _answer_all(teamed, "C001", "insp-1")
    with pytest.raises(StoreError) as info:
        teamed.quality_assure(NAME, "C001", by="ql-1")
    assert codes(info) == [Reason.BAD_STATUS_CHANGE] and "in progress" in str(info.value)
    with pytest.raises(StoreError) as info:
        teamed.lock(NAME, "C001", by="lead-1")
    assert codes(info) == [Reason.BAD_STATUS_CHANGE]
    teamed.sign_off(NAME, "C001", by="insp-1")
    with pytest.raises(StoreError) as info:
        teamed.quality_assure(NAME, "C001", by="insp-1")
    assert codes(info) == [Reason.ROLE_NOT_ALLOWED]
    assert teamed.quality_assure(NAME, "C001", by="ql-1").status == "quality_assured"
    with pytest.raises(StoreError) as info:
        teamed.lock(NAME, "C001", by="ql-1")
    assert codes(info) == [Reason.ROLE_NOT_ALLOWED]
    assert teamed.lock(NAME, "C001", by="lead-1").status == "locked"
    assert teamed.locked_cases(NAME) == ["C001"]
    with pytest.raises(StoreError) as info:
        teamed.reopen(NAME, "C001", by="lead-1", reason="  ")
    assert codes(info) == [Reason.REASON_REQUIRED]
    with pytest.raises(StoreError) as info:
        teamed.reopen(NAME, "C002", by="lead-1", reason="r")
    assert codes(info) == [Reason.BAD_STATUS_CHANGE]
    back = teamed.reopen(NAME, "C001", by="lead-1", reason="the QA query was late")
    assert back.status == "quality_assured" and teamed.locked_cases(NAME) == []
    assert statuses(teamed)[-3:] == [
        ("C001", "complete", "quality_assured", "ql-1", None),
        ("C001", "quality_assured", "locked", "lead-1", None),
        ("C001", "locked", "quality_assured", "lead-1", "the QA query was late"),
    ]


def test_quality_assure_waits_for_open_queries(teamed):
    _answer_all(teamed, "C001", "insp-1")
    teamed.sign_off(NAME, "C001", by="insp-1")
    query = teamed.open_query(NAME, "C001", "ql-1", "Is the plan on file?", question="2.1.1")
    assert teamed.case_status(NAME, "C001").open_queries == 1
    with pytest.raises(StoreError) as info:
        teamed.quality_assure(NAME, "C001", by="ql-1")
    assert codes(info) == [Reason.BAD_STATUS_CHANGE] and "1 open query" in str(info.value)
    teamed.reply_query(NAME, query.id, "insp-1", "Yes, page 3.")
    assert teamed.case_status(NAME, "C001").open_queries == 0
    assert teamed.quality_assure(NAME, "C001", by="ql-1").status == "quality_assured"


def test_lock_without_a_team_and_the_locked_case_refuses(store):
    _answer_all(store, "C003", "anyone")
    store.sign_off(NAME, "C003", by="anyone")
    store.lock(NAME, "C003", by="anyone", reason="fieldwork over")
    assert statuses(store)[-1] == ("C003", "complete", "locked", "anyone", "fieldwork over")
    with pytest.raises(StoreError) as info:
        store.save_judgement(NAME, "C003", "2.1.1", "no", "anyone", reason="r")
    assert codes(info) == [Reason.CASE_LOCKED]


def test_probe_further(teamed):
    work = teamed.flag_probe(NAME, "C001", by="insp-1", note="Ask about the risk plan")
    assert (work.probe, work.probe_note) == (True, "Ask about the risk plan")
    assert teamed.flag_probe(NAME, "C002", by="ql-1", note="x").probe
    with pytest.raises(StoreError) as info:
        teamed.flag_probe(NAME, "C001", by="insp-2", note="mine")
    assert codes(info) == [Reason.NOT_ALLOCATED]
    off = teamed.flag_probe(NAME, "C001", by="lead-1", note=None, on=False)
    assert (off.probe, off.probe_note) == (False, None)
    rows = [
        (h.key, h.old, h.new, h.new_note, h.by) for h in teamed.history(NAME) if h.entity == "probe"
    ]
    assert rows == [
        ("C001", "off", "on", "Ask about the risk plan", "insp-1"),
        ("C002", "off", "on", "x", "ql-1"),
        ("C001", "on", "off", None, "lead-1"),
    ]
