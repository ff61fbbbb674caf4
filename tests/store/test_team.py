"""The team of an inspection: members and their roles, access, and the allocation of cases,
on real SQLite and real PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from workbook.errors import StoreError
from workbook.reasons import Reason

from .sample import CASES, NAME


def codes(info) -> list[Reason]:
    return [p.code for p in info.value.problems]


def entries(store, entity):
    return [h for h in store.history(NAME) if h.entity == entity]


@pytest.fixture
def teamed(store):
    store.add_member(NAME, "lead-1", "lead inspector", by="lead-1")
    store.add_member(NAME, "insp-1", "inspector", by="lead-1")
    store.add_member(NAME, "insp-2", "Local-Assessor", by="lead-1")
    store.add_member(NAME, "ql-1", "quality_lead", by="lead-1")
    store.add_member(NAME, "view-1", "viewer", by="lead-1")
    return store


# -- members -----------------------------------------------------------------------------------


def test_members_in_order_with_roles_and_history(teamed):
    team = teamed.team(NAME)
    assert [(m.person, m.role) for m in team] == [
        ("lead-1", "lead_inspector"),
        ("insp-1", "inspector"),
        ("insp-2", "local_assessor"),
        ("ql-1", "quality_lead"),
        ("view-1", "viewer"),
    ]
    assert team[2].role_label == "local assessor" and team[1].added_by == "lead-1"
    rows = entries(teamed, "member")
    assert [(h.key, h.old, h.new, h.by) for h in rows][:2] == [
        ("lead-1", None, "lead_inspector", "lead-1"),
        ("insp-1", None, "inspector", "lead-1"),
    ]


def test_the_first_member_must_be_a_lead(store):
    with pytest.raises(StoreError) as info:
        store.add_member(NAME, "insp-1", "inspector", by="insp-1")
    assert codes(info) == [Reason.FIRST_MEMBER_LEAD]
    assert "first member must be its lead inspector" in str(info.value)
    assert store.team(NAME) == [] and entries(store, "member") == []


def test_only_a_lead_manages_the_team(teamed):
    for who, code in (("insp-1", Reason.ROLE_NOT_ALLOWED), ("nobody", Reason.NOT_A_MEMBER)):
        with pytest.raises(StoreError) as info:
            teamed.add_member(NAME, "new-1", "inspector", by=who)
        assert codes(info) == [code]
        with pytest.raises(StoreError) as info:
            teamed.change_role(NAME, "insp-1", "viewer", by=who)
        assert codes(info) == [code]
        with pytest.raises(StoreError) as info:
            teamed.remove_member(NAME, "insp-2", by=who)
        assert codes(info) == [code]
    assert len(teamed.team(NAME)) == 5
    with pytest.raises(StoreError) as info:
        teamed.add_member(NAME, "insp-1", "viewer", by="lead-1")
    assert codes(info) == [Reason.MEMBER_EXISTS] and "already a member" in str(info.value)


def test_unknown_role_and_empty_name(teamed):
    with pytest.raises(StoreError) as info:
        teamed.add_member(NAME, "new-1", "boss", by="lead-1")
    assert (
        codes(info) == [Reason.UNKNOWN_ROLE] and "lead inspector" in info.value.problems[0].allowed
    )
    with pytest.raises(StoreError) as info:
        teamed.add_member(NAME, "  ", "inspector", by="lead-1")
    assert codes(info) == [Reason.NO_INSPECTOR]


def test_change_role_and_remove_with_history(teamed):
    changed = teamed.change_role(NAME, "insp-2", "inspector", by="lead-1")
    assert changed.role == "inspector"
    teamed.remove_member(NAME, "view-1", by="lead-1")
    assert [m.person for m in teamed.team(NAME)] == ["lead-1", "insp-1", "insp-2", "ql-1"]
    rows = entries(teamed, "member")[-2:]
    assert [(h.key, h.old, h.new) for h in rows] == [
        ("insp-2", "local_assessor", "inspector"),
        ("view-1", "viewer", None),
    ]
    with pytest.raises(StoreError) as info:
        teamed.remove_member(NAME, "view-1", by="lead-1")
    assert codes(info) == [Reason.NOT_A_MEMBER]


def test_the_last_lead_stays(teamed):
    for act in (
        lambda: teamed.change_role(NAME, "lead-1", "inspector", by="lead-1"),
        lambda: teamed.remove_member(NAME, "lead-1", by="lead-1"),
    ):
        with pytest.raises(StoreError) as info:
            act()
        assert codes(info) == [Reason.LAST_LEAD] and "only lead inspector" in str(info.value)
    teamed.change_role(NAME, "insp-1", "lead inspector", by="lead-1")
    teamed.change_role(NAME, "lead-1", "inspector", by="insp-1")
    assert teamed.access(NAME, "lead-1").role == "inspector"


def test_access(store):
    free = store.access(NAME, "anyone")
    assert free.can_write and not free.team
    store.add_member(NAME, "lead-1", "lead_inspector", by="lead-1")
    store.add_member(NAME, "view-1", "viewer", by="lead-1")
    outsider = store.access(NAME, "anyone")
    assert outsider.team and not outsider.can_write and "lead-1" in outsider.why
    assert not store.access(NAME, "view-1").can_write
    assert store.access(NAME, "lead-1").can_write


# -- allocation --------------------------------------------------------------------------------


def test_allocate_and_reallocate_recorded(teamed):
    work = teamed.allocate(NAME, "C001", "insp-1", by="lead-1")
    assert work.allocated_to == "insp-1" and work.status == "not_started"
    teamed.allocate(NAME, "C001", "insp-2", by="lead-1")
    assert teamed.case_status(NAME, "C001").allocated_to == "insp-2"
    rows = entries(teamed, "allocation")
    assert [(h.key, h.case_id, h.old, h.new, h.by) for h in rows] == [
        ("C001", "C001", None, "insp-1", "lead-1"),
        ("C001", "C001", "insp-1", "insp-2", "lead-1"),
    ]


def test_allocation_rules(teamed):
    cases = [
        (("C001", "insp-1", "insp-2"), Reason.ROLE_NOT_ALLOWED),  # by an inspector
        (("C001", "ql-1", "lead-1"), Reason.ROLE_NOT_ALLOWED),  # to a quality lead
        (("C001", "view-1", "lead-1"), Reason.ROLE_NOT_ALLOWED),  # to a viewer
        (("C001", "nobody", "lead-1"), Reason.NOT_A_MEMBER),
        (("C999", "insp-1", "lead-1"), Reason.UNKNOWN_CASE),
    ]
    for (case_id, person, by), code in cases:
        with pytest.raises(StoreError) as info:
            teamed.allocate(NAME, case_id, person, by=by)
        assert codes(info) == [code], (case_id, person, by)
    assert entries(teamed, "allocation") == []


def _many_cases(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case_id": [f"D{i:03d}" for i in range(n)],
            "sample": ["case_supervision" if i % 3 else "unpaid_work" for i in range(n)],
            "ldu": [("North", "South", "East", "West")[i % 4] for i in range(n)],
        }
    )


def test_allocate_evenly_is_seeded_and_even(teamed, store_url):
    teamed.import_cases(NAME, _many_cases(47))
    teamed.allocate(NAME, "C001", "lead-1", by="lead-1")
    first = teamed.allocate_evenly(NAME, by="lead-1", seed=7)
    assert set(first) == {"insp-1", "insp-2"}  # the inspectors and local assessors
    counts = [len(v) for v in first.values()]
    assert sum(counts) == 50 and max(counts) - min(counts) <= 1
    assert "C001" not in first["insp-1"] + first["insp-2"]
    cases = teamed.cases(NAME).set_index("case_id")
    by_group = Counter()
    for person, ids in first.items():
        for cid in ids:
            by_group[(cases.loc[cid, "sample"], cases.loc[cid, "ldu"], person)] += 1
    for sample, ldu in {(s, ldu_) for s, ldu_, _p in by_group}:
        here = [by_group[(sample, ldu, p)] for p in first]
        assert max(here) - min(here) <= 1, (sample, ldu, here)
    work = teamed.case_work(NAME)
    assert all(work[c].allocated_to == p for p, ids in first.items() for c in ids)
    assert teamed.allocate_evenly(NAME, by="lead-1", seed=7) == {"insp-1": [], "insp-2": []}
    # the same seed on the same cases and people gives the same allocation; another seed not
    twin = "twin"
    teamed.create_inspection(twin, "hmip-2018-crc", cases=pd.concat([CASES, _many_cases(47)]))
    teamed.add_member(twin, "lead-1", "lead inspector", by="lead-1")
    teamed.add_member(twin, "insp-1", "inspector", by="lead-1")
    teamed.add_member(twin, "insp-2", "local assessor", by="lead-1")
    teamed.allocate(twin, "C001", "lead-1", by="lead-1")
    assert teamed.allocate_evenly(twin, by="lead-1", seed=7) == first
    teamed.create_inspection("third", "hmip-2018-crc", cases=pd.concat([CASES, _many_cases(47)]))
    other = teamed.allocate_evenly("third", by="x", seed=8, people=["insp-1", "insp-2"])
    assert other != first


def test_allocate_evenly_to_named_people_and_refusals(teamed):
    got = teamed.allocate_evenly(NAME, by="lead-1", seed=1, people=["lead-1", "insp-1"])
    assert sorted(c for v in got.values() for c in v) == ["C001", "C002", "C003", "C004"]
    assert {len(v) for v in got.values()} == {2}
    with pytest.raises(StoreError) as info:
        teamed.allocate_evenly(NAME, by="insp-1", seed=1)
    assert codes(info) == [Reason.ROLE_NOT_ALLOWED]
    with pytest.raises(StoreError) as info:
        teamed.allocate_evenly(NAME, by="lead-1", seed=1, people=["ql-1"])
    assert codes(info) == [Reason.ROLE_NOT_ALLOWED]


def test_allocate_evenly_takes_cases_the_case_list_gave_to_people_outside_the_team(teamed):
    extra = pd.DataFrame(
        {
            "case_id": ["E1", "E2", "E3"],
            "sample": ["case_supervision"] * 3,
            "inspector": ["inspector 3", "insp-1", "lead-1"],  # inspector 3 is not a member
        }
    )
    teamed.import_cases(NAME, extra)
    got = teamed.allocate_evenly(NAME, by="lead-1", seed=3)
    dealt = sorted(c for v in got.values() for c in v)
    assert dealt == ["C001", "C002", "C003", "C004", "E1"]  # E2 and E3 stay with members
    work = teamed.case_work(NAME)
    assert work["E2"].allocated_to == "insp-1" and work["E3"].allocated_to == "lead-1"
    moved = [e for e in entries(teamed, "allocation") if e.key == "E1"]
    assert [(e.old, e.new) for e in moved][-1] == ("inspector 3", work["E1"].allocated_to)


def test_allocate_evenly_with_nobody(store):
    with pytest.raises(StoreError) as info:
        store.allocate_evenly(NAME, by="anyone", seed=1)
    assert codes(info) == [Reason.EMPTY_VALUE] and "nobody to allocate" in str(info.value)


def test_a_case_list_inspector_column_is_the_allocation(store):
    extra = pd.DataFrame(
        {
            "case_id": ["E1", "E2", "E3"],
            "sample": ["case_supervision"] * 3,
            "inspector": ["insp-1", None, "insp-2"],
        }
    )
    store.import_cases(NAME, extra)
    work = store.case_work(NAME)
    assert (work["E1"].allocated_to, work["E2"].allocated_to, work["E3"].allocated_to) == (
        "insp-1",
        None,
        "insp-2",
    )
    store.allocate(NAME, "E1", "insp-3", by="anyone")
    store.import_cases(NAME, extra)  # the same list again: the reallocation stands
    assert store.case_status(NAME, "E1").allocated_to == "insp-3"
    changed = extra.assign(inspector=["insp-1", "insp-1", "insp-2"])
    store.import_cases(NAME, changed)
    assert store.case_status(NAME, "E2").allocated_to == "insp-1"
    rows = [(h.key, h.old, h.new) for h in entries(store, "allocation")]
    assert rows == [
        ("E1", None, "insp-1"),
        ("E3", None, "insp-2"),
        ("E1", "insp-1", "insp-3"),
        ("E2", None, "insp-1"),
    ]


def test_create_inspection_reads_the_inspector_column(store_url):
    from workbook.store import open_store

    with open_store(store_url) as s:
        cases = pd.DataFrame(
            {"case_id": ["A1", "A2"], "sample": ["case_supervision"] * 2, "inspector": ["p", "q"]}
        )
        s.create_inspection("fresh", "hmip-2018-crc", cases=cases)
        assert {c: w.allocated_to for c, w in s.case_work("fresh").items()} == {
            "A1": "p",
            "A2": "q",
        }
        assert [h.new for h in s.history("fresh") if h.entity == "allocation"] == ["p", "q"]


# -- export and import of the team's tables ----------------------------------------------------


def _team_work(store):
    store.add_member(NAME, "lead-1", "lead inspector", by="lead-1")
    store.add_member(NAME, "insp-1", "inspector", by="lead-1")
    store.add_member(NAME, "ql-1", "quality lead", by="lead-1")
    store.allocate(NAME, "C001", "insp-1", by="lead-1")
    kqs = [
        q.id for q in store.framework(NAME).rated_key_questions if q.sample == "case_supervision"
    ]
    for q in kqs:
        store.save_judgement(NAME, "C001", q, "yes" if q != "2.2.3" else "not_applicable", "insp-1")
    store.sign_off(NAME, "C001", by="insp-1")
    store.save_judgement(NAME, "C001", "2.1.1", "no", "insp-1", reason="file re-read")
    store.flag_probe(NAME, "C001", by="insp-1", note="risk plan")
    query = store.open_query(NAME, "C001", "ql-1", "Why No?", question="2.1.1")
    store.reply_query(NAME, query.id, "insp-1", "No plan on file.")
    store.lock(NAME, "C001", by="lead-1")


def _strip(entries):
    return [e.__class__(**{**e.__dict__, "id": None, "version": None}) for e in entries]


def test_the_team_travels_in_the_export(store, other_url, tmp_path):
    from workbook.store import open_store

    _team_work(store)
    folder = store.export_inspection(NAME, tmp_path / "export")
    assert (folder / "members.csv").is_file() and (folder / "queries.csv").is_file()
    with open_store(other_url) as target:
        target.import_export(folder)
        assert target.team(NAME) == store.team(NAME)
        assert target.case_work(NAME) == store.case_work(NAME)
        assert target.locked_cases(NAME) == ["C001"]
        got, want = target.queries(NAME), store.queries(NAME)
        assert [q.__dict__ | {"id": 0} for q in got] == [q.__dict__ | {"id": 0} for q in want]
        reasons = [h.reason for h in target.history(NAME) if h.reason]
        assert reasons == ["file re-read"]
        assert _strip(target.history(NAME)) == _strip(store.history(NAME))
        # the imported team's rules hold
        with pytest.raises(StoreError) as info:
            target.save_judgement(NAME, "C001", "2.1.2", "no", "insp-1", reason="r")
        assert codes(info) == [Reason.CASE_LOCKED]


def test_an_export_from_before_the_team_still_imports(store, other_url, tmp_path):
    import csv
    import hashlib
    import json

    from workbook.store import open_store

    store.save_judgement(NAME, "C001", "2.1.1", "yes", "insp-1")
    folder = store.export_inspection(NAME, tmp_path / "export")
    manifest = json.loads((folder / "manifest.json").read_text())
    for fname in (
        "members.csv",
        "case_work.csv",
        "queries.csv",
        "second_judgements.csv",
        "adjudications.csv",
    ):
        (folder / fname).unlink()
        del manifest["files"][fname]
    with (folder / "history.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    cut = rows[0].index("reason")
    with (folder / "history.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([r[:cut] + r[cut + 1 :] for r in rows])
    data = (folder / "history.csv").read_bytes()
    manifest["files"]["history.csv"]["sha256"] = hashlib.sha256(data).hexdigest()
    manifest["format"] = 2
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with open_store(other_url) as target:
        target.import_export(folder)
        assert target.team(NAME) == [] and target.judgements(NAME).shape[0] == 1
        assert [h.entity for h in target.history(NAME)] == [h.entity for h in store.history(NAME)]


def test_a_team_row_of_an_unknown_case_is_refused(store, other_url, tmp_path):
    import hashlib
    import json

    from workbook.store import open_store

    store.allocate(NAME, "C001", "insp-1", by="anyone")
    folder = store.export_inspection(NAME, tmp_path / "export")
    text = (folder / "case_work.csv").read_text(encoding="utf-8").replace("C001", "Z999")
    (folder / "case_work.csv").write_text(text, encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["files"]["case_work.csv"]["sha256"] = hashlib.sha256(text.encode()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with open_store(other_url) as target:
        with pytest.raises(StoreError) as info:
            target.import_export(folder)
        assert codes(info) == [Reason.BAD_EXPORT] and info.value.problems[0].column == "case_id"
        assert target.inspections() == []
