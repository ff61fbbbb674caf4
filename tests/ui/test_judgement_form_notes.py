"""After a conflict the form shows the colleague's note with their answer, so saving again
never silently erases it; the inspector's own unsaved note is quoted back, not lost."""

from workbook.store import open_store
from workbook.ui.judgement_form import JudgementForm


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
