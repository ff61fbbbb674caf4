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
