"""JudgementForm's answer controls as rendered, after real saves to a real SQLite store: each key
question a fieldset named by its id and text with its answers as radios, exactly the stored
answer checked; Prompts a <details> disclosure; a failed save (a read-only store, a value no
key question allows, a conflict) an error summary right under its answers whose link points at
the first radio's id; nothing saved is lost."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
import pytest

from workbook.store import open_store
from workbook.ui.inspect.judgement_form import JudgementForm

CASE = "D19-CS-002"


class Markup(HTMLParser):
    """The elements of a fragment: (tag, attributes, text up to the next tag)."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[list] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append([tag, dict(attrs), ""])

    def handle_data(self, data):
        if self.elements:
            self.elements[-1][2] += data

    def all(self, tag: str, **attrs) -> list[dict]:
        return [
            a
            for t, a, _ in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def text_after(self, tag: str) -> str:
        """The text of the first ``tag`` and of the elements inside it up to its first child's end."""
        i = next(i for i, (t, _, _) in enumerate(self.elements) if t == tag)
        return "".join(text for _, _, text in self.elements[i : i + 2]).strip()


def _radios(control) -> list[dict]:
    return Markup(control.html()).all("input", type="radio")


def _checked(control) -> list[str]:
    return [r["value"] for r in _radios(control) if "checked" in r]


def test_each_key_question_is_a_fieldset_named_by_its_id_and_text(demo_store, demo_name):
    form = JudgementForm(demo_store, demo_name, inspector="inspector A", case_id=CASE)
    fw = demo_store.framework(demo_name)
    ids = []
    for question, control in form.answer_toggles.items():
        kq = fw.key_question(question)
        markup = Markup(control.html())
        (group,) = markup.all("fieldset")
        assert markup.text_after("legend") == f"{kq.id} {kq.text}"
        radios = markup.all("input", type="radio")
        assert [r["value"] for r in radios] == [v for _, v in control.options]
        assert len({r["name"] for r in radios}) == 1  # one group: arrow keys move within it
        assert radios[0]["id"] == control.field_id  # the id an error summary links to
        labels = markup.all("label", class_="wb-answer")
        assert [lab["for"] for lab in labels] == [r["id"] for r in radios]
        if kq.relevant_subsample:
            assert group["aria-describedby"] == f"{control.field_id}-hint"
        if kq.prompts:
            assert f"Prompts for {kq.id}</summary>" in control.html()
            assert "<details" in control.html()
        ids += [group["id"]] + [r["id"] for r in radios]
    assert len(ids) == len(set(ids))  # every id unique on the page


def test_the_stored_answer_is_the_one_checked_after_each_real_save(demo_store, demo_url, demo_name):
    demo_store.import_cases(
        demo_name,
        pd.DataFrame([{"case_id": "NEW-2", "sample": "case_supervision", "ldu": "Warwickshire"}]),
    )
    form = JudgementForm(demo_store, demo_name, inspector="inspector A", case_id="NEW-2")
    assert all(_checked(c) == [] for c in form.answer_toggles.values())  # nothing answered yet
    control = form.answer_toggles["2.2.3"]
    for answer in ("yes", "not_applicable", "no"):
        control.value = answer  # as a click on the radio does
        assert form.save_state == "saved"
        assert _checked(control) == [answer]
        assert demo_store.case_judgements(demo_name, "NEW-2")["2.2.3"].answer == answer

    other = open_store(demo_url)  # a second page opened afterwards shows what was saved
    try:
        again = JudgementForm(other, demo_name, inspector="inspector B", case_id="NEW-2")
        assert _checked(again.answer_toggles["2.2.3"]) == ["no"]
        assert _checked(again.answer_toggles["2.1.1"]) == []
    finally:
        other.close()


def test_read_only_renders_the_group_disabled(demo_store, demo_name):
    form = JudgementForm(demo_store, demo_name, inspector="inspector A", case_id=CASE)
    form.disabled = True
    control = form.answer_toggles["2.1.1"]
    assert control.disabled and form.notes["2.1.1"].disabled
    assert "disabled" in Markup(control.html()).all("fieldset")[0]
    form.case_id = "D19-CS-003"  # a new case keeps the form read-only
    assert all(c.disabled for c in form.answer_toggles.values())


def _summary_link(form, question: str) -> str:
    area = form.question_feedback[question]
    assert area.kind == "problems"
    markup = Markup(area.value)
    assert markup.all("div", role="alert")
    assert markup.text_after("h2") == "There is a problem"
    (link,) = markup.all("a")
    assert link["href"] == f"#{link['data-wb-field']}"
    return link["data-wb-field"]


def test_a_failed_save_is_an_error_summary_under_its_answers_linked_to_them(demo_url, demo_name):
    locked = open_store(demo_url, read_only=True)
    try:
        form = JudgementForm(locked, demo_name, inspector="inspector A", case_id=CASE)
        control = form.answer_toggles["2.1.2"]
        before = control.value
        control.value = "no" if before == "yes" else "yes"
        assert form.save_state == "error"
        assert _summary_link(form, "2.1.2") == control.field_id
        area = form.question_feedback["2.1.2"]
        assert "read-only" in area.text and "2.1.2 was not saved." in area.text
        block = form._blocks["2.1.2"]
        assert list(block.children).index(area) == list(block.children).index(control) + 1
        assert control.value == before and _checked(control) == [before]  # shown as stored
        assert locked.case_judgements(demo_name, CASE)["2.1.2"].answer == before
        assert "Not saved" in form.question_states["2.1.2"].value
        shown = area.focus_serial
        control.value = "no" if before == "yes" else "yes"  # the same problem again
        assert area.focus_serial != shown  # focus moves to the summary again
        assert form.feedback.kind == ""  # the case's own area stays clear
    finally:
        locked.close()


def test_an_answer_no_key_question_allows_is_refused_by_its_field(demo_store, demo_name):
    form = JudgementForm(demo_store, demo_name, inspector="inspector A", case_id=CASE)
    control = form.answer_toggles["2.1.1"]  # Not applicable is not an answer to 2.1.1
    before = control.value
    control.value = "perhaps"  # a visitor can send any value
    assert _summary_link(form, "2.1.1") == control.field_id
    assert "'perhaps' is not an answer" in form.question_feedback["2.1.1"].text
    assert control.value == before
    assert demo_store.case_judgements(demo_name, CASE)["2.1.1"].answer == before
    control.value = "no" if before == "yes" else "yes"  # a good answer clears the summary
    assert form.save_state == "saved" and form.question_feedback["2.1.1"].kind == ""


def test_a_conflict_shows_their_answer_and_an_error_summary_by_the_control(
    demo_store, demo_url, demo_name
):
    form = JudgementForm(demo_store, demo_name, inspector="inspector A", case_id=CASE)
    control = form.answer_toggles["2.3.1"]
    mine = control.value
    theirs = "no" if mine == "yes" else "yes"
    colleague = open_store(demo_url)
    try:
        colleague.save_judgement(
            demo_name,
            CASE,
            "2.3.1",
            theirs,
            "inspector C",
            expect_version=form._versions["2.3.1"],
        )
    finally:
        colleague.close()
    control.value = theirs  # the same answer as theirs, but from a stale version: a conflict
    assert form.save_state == "conflict"
    assert _checked(control) == [theirs] and control.value == theirs
    assert _summary_link(form, "2.3.1") == control.field_id
    assert "inspector C" in form.question_feedback["2.3.1"].text
    control.value = mine  # choosing again replaces theirs
    assert form.save_state == "saved" and form.question_feedback["2.3.1"].kind == ""
    assert demo_store.case_judgements(demo_name, CASE)["2.3.1"].answer == mine


@pytest.mark.parametrize("question", ["2.1.1", "2.2.3"])
def test_prompts_are_a_disclosure_listing_every_prompt(demo_store, demo_name, question):
    form = JudgementForm(demo_store, demo_name, inspector="inspector A", case_id=CASE)
    kq = demo_store.framework(demo_name).key_question(question)
    markup = Markup(form.answer_toggles[question].html())
    assert len(markup.all("details")) == 1 and len(markup.all("summary")) == 1
    items = [text.strip() for tag, _, text in markup.elements if tag == "li"]
    assert items == list(kq.prompts)
