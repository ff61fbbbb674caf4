"""The team's rules on answers and decisions, enforced in the store's write transaction, on
real SQLite and real PostgreSQL: a refusal names the rule and saves nothing."""

from __future__ import annotations

import pytest

from workbook.errors import ConflictError, StoreError
from workbook.files import load_framework
from workbook.reasons import Reason

from .sample import NAME

FW = load_framework("hmip-2018-crc")
KQS = [q.id for q in FW.rated_key_questions if q.sample == "case_supervision"]


def codes(info) -> list[Reason]:
    return [p.code for p in info.value.problems]


@pytest.fixture
def teamed(store):
    store.add_member(NAME, "lead-1", "lead inspector", by="lead-1")
    store.add_member(NAME, "insp-1", "inspector", by="lead-1")
    store.add_member(NAME, "insp-2", "local assessor", by="lead-1")
    store.add_member(NAME, "ql-1", "quality lead", by="lead-1")
    store.add_member(NAME, "view-1", "viewer", by="lead-1")
    store.allocate(NAME, "C001", "insp-1", by="lead-1")
    store.allocate(NAME, "C002", "insp-2", by="lead-1")
    return store


def _refused(store, code, *args, **kw):
    before = store.history(NAME)
    judged = store.judgements(NAME)
    with pytest.raises(StoreError) as info:
        store.save_judgement(NAME, *args, **kw)
    assert codes(info) == [code]
    assert store.history(NAME) == before
    assert store.judgements(NAME).equals(judged)
    return str(info.value)


def test_without_a_team_anyone_answers_anything(store):
    assert store.save_judgement(NAME, "C001", "2.1.1", "yes", "anyone").changed
    assert store.save_judgements(NAME, [("C002", "2.1.1", "no")], inspector="someone")[0].changed
    assert store.save_decision(NAME, "1.1", "Good", "fine", "anyone").rating == "Good"


def test_only_the_allocated_member_answers(teamed):
    assert teamed.save_judgement(NAME, "C001", "2.1.1", "yes", "insp-1").changed
    assert teamed.save_judgement(NAME, "C002", "2.1.1", "no", "insp-2").changed
    text = _refused(teamed, Reason.NOT_ALLOCATED, "C001", "2.1.2", "yes", "insp-2")
    assert "C001 is allocated to insp-1: only insp-1 may answer it" in text
    assert "ask the lead inspector to reallocate it" in text
    text = _refused(teamed, Reason.NOT_ALLOCATED, "C003", "2.1.1", "yes", "insp-1")
    assert "C003 is not allocated yet" in text
    _refused(teamed, Reason.NOT_ALLOCATED, "C001", "2.1.2", "yes", "lead-1")
    _refused(teamed, Reason.ROLE_NOT_ALLOWED, "C001", "2.1.2", "yes", "ql-1")
    text = _refused(teamed, Reason.ROLE_NOT_ALLOWED, "C001", "2.1.2", "yes", "view-1")
    assert "view-1 is a viewer" in text
    text = _refused(teamed, Reason.NOT_A_MEMBER, "C001", "2.1.2", "yes", "stranger")
    assert "stranger is not a member" in text and "lead-1" in text


def test_reallocation_moves_the_right_to_answer(teamed):
    teamed.allocate(NAME, "C001", "insp-2", by="lead-1")
    _refused(teamed, Reason.NOT_ALLOCATED, "C001", "2.1.1", "yes", "insp-1")
    assert teamed.save_judgement(NAME, "C001", "2.1.1", "yes", "insp-2").changed


def test_the_batch_follows_the_same_rules_and_saves_nothing_on_refusal(teamed):
    before = teamed.history(NAME)
    rows = [
        ("C001", "2.1.1", "yes", "insp-1", None),
        ("C002", "2.1.1", "yes", "insp-1", None),
        ("C003", "2.1.1", "yes", "stranger", None),
    ]
    with pytest.raises(StoreError) as info:
        teamed.save_judgements(NAME, rows)
    assert codes(info) == [Reason.NOT_ALLOCATED, Reason.NOT_A_MEMBER]
    assert teamed.history(NAME) == before and teamed.judgements(NAME).empty
    saved = teamed.save_judgements(NAME, rows[:1] + [("C002", "2.1.1", "no", "insp-2", None)])
    assert [r.changed for r in saved] == [True, True]


def _complete(store, case_id, who):
    for q in KQS:
        store.save_judgement(NAME, case_id, q, "yes", who)
    return store.sign_off(NAME, case_id, who)


