"""CaseNavigator: filters, stepping and the next case not assessed, against a real SQLite store."""

import pandas as pd

from workbook.ui.inspect.case_navigator import CaseNavigator


def test_navigator_filters_steps_and_finds_the_next_case_not_assessed(demo_store, demo_name):
    store = demo_store
    store.import_cases(
        demo_name,
        pd.DataFrame(
            [
                {
                    "case_id": "NEW-2",
                    "sample": "unpaid_work",
                    "ldu": "Worcestershire",
                    "inspector": "inspector 2",
                }
            ]
        ),
    )
    nav = CaseNavigator(store, demo_name)
    assert len(nav.shown) == 142
    nav.sample_filter.value = "unpaid_work"
    assert len(nav.shown) == 26
    nav.state_filter.value = "not started"
    assert nav.shown == ["NEW-2"]
    nav.state_filter.value = "all"
    nav.ldu_filter.value = "Worcestershire"
    assert all(c.startswith(("D19-UW", "NEW")) for c in nav.shown)
    nav.case_id = nav.shown[0]
    nav.next_button.click()
    assert nav.case_id == nav.shown[1]
    nav.previous_button.click()
    assert nav.case_id == nav.shown[0]
    nav.next_unassessed_button.click()
    assert nav.case_id == "NEW-2" and nav.state_of("NEW-2") == "not started"
    assert "of 26 cases assessed" in nav.progress.children[0].value
    nav.judgement_saved("NEW-2", "4.1.1", None, "yes")
    assert nav.state_of("NEW-2") == "in progress"


def _team(store, name):
    store.add_member(name, "lead", "lead inspector", by="lead")
    store.add_member(name, "alice", "inspector", by="lead")
    store.add_member(name, "carol", "local assessor", by="lead")
    store.add_member(name, "quinn", "quality lead", by="lead")
    store.allocate(name, "D19-CS-001", "alice", by="lead")
    store.allocate(name, "D19-CS-002", "alice", by="lead")
    store.allocate(name, "D19-CS-003", "carol", by="lead")


def _complete(store, name, case_id, who):
    fw = store.framework(name)
    for std in fw.standards_for_sample("case_supervision"):
        for kq in std.key_questions:
            na = "not_applicable" in kq.allowed_answers
            store.save_judgement(name, case_id, kq.id, "not_applicable" if na else "yes", who)
    store.sign_off(name, case_id, by=who)


def _label(nav, case_id):
    return dict((v, k) for k, v in nav.case_list.options)[case_id]


def test_the_list_says_status_who_has_the_case_and_open_queries(demo_store, demo_name):
    store, name = demo_store, demo_name
    _team(store, name)
    _complete(store, name, "D19-CS-001", "alice")
    store.open_query(name, "D19-CS-002", "quinn", "Which contact shows this?", "2.1.1")
    store.import_cases(name, pd.DataFrame([{"case_id": "NEW-U", "sample": "unpaid_work"}]))
    nav = CaseNavigator(store, name, me="alice")
    ldu = {c["case_id"]: c["ldu"] for c in store.cases(name).to_dict("records")}
    # id, status, who has it, open queries, then the LDU (last: the list is narrow)
    assert _label(nav, "D19-CS-001") == f"D19-CS-001 · complete · alice · {ldu['D19-CS-001']}"
    assert _label(nav, "D19-CS-002").endswith(f" · alice · 1 open query · {ldu['D19-CS-002']}")
    assert _label(nav, "D19-CS-003").endswith(f" · carol (local assessor) · {ldu['D19-CS-003']}")
    assert f" · inspector 4 · {ldu['D19-CS-004']}" in _label(nav, "D19-CS-004")  # case list's
    assert _label(nav, "NEW-U") == "NEW-U · not started · not allocated"  # no LDU given
    assert ("carol (local assessor)", "carol") in nav.inspector_filter.options
    assert nav.state_filter.description == "Status"
    assert [v for _, v in nav.state_filter.options][1:] == [
        "not started",
        "in progress",
        "complete",
        "quality assured",
        "locked",
    ]
    nav.state_filter.value = "complete"
    assert nav.shown == ["D19-CS-001"]
    nav.state_filter.value = "all"
    assert nav.mine_filter.description == "My cases (allocated to alice)"
    nav.mine_filter.value = True
    assert nav.shown == ["D19-CS-001", "D19-CS-002"]
    nav.inspector_filter.value = "carol"
    assert nav.shown == []
    nav.mine_filter.value = False
    assert nav.shown == ["D19-CS-003"]
    assert CaseNavigator(store, name).mine_filter.disabled  # nobody to call "me"


def test_apply_changes_follows_colleagues_saves_statuses_and_queries(demo_store, demo_name):
    store, name = demo_store, demo_name
    _team(store, name)
    store.import_cases(
        name,
        pd.DataFrame([{"case_id": "NEW-3", "sample": "case_supervision", "ldu": "Warwickshire"}]),
    )
    store.allocate(name, "NEW-3", "alice", by="lead")
    nav = CaseNavigator(store, name, me="alice")
    seen = store.history(name)[-1].id
    assert nav.state_of("NEW-3") == "not started" and not nav.assessed("NEW-3")

    def since():
        nonlocal seen
        new = [e for e in store.history(name) if e.id > seen]
        seen = max([seen] + [e.id for e in new])
        return new

    store.save_judgement(name, "NEW-3", "2.1.1", "yes", "alice")
    assert nav.apply_changes(since())
    assert nav.state_of("NEW-3") == "in progress"
    assert "NEW-3 · in progress" in _label(nav, "NEW-3")
    _complete(store, name, "NEW-3", "alice")
    query = store.open_query(name, "NEW-3", "quinn", "Check the plan's dates.")
    nav.apply_changes(since())
    assert nav.state_of("NEW-3") == "complete" and nav.assessed("NEW-3")
    assert "1 open query" in _label(nav, "NEW-3").split(" · ")
    store.reply_query(name, query.id, "alice", "Dates checked.")
    store.allocate(name, "NEW-3", "carol", by="lead")
    nav.apply_changes(since())
    assert _label(nav, "NEW-3").split(" · ")[2] == "carol (local assessor)"
    nav.mine_filter.value = True
    assert "NEW-3" not in nav.shown
    assert nav.apply_changes([]) is False
