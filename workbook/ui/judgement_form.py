"""JudgementForm: one case's facts and, for every standard that applies to its sample, its key
questions as Yes / No / Not applicable buttons, each saved at once through the store.

Every save names the version the inspector last saw (``expect_version``): if someone else saved
since, the store refuses and the form says who changed it and to what, and shows their answer.
Listeners registered with :meth:`JudgementForm.on_saved` hear of each saved change as
``(case_id, question, old, new)`` (the ratings board uses it).
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import traitlets

from .. import report
from ..errors import ConflictError, Problem, WorkbookError

ANSWER_OPTIONS = (("Yes", "yes"), ("No", "no"), ("Not applicable", "not_applicable"))
ANSWER_WORDS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable", None: "no answer"}
FACTS = (
    ("sample", "Sample"),
    ("ldu", "LDU"),
    ("gender", "Gender"),
    ("disposal", "Disposal"),
    ("rosh", "Risk of serious harm"),
    ("officer_grade", "Officer grade"),
    ("inspector", "Inspector"),
)
STATE_TEXT = {
    "": "",
    "saved": "Saved",
    "saving": "Saving...",
    "conflict": "Not saved: someone else changed this answer",
    "error": "Not saved",
    "read-only": "Read-only",
}


class JudgementForm(widgets.VBox):
    """The case's key questions, each answer saved at once (see the module's notes)."""

    case_id = traitlets.Unicode("", help="The case shown; empty shows no case.")
    inspector = traitlets.Unicode("", help="The inspector's name recorded with each judgement.")
    save_state = traitlets.Unicode(
        "", help="'' (nothing saved yet), 'saving', 'saved', 'conflict' or 'error'."
    )
    complete = traitlets.Bool(
        False, help="True when every applicable key question of the case is answered."
    )
    missing = traitlets.List(
        traitlets.Unicode(), help="The applicable key questions not yet answered."
    )
    disabled = traitlets.Bool(False, help="Read-only: answers and notes shown but not editable.")
    message = traitlets.Unicode("", help="The last save's outcome, in words.")

    def __init__(
        self,
        store,
        inspection: str,
        framework=None,
        inspector: str = "",
        case_id: str = "",
        **kwargs,
    ):
        self.store = store
        self.inspection = inspection
        self.framework = framework or store.framework(inspection)
        self._listeners: list = []
        self._loading = False
        self._cases = None
        self._answers: dict[str, str | None] = {}
        self._versions: dict[str, int] = {}
        self._applicable: list[str] = []
        self.answer_toggles: dict[str, widgets.ToggleButtons] = {}
        self.notes: dict[str, widgets.Textarea] = {}
        self.prompts: dict[str, widgets.Accordion] = {}
        self.question_states: dict[str, widgets.HTML] = {}
        self.facts = widgets.HTML()
        self.state_label = widgets.HTML()
        self.completeness = widgets.HTML()
        self.feedback = widgets.HTML()
        self.questions = widgets.VBox()
        super().__init__(inspector=inspector, **kwargs)
        self.children = [
            self.facts,
            self.state_label,
            self.feedback,
            self.completeness,
            self.questions,
        ]
        self.add_class("wb-judgement-form")
        if case_id:
            self.case_id = case_id
        else:
            self._show_state()

    # -- listeners -----------------------------------------------------------------------------

    def on_saved(self, callback) -> None:
        """Call ``callback(case_id, question, old, new)`` after each saved change of answer."""
        self._listeners.append(callback)

    def _notify(self, case_id, question, old, new) -> None:
        for callback in self._listeners:
            try:
                callback(case_id, question, old, new)
            except WorkbookError as exc:
                self.feedback.value = report.problems_html(exc)

    # -- loading a case ------------------------------------------------------------------------

    def _case_row(self, case_id: str) -> dict | None:
        if self._cases is None:
            cases = self.store.cases(self.inspection)
            self._cases = {str(r["case_id"]): r for r in cases.to_dict(orient="records")}
        return self._cases.get(case_id)

    @traitlets.observe("case_id")
    def _on_case(self, change) -> None:
        try:
            self._load()
        except WorkbookError as exc:
            self.feedback.value = report.problems_html(exc)

    def _load(self) -> None:
        self.feedback.value = ""
        self.save_state = ""
        self.message = ""
        case_id = self.case_id
        if not case_id:
            self.facts.value = "<p>Pick a case to assess.</p>"
            self.questions.children = []
            self._applicable = []
            self._update_completeness()
            return
        case = self._case_row(case_id)
        if case is None:
            raise WorkbookError(
                Problem(
                    "unknown_case",
                    f"there is no case '{case_id}' in inspection '{self.inspection}'.",
                    value=case_id,
                )
            )
        stored = self.store.case_judgements(self.inspection, case_id)
        self._answers = {q: j.answer for q, j in stored.items()}
        self._versions = {q: j.version for q, j in stored.items()}
        sample = str(case.get("sample") or "")
        standards = self.framework.standards_for_sample(sample)
        facts = "".join(
            f"<tr><th scope='row'>{escape(label)}</th><td>{escape(self._fact(case, key))}</td></tr>"
            for key, label in FACTS
            if key in case
        )
        self._loading = True
        try:
            self.answer_toggles, self.notes, self.prompts, self.question_states = {}, {}, {}, {}
            blocks = []
            for std in standards:
                blocks.append(
                    widgets.HTML(
                        f"<h4>{escape(std.label)}</h4><p><i>{escape(std.headline)}</i></p>"
                    )
                )
                for kq in std.key_questions:
                    blocks.append(self._question_block(kq, stored.get(kq.id)))
            self._applicable = [kq.id for std in standards for kq in std.key_questions]
            self.questions.children = blocks
        finally:
            self._loading = False
        self._apply_disabled()
        self._update_completeness()
        self._show_state()
        # the heading last: when it names the case, its questions are already in place
        heading = f"<h3>Case {escape(case_id)}</h3><table class='wb-facts'>{facts}</table>"
        if not standards:
            heading += f"<p>No standard of {escape(self.framework.id)} applies to the sample '{escape(sample)}'.</p>"
        self.facts.value = heading

    @staticmethod
    def _fact(case: dict, key: str) -> str:
        value = case.get(key)
        return "not recorded" if value is None or value == "" else str(value).replace("_", " ")

    def _question_block(self, kq, stored) -> widgets.VBox:
        options = [o for o in ANSWER_OPTIONS if o[1] in kq.allowed_answers]
        toggles = widgets.ToggleButtons(
            options=options,
            value=stored.answer
            if stored is not None and stored.answer in kq.allowed_answers
            else None,
            description="",
            tooltips=[f"{kq.id}: {label}" for label, _ in options],
            style={"button_width": "auto"},
        )
        toggles.question = kq.id
        toggles.observe(self._on_toggle, names="value")
        note = widgets.Textarea(
            value=(stored.note or "") if stored is not None else "",
            placeholder=f"Note on {kq.id} (saved when you leave the box)",
            continuous_update=False,
            layout=widgets.Layout(width="95%", height="3em"),
        )
        note.question = kq.id
        note.observe(self._on_note, names="value")
        self.answer_toggles[kq.id] = toggles
        self.notes[kq.id] = note
        state = widgets.HTML()
        self.question_states[kq.id] = state
        if stored is not None and stored.answer is not None:
            state.value = f'<span class="wb-question-state wb-answered">Answer: {escape(ANSWER_WORDS.get(stored.answer, stored.answer))}</span>'
        else:
            state.value = '<span class="wb-question-state wb-unanswered">Not answered yet</span>'
        parts = [
            widgets.HTML(f"<p><b>{escape(kq.id)}</b> {escape(kq.text)}</p>"),
            widgets.HBox([toggles, state]),
        ]
        if kq.relevant_subsample:
            parts.insert(
                1,
                widgets.HTML(
                    f"<p><small>Relevant sub-sample: {escape(kq.relevant_subsample)}</small></p>"
                ),
            )
        if kq.prompts:
            items = "".join(f"<li>{escape(p)}</li>" for p in kq.prompts)
            accordion = widgets.Accordion(
                children=[widgets.HTML(f"<ul>{items}</ul>")], selected_index=None
            )
            accordion.set_title(0, f"Prompts for {kq.id}")
            self.prompts[kq.id] = accordion
            parts.append(accordion)
        parts.append(note)
        box = widgets.VBox(parts)
        box.add_class("wb-key-question")
        return box

    # -- saving --------------------------------------------------------------------------------

    def _on_toggle(self, change) -> None:
        if self._loading:
            return
        question = change["owner"].question
        self._save(question, change["new"], self.notes[question].value)

    def _on_note(self, change) -> None:
        if self._loading:
            return
        question = change["owner"].question
        answer = self._answers.get(question)
        if answer is None:
            self.message = f"The note on {question} will be saved with its answer."
            self._show_state()
            return
        self._save(question, answer, change["new"])

    def _save(self, question: str, answer: str | None, note: str | None) -> None:
        case_id = self.case_id
        old = self._answers.get(question)
        self.save_state = "saving"
        self._show_state()
        self._question_state(question, "saving", "Saving...")
        try:
            result = self.store.save_judgement(
                self.inspection,
                case_id,
                question,
                answer,
                self.inspector,
                note=note or None,
                expect_version=self._versions.get(question, 0),
            )
        except ConflictError as exc:
            self._take_theirs(question, exc)
            return
        except WorkbookError as exc:
            self.save_state = "error"
            self._question_state(question, "error", "Not saved: see the message above")
            self.feedback.value = report.problems_html(exc)
            self._revert(question, old)
            self._show_state()
            return
        stored = result.judgement
        self._answers[question] = stored.answer
        self._versions[question] = stored.version
        self.feedback.value = ""
        self.message = f"{question}: {ANSWER_WORDS.get(stored.answer, stored.answer)} saved (version {stored.version})."
        self.save_state = "saved"
        self._question_state(
            question, "saved", f"Saved: {ANSWER_WORDS.get(stored.answer, stored.answer)}"
        )
        self._update_completeness()
        self._show_state()
        if result.changed:
            previous = result.previous.answer if result.previous is not None else None
            if previous != stored.answer:
                self._notify(case_id, question, previous, stored.answer)

    def _take_theirs(self, question: str, exc: ConflictError) -> None:
        """Someone saved first: show their answer, remember their version, tell the inspector."""
        case_id = self.case_id
        believed = self._answers.get(question)
        theirs = exc.current_value
        self._answers[question] = theirs
        self._versions[question] = exc.current_version or 0
        self._revert(question, theirs)
        mine = self.notes[question].value if question in self.notes else ""
        stored = self.store.case_judgements(self.inspection, case_id).get(question)
        their_note = (stored.note or "") if stored is not None else ""
        self._show_note(
            question, their_note
        )  # their note stays: saving again keeps it unless edited
        when = f" at {exc.changed_at:%H:%M:%S} UTC" if exc.changed_at is not None else ""
        self.message = (
            f"{question} was changed by {exc.changed_by or 'someone else'}{when} to "
            f"{ANSWER_WORDS.get(theirs, theirs)}. Your answer was not saved: their answer is shown; "
            "choose again to replace it."
        )
        if mine.strip() and mine != their_note:
            self.message += f" Your note was not saved either; it was: “{mine}”."
        self.save_state = "conflict"
        self._question_state(
            question,
            "conflict",
            f"Not saved: {exc.changed_by or 'someone else'} changed it to {ANSWER_WORDS.get(theirs, theirs)}",
        )
        self.feedback.value = report.problems_html(exc)
        self._update_completeness()
        self._show_state()
        if believed != theirs:
            self._notify(case_id, question, believed, theirs)

    def _show_note(self, question: str, text: str) -> None:
        box = self.notes.get(question)
        if box is None:
            return
        self._loading = True
        try:
            box.value = text
        finally:
            self._loading = False

    def _revert(self, question: str, answer: str | None) -> None:
        toggles = self.answer_toggles.get(question)
        if toggles is None:
            return
        self._loading = True
        try:
            toggles.value = answer if answer in [v for _, v in toggles.options] else None
        finally:
            self._loading = False

    # -- state ---------------------------------------------------------------------------------

    def _update_completeness(self) -> None:
        missing = [q for q in self._applicable if self._answers.get(q) is None]
        self.missing = missing
        self.complete = bool(self._applicable) and not missing
        if not self._applicable:
            self.completeness.value = ""
        elif missing:
            self.completeness.value = (
                f"<p>In progress: {len(self._applicable) - len(missing)} of {len(self._applicable)} key questions answered. "
                f"Still to answer: {escape(', '.join(missing))}.</p>"
            )
        else:
            self.completeness.value = (
                f"<p><b>Complete</b>: all {len(self._applicable)} key questions answered.</p>"
            )

    def _question_state(self, question: str, state: str, text: str) -> None:
        label = self.question_states.get(question)
        if label is not None:
            label.value = f'<span role="status" class="wb-question-state wb-{state}"><b>{escape(text)}</b></span>'

    def _show_state(self) -> None:
        state = "read-only" if self.disabled and not self.save_state else self.save_state
        text = STATE_TEXT.get(state, state)
        detail = f" {escape(self.message)}" if self.message else ""
        self.state_label.value = f'<p role="status" aria-live="polite" class="wb-save-state wb-{state or "idle"}"><b>{escape(text)}</b>{detail}</p>'

    @traitlets.observe("disabled")
    def _on_disabled(self, change) -> None:
        self._apply_disabled()
        self._show_state()

    def _apply_disabled(self) -> None:
        for w in list(self.answer_toggles.values()) + list(self.notes.values()):
            w.disabled = self.disabled

    def answer_of(self, question: str) -> str | None:
        """The answer the form shows for a key question of the current case."""
        return self._answers.get(question)