def test_a_signed_off_case_needs_a_reason_kept_in_the_history(teamed):
    _complete(teamed, "C001", "insp-1")
    text = _refused(teamed, Reason.REASON_REQUIRED, "C001", "2.1.1", "no", "insp-1")
    assert "C001 is complete" in text and "needs a reason" in text
    # a save that changes nothing needs no reason
    assert not teamed.save_judgement(NAME, "C001", "2.1.1", "yes", "insp-1").changed
    saved = teamed.save_judgement(NAME, "C001", "2.1.1", "no", "insp-1", reason="file re-read")
    assert saved.changed
    last = teamed.history(NAME, "C001")[-1]
    assert (last.entity, last.old, last.new, last.reason) == (
        "judgement",
        "yes",
        "no",
        "file re-read",
    )
    with pytest.raises(StoreError) as info:
        teamed.save_judgements(NAME, [("C001", "2.1.2", "no", "insp-1", None)])
    assert codes(info) == [Reason.REASON_REQUIRED]
    batch = teamed.save_judgements(NAME, [("C001", "2.1.2", "no", "insp-1", None)], reason="typo")
    assert batch[0].changed and teamed.history(NAME, "C001")[-1].reason == "typo"


def test_a_locked_case_refuses_every_answer_until_reopened(teamed):
    _complete(teamed, "C001", "insp-1")
    teamed.lock(NAME, "C001", by="lead-1")
    text = _refused(teamed, Reason.CASE_LOCKED, "C001", "2.1.1", "no", "insp-1", reason="r")
    assert "locked for rating" in text and "reopens it" in text
    with pytest.raises(StoreError) as info:
        teamed.save_judgements(NAME, [("C001", "2.1.1", "no", "insp-1", None)], reason="r")
    assert codes(info) == [Reason.CASE_LOCKED]
    teamed.reopen(NAME, "C001", by="lead-1", reason="a query came in")
    assert teamed.save_judgement(NAME, "C001", "2.1.1", "no", "insp-1", reason="r").changed


def test_a_conflict_is_still_a_conflict_under_the_rules(teamed):
    teamed.save_judgement(NAME, "C001", "2.1.1", "yes", "insp-1")
    with pytest.raises(ConflictError):
        teamed.save_judgement(NAME, "C001", "2.1.1", "no", "insp-1", expect_version=0)


def test_only_a_lead_decides_with_a_team(teamed):
    assert teamed.save_decision(NAME, "1.1", "Good", "fine", "lead-1").rating == "Good"
    for who, code in (("insp-1", Reason.ROLE_NOT_ALLOWED), ("stranger", Reason.NOT_A_MEMBER)):
        with pytest.raises(StoreError) as info:
            teamed.save_decision(NAME, "1.1", "Inadequate", "no", who)
        assert codes(info) == [code]
    assert teamed.stored_decisions(NAME)["1.1"].rating == "Good"


def test_a_lock_committed_while_a_save_waits_refuses_the_save(teamed, store_url):
    """PostgreSQL: a save reads the case's status under a share lock, so a lock (or a
    reallocation) in flight makes it wait, and it then sees what was committed. SQLite has one
    writer at a time: the same order holds without a row lock."""
    import threading

    from sqlalchemy import create_engine, text

    teamed.save_judgement(NAME, "C001", "2.1.1", "yes", "insp-1")
    engine = create_engine(store_url)
    result: dict = {}
    with engine.connect() as other:
        iid = other.execute(
            text("SELECT id FROM inspections WHERE name = :n"), {"n": NAME}
        ).scalar()
        if store_url.startswith("sqlite"):
            other.execute(text("BEGIN IMMEDIATE"))  # holds SQLite's one write lock
        other.execute(
            text(
                "INSERT INTO case_work (inspection_id, case_id, allocated_to, status, probe, "
                "dip_sample, updated_by, updated_at) VALUES (:i, 'C004', 'insp-1', NULL, false, "
                "false, 'lead-1', CURRENT_TIMESTAMP)"
            ),
            {"i": iid},
        )  # another case: only to take the write lock on SQLite
        other.execute(
            text(
                "UPDATE case_work SET status = 'locked' WHERE inspection_id = :i AND case_id = 'C001'"
            ),
            {"i": iid},
        )

        def save():
            try:
                teamed.save_judgement(NAME, "C001", "2.1.2", "no", "insp-1")
                result["saved"] = True
            except StoreError as exc:
                result["codes"] = [p.code for p in exc.problems]

        worker = threading.Thread(target=save)
        worker.start()
        worker.join(1.0)
        assert worker.is_alive(), "the save did not wait for the lock in flight"
        other.execute(text("COMMIT")) if store_url.startswith("sqlite") else other.commit()
        worker.join(30)
    engine.dispose()
    assert result == {"codes": [Reason.CASE_LOCKED]}
