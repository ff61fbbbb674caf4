"""Quality-assurance queries: opened by a quality lead, answered by a reply or by changing the
answer, resolved; every step in the history, on real SQLite and real PostgreSQL."""

from __future__ import annotations

import pytest

from workbook.errors import StoreError
from workbook.reasons import Reason

from .sample import NAME


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


def query_rows(store):
    return [
        (h.key, h.question, h.version, h.old, h.new, h.new_note, h.by)
        for h in store.history(NAME)
        if h.entity == "query"
    ]


def test_open_reply_resolve(teamed):
    q = teamed.open_query(NAME, "C001", "ql-1", "Is the plan on file?", question="2.1.1")
    assert (q.case_id, q.question, q.state, q.opened_by) == ("C001", "2.1.1", "open", "ql-1")
    whole = teamed.open_query(NAME, "C002", "lead-1", "The dates?")
    assert whole.question is None
    assert [x.id for x in teamed.queries(NAME, state="open")] == [q.id, whole.id]
    replied = teamed.reply_query(NAME, q.id, "insp-1", "Yes, on page 3.")
    assert (replied.state, replied.reply, replied.replied_by) == (
        "answered",
        "Yes, on page 3.",
        "insp-1",
    )
    done = teamed.resolve_query(NAME, q.id, "ql-1", "Thanks")
    assert (done.state, done.resolution, done.resolved_by) == ("resolved", "Thanks", "ql-1")
    assert teamed.resolve_query(NAME, whole.id, "ql-1").state == "resolved"  # from open
    assert [x.id for x in teamed.queries(NAME, case_id="C001")] == [q.id]
    assert teamed.queries(NAME, state="open") == []
    assert query_rows(teamed) == [
        ("C001", "2.1.1", q.id, None, "open", "Is the plan on file?", "ql-1"),
        ("C002", None, whole.id, None, "open", "The dates?", "lead-1"),
        ("C001", "2.1.1", q.id, "open", "answered", "Yes, on page 3.", "insp-1"),
        ("C001", "2.1.1", q.id, "answered", "resolved", "Thanks", "ql-1"),
        ("C002", None, whole.id, "open", "resolved", "", "ql-1"),
    ]


def test_who_may_do_each_step(teamed):
    for who, code in (("insp-1", Reason.ROLE_NOT_ALLOWED), ("stranger", Reason.NOT_A_MEMBER)):
        with pytest.raises(StoreError) as info:
            teamed.open_query(NAME, "C001", who, "Why?")
        assert codes(info) == [code]
    q = teamed.open_query(NAME, "C001", "ql-1", "Why?")
    with pytest.raises(StoreError) as info:
        teamed.reply_query(NAME, q.id, "insp-2", "Because.")
    assert codes(info) == [Reason.NOT_ALLOCATED] and "allocated to insp-1" in str(info.value)
    with pytest.raises(StoreError) as info:
        teamed.reply_query(NAME, q.id, "ql-1", "Because.")
    assert codes(info) == [Reason.ROLE_NOT_ALLOWED]
    with pytest.raises(StoreError) as info:
        teamed.resolve_query(NAME, q.id, "insp-1")
    assert codes(info) == [Reason.ROLE_NOT_ALLOWED]
    assert teamed.reply_query(NAME, q.id, "lead-1", "On their behalf.").state == "answered"
    assert len(query_rows(teamed)) == 2


def test_wrong_steps_and_bad_input(teamed):
    q = teamed.open_query(NAME, "C001", "ql-1", "Why?")
    teamed.resolve_query(NAME, q.id, "ql-1", "ok")
    for act in (
        lambda: teamed.reply_query(NAME, q.id, "insp-1", "late"),
        lambda: teamed.resolve_query(NAME, q.id, "ql-1"),
    ):
        with pytest.raises(StoreError) as info:
            act()
        assert codes(info) == [Reason.QUERY_STATE] and "is resolved" in str(info.value)
    bad = [
        (lambda: teamed.reply_query(NAME, 9999, "insp-1", "x"), Reason.UNKNOWN_QUERY),
        (lambda: teamed.reply_query(NAME, "abc", "insp-1", "x"), Reason.UNKNOWN_QUERY),
        (lambda: teamed.open_query(NAME, "C001", "ql-1", "   "), Reason.MISSING_TEXT),
        (lambda: teamed.open_query(NAME, "C009", "ql-1", "x"), Reason.UNKNOWN_CASE),
        (
            lambda: teamed.open_query(NAME, "C001", "ql-1", "x", "1.1.1"),
            Reason.UNKNOWN_KEY_QUESTION,
        ),
        (lambda: teamed.queries(NAME, state="closed"), Reason.QUERY_STATE),
    ]
    for act, code in bad:
        with pytest.raises(StoreError) as info:
            act()
        assert codes(info) == [code]
    q2 = teamed.open_query(NAME, "C001", "ql-1", "Again?")
    with pytest.raises(StoreError) as info:
        teamed.reply_query(NAME, q2.id, "insp-1", "")
    assert codes(info) == [Reason.MISSING_TEXT]


def test_changing_the_answer_answers_the_query(teamed):
    teamed.save_judgement(NAME, "C001", "2.1.1", "no", "insp-1")
    q = teamed.open_query(NAME, "C001", "ql-1", "Is it really No?", question="2.1.1")
    other = teamed.open_query(NAME, "C001", "ql-1", "And 2.1.2?", question="2.1.2")
    case_wide = teamed.open_query(NAME, "C001", "ql-1", "The whole case?")
    assert teamed.case_status(NAME, "C001").open_queries == 3
    teamed.save_judgement(NAME, "C001", "2.1.1", "yes", "insp-1", reason="plan found")
    got = {x.id: x for x in teamed.queries(NAME)}
    assert got[q.id].state == "answered" and got[q.id].replied_by == "insp-1"
    assert got[q.id].reply == "Answer changed from No to Yes: plan found"
    assert got[other.id].state == "open" and got[case_wide.id].state == "open"
    assert teamed.case_status(NAME, "C001").open_queries == 2
    # in a batch too, without a reason: the words say what changed
    teamed.save_judgements(NAME, [("C001", "2.1.2", "yes", "insp-1", None)])
    assert (
        teamed.queries(NAME, state="answered")[-1].reply == "Answer changed from no answer to Yes"
    )


def test_a_refused_change_leaves_the_query_open(teamed):
    teamed.save_judgement(NAME, "C001", "2.1.1", "no", "insp-1")
    q = teamed.open_query(NAME, "C001", "ql-1", "Is it really No?", question="2.1.1")
    with pytest.raises(StoreError):
        teamed.save_judgement(NAME, "C001", "2.1.1", "yes", "insp-2")
    assert teamed.queries(NAME)[0].state == "open" and q.state == "open"
