"""JudgementForm: what is missing and completing a case; after a conflict the form shows the
colleague's note with their answer, so saving again never silently erases it; the inspector's
own unsaved note is quoted back, not lost."""

import pandas as pd

from workbook.store import open_store
from workbook.ui.inspect.judgement_form import JudgementForm


def test_a_colleagues_note_survives_a_conflict(demo_store, demo_url, demo_name):
    form = JudgementForm(demo_store, demo_name, inspector="inspector A")
    form.case_id = "D19-CS-002"
    question = "2.1.2"
    seen = form._versions[question]
    mine_before = form.answer_toggles[question].value

    colleague = open_store(demo_url)
    try:
        theirs = "no" if mine_before == "yes" else "yes"
        colleague.save_judgement(
            demo_name,
            "D19-CS-002",
            question,
            theirs,
            "inspector C",
            note="Colleague: evidence in the contact log",
            expect_version=seen,
        )
    finally:
        colleague.close()

    form.notes[question].value = "My own view"  # typed, not saved yet (saved with the answer)
    form.answer_toggles[question].value = theirs  # from a stale version: a conflict
    assert form.save_state == "conflict"
    assert form.notes[question].value == "Colleague: evidence in the contact log"
    assert "My own view" in form.message

    # choosing again replaces their answer but keeps the note shown (theirs) unless edited
    form.answer_toggles[question].value = mine_before
    stored = demo_store.case_judgements(demo_name, "D19-CS-002")[question]
    assert form.save_state == "saved" and stored.answer == mine_before
    assert stored.note == "Colleague: evidence in the contact log"


def test_form_lists_what_is_missing_and_completes(demo_store, demo_name):
    store = demo_store
    store.import_cases(
        demo_name,
        pd.DataFrame([{"case_id": "NEW-1", "sample": "case_supervision", "ldu": "Warwickshire"}]),
    )
    form = JudgementForm(store, demo_name, inspector="inspector B", case_id="NEW-1")
    assert not form.complete and len(form.missing) == 12
    assert "Still to answer: 2.1.1" in form.completeness.value
    assert [o[1] for o in form.answer_toggles["2.1.1"].options] == ["yes", "no"]  # no N/A
    assert [o[1] for o in form.answer_toggles["2.2.3"].options] == ["yes", "no", "not_applicable"]
    assert "Prompts for 2.1.1</summary>" in form.answer_toggles["2.1.1"].html()
    form.notes["2.1.1"].value = "the assessment quotes the victim's statement"  # before an answer
    assert "saved with its answer" in form.message
    for q, toggles in form.answer_toggles.items():
        toggles.value = "not_applicable" if q in ("2.2.3", "2.3.3", "2.4.3") else "yes"
    assert form.complete and form.missing == []
    assert "Complete" in form.completeness.value
    stored = store.case_judgements(demo_name, "NEW-1")
    assert stored["2.1.1"].note == "the assessment quotes the victim's statement"
    assert stored["2.2.3"].answer == "not_applicable"


def test_listeners_are_registered_and_removed_as_button_clicks_are(demo_store, demo_name):
    """on_saved(callback, remove=False), as ipywidgets' Button.on_click; a listener's
    WorkbookError is shown in the form's feedback area, never raised into the page."""
    from workbook.errors import WorkbookError

    form = JudgementForm(demo_store, demo_name, inspector="inspector A", case_id="D19-CS-001")
    heard = []

    def listen(*change):
        heard.append(change)

    def fail(*change):
        raise WorkbookError("the board could not take the change in.")

    form.on_saved(listen)
    form.on_saved(fail)
    first = form.answer_toggles["2.1.1"].value
    flipped = "no" if first == "yes" else "yes"
    form.answer_toggles["2.1.1"].value = flipped
    assert heard == [("D19-CS-001", "2.1.1", first, flipped)]
    assert "could not take the change in" in form.feedback.value
    form.on_saved(listen, remove=True)
    form.on_saved(fail, remove=True)
    form.answer_toggles["2.1.1"].value = first
    assert len(heard) == 1 and form.save_state == "saved"


def _facts(form) -> dict[str, str]:
    import re

    return dict(re.findall(r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', form.facts.value))


def test_in_a_team_the_case_lists_inspector_is_labelled_beside_the_allocation(
    demo_store, demo_url, demo_name
):
    """Without a team the case list's "Inspector" is a fact as any other. In a team the status
    bar says who the case is allocated to, so the case list's inspector is "Inspector in the
    case list", and left out where it is the allocation (again after a live reallocation)."""
    from workbook.ui.inspect.live import LiveFollower

    store = demo_store
    alone = JudgementForm(store, demo_name, inspector="inspector a", case_id="D19-CS-001")
    assert _facts(alone)["Inspector"] == "inspector 1"
    assert "Inspector in the case list" not in _facts(alone)
    store.add_member(demo_name, "lead", "lead inspector", by="lead")
    for person in ("inspector a", "inspector 2"):
        store.add_member(demo_name, person, "inspector", by="lead")
    store.allocate(demo_name, "D19-CS-001", "inspector a", by="lead")
    form = JudgementForm(store, demo_name, inspector="inspector a", case_id="D19-CS-001")
    facts = _facts(form)
    assert "Inspector" not in facts and facts["Inspector in the case list"] == "inspector 1"
    assert "Allocated to you (inspector a)" in form.status_bar.text
    assert facts["Sample"] == "case supervision"  # the other facts as before
    form.case_id = "D19-CS-002"  # the case list's inspector has it: said once, by the status bar
    facts = _facts(form)
    assert "Inspector" not in facts and "Inspector in the case list" not in facts
    assert "Allocated to inspector 2" in form.status_bar.text
    follower = LiveFollower.open(store, demo_name)
    follower.on_change(form.apply_changes)
    other = open_store(demo_url)  # the lead reallocates the case shown, in another session
    try:
        other.allocate(demo_name, "D19-CS-002", "inspector a", by="lead")
    finally:
        other.close()
    assert follower.check()
    follower.close()
    assert "Allocated to you (inspector a)" in form.status_bar.text
    assert _facts(form)["Inspector in the case list"] == "inspector 2"
