"""The judgement form in a team, against a real SQLite store: who may write (read-only with the
reason shown, not an error), the store's refusals as the form's error summary, the status bar
and sign-off, the reason asked before a signed case's answer changes, the quality lead's
queries with a reply, "probe further", the blind second rating, and a colleague's change
warned before I click."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.store import open_store
from workbook.ui.inspect.judgement_form import JudgementForm

CASE = "D19-CS-002"  # answered in the demo
NEW = "NEW-T1"  # no answer yet
NA = ("2.2.3", "2.3.3", "2.4.3")  # the case-supervision key questions allowing Not applicable


@pytest.fixture
def team(demo_store, demo_name):
    """The demo inspection with a team: a lead, two inspectors, a local assessor, a quality
    lead and a viewer; CASE and NEW allocated to alice."""
    s, n = demo_store, demo_name
    s.add_member(n, "lead", "lead inspector", by="lead")
    for person, role in (
        ("alice", "inspector"),
        ("bob", "inspector"),
        ("carol", "local assessor"),
        ("quinn", "quality lead"),
        ("vic", "viewer"),
    ):
        s.add_member(n, person, role, by="lead")
    s.import_cases(
        n, pd.DataFrame([{"case_id": NEW, "sample": "case_supervision", "ldu": "Warwickshire"}])
    )
    s.allocate(n, CASE, "alice", by="lead")
    s.allocate(n, NEW, "alice", by="lead")
    return s


def _flip(answer):
    return "no" if answer == "yes" else "yes"


def _form(store, name, who, case_id=CASE):
    return JudgementForm(store, name, inspector=who, case_id=case_id)


@pytest.mark.parametrize(
    ("who", "words"),
    [
        ("zed", "zed is not a member of the team"),
        ("vic", "vic is a viewer"),
        ("bob", "Allocated to alice: only alice may answer it"),
        ("quinn", "quality leads query answers"),
    ],
)
def test_who_may_not_write_sees_the_case_read_only_with_the_reason(team, demo_name, who, words):
    form = _form(team, demo_name, who)
    assert words in form.notice.text and "Read-only" in form.notice.text
    assert 'class="wb-inset-text"' in form.notice.value  # inset text, not an error summary
    assert form.feedback.kind == ""
    assert form.read_only and all(c.disabled for c in form.answer_toggles.values())
    assert all(n.disabled for n in form.notes.values())
    assert "Read-only" in form.state_label.value
    mine = _form(team, demo_name, "alice")
    assert mine.notice.value == "" and not mine.read_only
    assert not any(c.disabled for c in mine.answer_toggles.values())


def test_a_locked_case_is_read_only_naming_who_locked_it(team, demo_name):
    fw = team.framework(demo_name)
    for q in [
        kq.id for std in fw.standards_for_sample("case_supervision") for kq in std.key_questions
    ]:
        team.save_judgement(demo_name, NEW, q, "not_applicable" if q in NA else "yes", "alice")
    team.sign_off(demo_name, NEW, by="alice")
    team.lock(demo_name, NEW, by="lead")
    form = _form(team, demo_name, "alice", NEW)
    assert "Locked by lead for rating" in form.notice.text
    assert form.read_only and "Locked for rating" in form.status_bar.text


def test_a_refusal_of_the_store_is_the_forms_error_summary_naming_the_rule(team, demo_name):
    form = _form(team, demo_name, "alice")
    control = form.answer_toggles["2.1.2"]
    before = control.value
    team.allocate(demo_name, CASE, "bob", by="lead")  # reallocated while alice has it open
    control.value = _flip(before)
    assert form.save_state == "error"
    area = form.question_feedback["2.1.2"]
    assert area.kind == "problems" and "bob" in area.text and "2.1.2 was not saved." in area.text
    assert control.value == before
    assert team.case_judgements(demo_name, CASE)["2.1.2"].answer == before


def test_sign_off_is_offered_once_every_key_question_is_answered(team, demo_name):
    form = _form(team, demo_name, "alice", NEW)
    bar = form.status_bar
    assert "Status: Not started" in bar.text and "Allocated to you (alice)" in bar.text
    assert bar.sign_off_button.disabled and "2.1.1" in bar.sign_off_button.tooltip
    for q, control in form.answer_toggles.items():
        control.value = "not_applicable" if q in NA else "yes"
    assert "In progress" in bar.text and not bar.sign_off_button.disabled
    bar.sign_off_button.click()
    assert team.case_status(demo_name, NEW).status == "complete"
    assert "Complete (signed off)" in bar.text and "by alice" in bar.text
    assert bar.sign_off_button.layout.display == "none"
    assert "signed off" in form.feedback.text
    other = _form(team, demo_name, "bob", NEW)  # not offered to someone else
    assert other.status_bar.sign_off_button.layout.display == "none"


def test_sign_off_refused_by_the_store_is_shown_with_the_missing_questions(team, demo_name):
    form = _form(team, demo_name, "alice", NEW)
    form.answer_toggles["2.1.1"].value = "yes"
    form.status_bar.sign_off_button.disabled = False  # a stale page: the store decides
    form.sign_off()
    assert form.feedback.kind == "problems" and "2.1.2" in form.feedback.text
    assert team.case_status(demo_name, NEW).status == "in_progress"


def _complete(store, name, case_id, who="alice"):
    fw = store.framework(name)
    for std in fw.standards_for_sample("case_supervision"):
        for kq in std.key_questions:
            store.save_judgement(
                name, case_id, kq.id, "not_applicable" if kq.id in NA else "yes", who
            )
    store.sign_off(name, case_id, by=who)


def test_changing_a_signed_off_answer_first_asks_for_a_reason(team, demo_name):
    _complete(team, demo_name, NEW)
    form = _form(team, demo_name, "alice", NEW)
    prompt = form.reason_prompts["2.1.1"]
    assert prompt.layout.display == "none"
    form.answer_toggles["2.1.1"].value = "no"
    assert prompt.layout.display is None and prompt.asking
    assert "from Yes to No needs a reason" in prompt.intro.value
    assert prompt.reason.description == "Reason for changing 2.1.1"
    assert team.case_judgements(demo_name, NEW)["2.1.1"].answer == "yes"  # not saved yet
    prompt.save_button.click()  # no reason: the store refuses, the rule named by the answers
    area = form.question_feedback["2.1.1"]
    assert area.kind == "problems" and "reason" in area.text
    assert team.case_judgements(demo_name, NEW)["2.1.1"].answer == "yes"
    assert prompt.asking and form.answer_toggles["2.1.1"].value == "no"  # to try again
    form.notes["2.1.1"].value = "re-read"  # typed while asked: saved with the answer
    assert team.case_judgements(demo_name, NEW)["2.1.1"].note is None
    prompt.reason.value = "the risk assessment was re-read"
    prompt.save_button.click()
    assert form.save_state == "saved" and not prompt.asking
    stored = team.case_judgements(demo_name, NEW)["2.1.1"]
    assert stored.answer == "no" and stored.note == "re-read"
    form.notes["2.1.2"].value = "a note changes too"  # the store asks a reason for it too
    assert "changing the note on 2.1.2 needs a reason" in form.reason_prompts["2.1.2"].intro.value
    assert team.case_judgements(demo_name, NEW)["2.1.2"].note is None
    form.reason_prompts["2.1.2"].reason.value = "the note was missing"
    form.reason_prompts["2.1.2"].save_button.click()
    assert team.case_judgements(demo_name, NEW)["2.1.2"].note == "a note changes too"
    entry = [e for e in team.history(demo_name, NEW) if e.reason][0]
    assert entry.question == "2.1.1" and entry.reason == "the risk assessment was re-read"


def test_cancel_keeps_the_saved_answer(team, demo_name):
    _complete(team, demo_name, NEW)
    form = _form(team, demo_name, "alice", NEW)
    form.answer_toggles["2.1.2"].value = "no"
    form.answer_toggles["2.1.2"].value = "yes"  # chosen back: nothing asked
    assert not form.reason_prompts["2.1.2"].asking
    form.answer_toggles["2.1.2"].value = "no"
    assert form.reason_prompts["2.1.2"].asking
    form.reason_prompts["2.1.2"].cancel_button.click()
    assert form.answer_toggles["2.1.2"].value == "yes"
    assert form.reason_prompts["2.1.2"].layout.display == "none"
    assert team.case_judgements(demo_name, NEW)["2.1.2"].answer == "yes"


def test_open_queries_sit_by_their_question_with_a_reply_box(team, demo_name):
    on_kq = team.open_query(demo_name, CASE, "quinn", "Is the victim's view recorded?", "2.1.1")
    on_case = team.open_query(demo_name, CASE, "quinn", "Check the dates of contact.")
    form = _form(team, demo_name, "alice")
    panel = form.query_panels["2.1.1"]
    assert "Open query on 2.1.1" in panel.text and "victim's view recorded?" in panel.text
    assert "Open query on the case" in form.case_queries.text
    assert form.query_panels["2.1.2"].children == ()
    box, button = panel.replies[on_kq.id], panel.reply_buttons[on_kq.id]
    assert box.description == f"Reply to query {on_kq.id}" and button.description == "Send reply"
    box.value = "Yes: in the pre-sentence report"
    button.click()
    (stored,) = team.queries(demo_name, case_id=CASE, state="answered")
    assert stored.id == on_kq.id and stored.reply == "Yes: in the pre-sentence report"
    assert "Answered query on 2.1.1" in form.query_panels["2.1.1"].text
    assert not form.query_panels["2.1.1"].replies  # no reply box once answered
    assert on_case.id in form.case_queries.replies
    viewer = _form(team, demo_name, "bob")  # someone else's case: the reply box is disabled
    assert viewer.case_queries.reply_buttons[on_case.id].disabled


def test_changing_the_answer_with_a_reason_answers_its_query(team, demo_name):
    _complete(team, demo_name, NEW)
    query = team.open_query(demo_name, NEW, "quinn", "Yes? The plan has no review date.", "2.1.1")
    form = _form(team, demo_name, "alice", NEW)
    form.answer_toggles["2.1.1"].value = "no"
    form.reason_prompts["2.1.1"].reason.value = "no review date in the plan"
    form.reason_prompts["2.1.1"].save_button.click()
    (stored,) = team.queries(demo_name, case_id=NEW)
    assert stored.id == query.id and stored.state == "answered"
    assert "no review date in the plan" in form.query_panels["2.1.1"].text


def test_probe_further_is_a_flag_with_a_note(team, demo_name):
    form = _form(team, demo_name, "alice")
    assert form.probe.flag.description.startswith("Probe further")
    form.probe.note.value = "ask about the breach"  # saved once flagged
    assert not team.case_status(demo_name, CASE).probe
    form.probe.flag.value = True
    work = team.case_status(demo_name, CASE)
    assert work.probe and work.probe_note == "ask about the breach"
    assert "Flagged: probe further" in form.probe.state.value
    again = _form(team, demo_name, "alice")
    assert again.probe.flag.value and again.probe.note.value == "ask about the breach"
    assert _form(team, demo_name, "vic").probe.flag.disabled


def test_a_second_rater_sees_no_first_answer_and_saves_a_second_one(team, demo_name):
    team.set_second_rater(demo_name, CASE, "bob", by="lead")
    first = team.case_judgements(demo_name, CASE)
    ratings_before = team.judgements(demo_name)
    form = _form(team, demo_name, "bob")
    heard = []
    form.on_saved(lambda *c: heard.append(c))
    assert form.mode == "second" and not form.read_only
    assert "Second rating (blind)" in form.facts.value
    assert all(c.value is None for c in form.answer_toggles.values())
    assert all(n.value == "" for n in form.notes.values())
    assert form.status_bar.sign_off_button.layout.display == "none"
    form.answer_toggles["2.1.1"].value = _flip(first["2.1.1"].answer)
    assert form.save_state == "saved"
    seconds = team.second_judgements(demo_name, CASE, "bob")
    assert seconds[(CASE, "2.1.1")].answer == _flip(first["2.1.1"].answer)
    pd.testing.assert_frame_equal(team.judgements(demo_name), ratings_before)
    assert heard == []  # a second answer never moves the board
    q = "2.1.2"
    team.save_judgement(
        demo_name, CASE, q, _flip(first[q].answer), "alice", expect_version=first[q].version
    )
    entry = team.history(demo_name, CASE)[-1]
    assert entry.entity == "judgement" and entry.by == "alice"
    assert form.apply_changes([entry]) == []  # no first answer leaks into a warning
    assert form.changes.layout.display == "none"
    form.reload()
    assert form.answer_toggles[q].value is None


def test_a_colleagues_change_of_my_case_is_warned_before_i_click(demo_store, demo_url, demo_name):
    form = _form(demo_store, demo_name, "inspector A")
    assert form.changes.layout.display == "none"
    before = form.answer_toggles["2.1.2"].value
    colleague = open_store(demo_url)
    try:
        colleague.save_judgement(demo_name, CASE, "2.1.2", _flip(before), "inspector C")
        elsewhere = colleague.case_judgements(demo_name, "D19-CS-003")["2.1.1"].answer
        colleague.save_judgement(demo_name, "D19-CS-003", "2.1.1", _flip(elsewhere), "inspector C")
    finally:
        colleague.close()
    entry = demo_store.history(demo_name, CASE)[-1]
    assert form.apply_changes([entry]) != []
    words = {"yes": "Yes", "no": "No"}
    assert (
        f"2.1.2 was changed by inspector C at {entry.at:%H:%M} from {words[before]} to "
        f"{words[_flip(before)]}." in form.changes.text
    )
    assert 'role="alert"' in form.changes.html.value and form.changes.layout.display is None
    children = list(form.children)
    assert children.index(form.changes) < children.index(form.questions)
    assert form.changes.reload_button.description == "Reload this case"
    assert form.answer_toggles["2.1.2"].value == before  # nothing changes before I click
    form.changes.reload_button.click()
    assert form.answer_toggles["2.1.2"].value == _flip(before)
    assert form.changes.layout.display == "none"
    # my own changes and other cases' changes are not warned of
    mine = [e for e in demo_store.history(demo_name, CASE) if e.entity == "judgement"][-1]
    assert form.apply_changes([mine], me="inspector C") == []
    other = demo_store.history(demo_name, "D19-CS-003")[-1]
    assert other.by == "inspector C" and form.apply_changes([other]) == []


def test_a_colleagues_query_and_reallocation_show_at_once(team, demo_name):
    first = team.open_query(demo_name, CASE, "quinn", "Dates of contact?")
    form = _form(team, demo_name, "alice")
    form.case_queries.replies[first.id].value = "half typed"
    seen = team.history(demo_name)[-1].id
    team.open_query(demo_name, CASE, "quinn", "Is the victim's view recorded?", "2.1.1")
    new = [e for e in team.history(demo_name) if e.id > seen]
    lines = form.apply_changes(new)
    assert lines == [
        f"quinn opened a query on 2.1.1 at {new[-1].at:%H:%M}: “Is the victim's view recorded?”"
    ]
    assert "victim's view recorded?" in form.query_panels["2.1.1"].text  # shown at once
    assert form.case_queries.replies[first.id].value == "half typed"  # not lost
    assert not form.read_only
    seen = new[-1].id
    team.allocate(demo_name, CASE, "bob", by="lead")
    new = [e for e in team.history(demo_name) if e.id > seen]
    form.apply_changes(new)
    assert "Allocated to bob" in form.notice.text and form.read_only
    assert all(c.disabled for c in form.answer_toggles.values())
    assert "The case was allocated to bob by lead" in form.changes.text


def test_an_unallocated_case_is_read_only_until_allocated(team, demo_name):
    team.import_cases(
        demo_name,
        pd.DataFrame([{"case_id": "NEW-T2", "sample": "case_supervision", "ldu": "Warwickshire"}]),
    )
    form = _form(team, demo_name, "lead", "NEW-T2")
    assert "Not allocated yet" in form.notice.text and form.read_only
    assert "Not allocated yet." in form.status_bar.text
    team.allocate(demo_name, "NEW-T2", "lead", by="lead")
    form.reload()
    assert form.notice.value == "" and not form.read_only
    form.answer_toggles["2.1.1"].value = "yes"
    assert team.case_judgements(demo_name, "NEW-T2")["2.1.1"].inspector == "lead"


def test_a_conflict_while_giving_a_reason_shows_their_answer(team, demo_url, demo_name):
    _complete(team, demo_name, NEW)
    form = _form(team, demo_name, "alice", NEW)
    other = open_store(demo_url)  # alice in another window saves first
    try:
        other.save_judgement(demo_name, NEW, "2.1.1", "no", "alice", reason="other window")
    finally:
        other.close()
    form.answer_toggles["2.1.1"].value = "no"
    prompt = form.reason_prompts["2.1.1"]
    prompt.reason.value = "my reason"
    prompt.save_button.click()
    assert form.save_state == "conflict" and not prompt.asking
    assert form.answer_toggles["2.1.1"].value == "no" and form.answer_of("2.1.1") == "no"
    assert [e.reason for e in team.history(demo_name, NEW) if e.reason] == ["other window"]
