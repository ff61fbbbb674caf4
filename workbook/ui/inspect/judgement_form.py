"""JudgementForm: one case's facts and, for every standard that applies to its sample, its key
questions as Yes / No / Not applicable buttons, each saved at once through the store.

Every save names the version the inspector last saw (``expect_version``): if someone else saved
since, the store refuses and the form says who changed it and to what, and shows their answer.
Listeners registered with :meth:`JudgementForm.on_saved` hear of each saved change as
``(case_id, question, old, new)`` (the ratings board uses it).

Each key question is an :class:`~workbook.ui.inspect.answer_control.AnswerControl`: a radio
group named by the question's id and text, its prompts a keyboard disclosure. A save that fails
(or a conflict) is shown in the GOV.UK error-summary pattern right under that question's answers
(``question_feedback[question]``, made on first need), its problems linked to the answers;
``feedback`` (at the top) shows what concerns the whole case.

In a team (:mod:`workbook.ui.inspect.case_work`) the form knows who the inspector is and what
they may do: a non-member, a viewer, a quality lead, a case allocated to someone else or a
locked case shows the answers read-only with the reason at the top (``notice``); the status
bar says the case's status and who has it, and offers "Sign off this case"; on a complete or
quality-assured case a change of answer first asks for a reason; the quality lead's open
queries sit beside their key question (a case's own at the top) with a reply box; "Probe
further" flags the case to the lead inspector. When the inspector is the case's second rater
the form is a blind second rating: no first answer is shown and the answers are saved as
second answers. :meth:`JudgementForm.apply_changes` takes the history entries a live follower
reads and warns, above the questions, when someone else changed the case shown.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ...errors import ConflictError, WorkbookError
from ...judgements import check_judgement, unknown_case
from ...render import render
from ..feedback import Feedback
from .answer_control import AnswerControl
from .case_work import (
    ChangeWarning,
    Notice,
    ProbeFlag,
    QueryPanel,
    ReasonPrompt,
    StatusBar,
    TeamView,
    team_view,
)
from .team_form import TeamForm

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


class JudgementForm(TeamForm, widgets.VBox):
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
    read_only_reason = traitlets.Unicode(
        "", help="Why the team's rules make the answers read-only for the inspector ('' if not)."
    )
    mode = traitlets.Unicode(
        "first", help="'first' (answers) or 'second' (a blind second rating by its second rater)."
    )

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
        self._saved = widgets.CallbackDispatcher()
        self._loading = False
        self._cases = None
        self._heading = None  # (case row, whether a standard applies, sample) of the case shown
        self._answers: dict[str, str | None] = {}
        self._versions: dict[str, int] = {}
        self._applicable: list[str] = []
        self.answer_toggles: dict[str, AnswerControl] = {}
        self.notes: dict[str, widgets.Textarea] = {}
        self.question_states: dict[str, widgets.HTML] = {}
        self.question_feedback: dict[str, Feedback] = {}
        self._blocks: dict[str, widgets.VBox] = {}
        self.facts = widgets.HTML()
        self.state_label = widgets.HTML()
        self.completeness = widgets.HTML()
        self.feedback = Feedback()
        self.questions = widgets.VBox()
        self.view = TeamView(inspector)
        self.notice = Notice()
        self.changes = ChangeWarning()
        self.changes.reload_button.on_click(lambda _: self.reload())
        self.status_bar = StatusBar()
        self.status_bar.sign_off_button.on_click(lambda _: self.sign_off())
        self.case_queries = QueryPanel("", self._reply)
        self.query_panels: dict[str, QueryPanel] = {}
        self.reason_prompts: dict[str, ReasonPrompt] = {}
        self.probe = ProbeFlag()
        self.probe.flag.observe(self._on_probe, names="value")
        self.probe.note.observe(self._on_probe, names="value")
        super().__init__(inspector=inspector, **kwargs)
        self.children = [
            self.facts,
            self.notice,
            self.changes,
            self.status_bar,
            self.state_label,
            self.feedback,
            self.case_queries,
            self.completeness,
            self.questions,
            self.probe,
        ]
        self.add_class("wb-judgement-form")
        if case_id:
            self.case_id = case_id
        else:
            self._show_state()

    # -- listeners -----------------------------------------------------------------------------

    def on_saved(self, callback, remove: bool = False) -> None:
        """Call ``callback(case_id, question, old, new)`` after each saved change of answer.

        ``remove=True`` unregisters it (as :meth:`ipywidgets.Button.on_click` does).
        """
        self._saved.register_callback(callback, remove=remove)

    def _notify(self, case_id, question, old, new) -> None:
        self.feedback.dispatch(self._saved, case_id, question, old, new)

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
            self.feedback.show_problems(exc)

    def _load(self) -> None:
        self.feedback.clear()
        self.save_state = ""
        self.message = ""
        case_id = self.case_id
        self.changes.clear()
        self._heading = None
        if not case_id:
            self.facts.value = render("inspect/judgement_form/heading.html.j2", case_id="")
            self.questions.children = []
            self._applicable = []
            self.view = TeamView(self.inspector)
            self._show_team()
            self._update_completeness()
            return
        case = self._case_row(case_id)
        if case is None:
            raise WorkbookError(unknown_case(case_id, self.inspection))
        self.view = team_view(self.store, self.inspection, case_id, self.inspector)
        self.mode, self.read_only_reason = self.view.mode, self.view.read_only
        stored = self._stored()
        self._answers = {q: j.answer for q, j in stored.items()}
        self._versions = {q: j.version for q, j in stored.items()}
        sample = str(case.get("sample") or "")
        standards = self.framework.standards_for_sample(sample)
        self._show_questions(standards, stored)
        self._apply_disabled()
        self._update_completeness()
        self._show_team()
        self._show_state()
        # the heading last: when it names the case, its questions are already in place
        self._heading = (case, bool(standards), sample)
        self._show_facts()

    def _show_facts(self) -> None:
        """The case's heading and facts (again after a colleague reallocated the case)."""
        if self._heading is None:
            return
        case, applies, sample = self._heading
        self.facts.value = render(
            "inspect/judgement_form/heading.html.j2",
            case_id=self.case_id,
            facts=self._case_facts(case),
            applies=applies,
            framework_id=self.framework.id,
            sample=sample,
            second=self.mode == "second",
        )

    def _case_facts(self, case: dict) -> list[tuple[str, str]]:
        """The facts of the case list shown above the questions. In a team the status bar says
        who the case is allocated to, so the case list's own "Inspector" is labelled "Inspector
        in the case list", and left out where it is the allocation or is not recorded."""
        team = self.view.team
        allocated = getattr(self.view.work, "allocated_to", None)
        facts = []
        for key, label in FACTS:
            if key not in case:
                continue
            value = self._fact(case, key)
            if team and key == "inspector":
                if value == "not recorded" or str(case[key]) == allocated:
                    continue
                label = "Inspector in the case list"
            facts.append((label, value))
        return facts

    def _take_team_change(self, probe: bool) -> None:
        super()._take_team_change(probe)
        self._show_facts()  # a reallocation changes whether the case list's inspector is shown

    def _stored(self) -> dict:
        """The answers the form shows: the case's, or in a blind second rating the second
        rater's own (never the first answers)."""
        if self.mode == "second":
            mine = self.store.second_judgements(self.inspection, self.case_id, self.inspector)
            return {
                q: j
                for (c, q), j in mine.items()
                if c == self.case_id and j.inspector == self.inspector
            }
        return self.store.case_judgements(self.inspection, self.case_id)

    def reload(self) -> None:
        """Read the case shown again from the store (after a colleague changed it)."""
        try:
            self._load()
        except WorkbookError as exc:
            self.feedback.show_problems(exc)

    def _show_questions(self, standards, stored) -> None:
        """Build the standards' headings and key questions (no save while building)."""
        self._loading = True
        try:
            self.answer_toggles, self.notes, self.question_states = {}, {}, {}
            self.question_feedback, self._blocks = {}, {}
            self.reason_prompts, self.query_panels = {}, {}
            blocks = []
            for std in standards:
                blocks.append(
                    widgets.HTML(
                        render(
                            "inspect/judgement_form/standard.html.j2",
                            label=std.label,
                            headline=std.headline,
                        )
                    )
                )
                for kq in std.key_questions:
                    blocks.append(self._question_block(kq, stored.get(kq.id)))
            self._applicable = [kq.id for std in standards for kq in std.key_questions]
            self.questions.children = blocks
        finally:
            self._loading = False

    @staticmethod
    def _fact(case: dict, key: str) -> str:
        value = case.get(key)
        if value is None or value == "" or value != value:  # None, empty or NaN (pandas' gap)
            return "not recorded"
        return str(value).replace("_", " ")

    def _question_block(self, kq, stored) -> widgets.VBox:
        options = [o for o in ANSWER_OPTIONS if o[1] in kq.allowed_answers]
        control = AnswerControl(
            kq.id,
            kq.text,
            options,
            value=stored.answer
            if stored is not None and stored.answer in kq.allowed_answers
            else None,
            hint=kq.relevant_subsample or "",
            prompts=list(kq.prompts),
            disabled=self.read_only,
        )
        control.observe(self._on_toggle, names="value")
        note = widgets.Textarea(
            value=(stored.note or "") if stored is not None else "",
            placeholder=f"Note on {kq.id} (saved when you leave the box)",
            description=f"Note on {kq.id}",
            continuous_update=False,
            disabled=self.read_only,
            layout=widgets.Layout(width="95%", height="3em"),
            style={"description_width": "initial"},
        )
        note.question = kq.id
        note.observe(self._on_note, names="value")
        self.answer_toggles[kq.id] = control
        self.notes[kq.id] = note
        state = widgets.HTML()
        self.question_states[kq.id] = state
        if stored is not None and stored.answer is not None:
            words = ANSWER_WORDS.get(stored.answer, stored.answer)
            self._question_state(kq.id, "answered", f"Answer: {words}", live=False)
        else:
            self._question_state(kq.id, "unanswered", "Not answered yet", live=False)
        prompt = ReasonPrompt(kq.id)
        prompt.save_button.on_click(lambda _, q=kq.id: self._save_with_reason(q))
        prompt.cancel_button.on_click(lambda _, q=kq.id: self._cancel_reason(q))
        self.reason_prompts[kq.id] = prompt
        panel = QueryPanel(kq.id, self._reply)
        self.query_panels[kq.id] = panel
        box = widgets.VBox([control, state, prompt, panel, note])
        box.add_class("wb-key-question")
        self._blocks[kq.id] = box
        return box

    def _problem_by(self, question: str, error, title: str | None = None) -> None:
        """Show ``error`` as an error summary right under the question's answers, linked to
        them (the area is made the first time a question needs one)."""
        area = self.question_feedback.get(question)
        if area is None:
            area = Feedback()
            self.question_feedback[question] = area
            box = self._blocks[question]
            children = list(box.children)
            children.insert(1, area)
            box.children = children
        area.show_problems(error, title, fields=self.answer_toggles[question].field_id)

    def _clear_problem(self, question: str) -> None:
        area = self.question_feedback.get(question)
        if area is not None and area.kind:
            area.clear()

    # -- saving --------------------------------------------------------------------------------

    def _on_toggle(self, change) -> None:
        if self._loading:
            return
        question = change["owner"].question
        if self.view.needs_reason:
            self._ask_reason(question, change["new"], self.notes[question].value)
            return
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
        prompt = self.reason_prompts.get(question)
        if prompt is not None and prompt.asking:  # the note goes with the answer and its reason
            return
        if self.view.needs_reason:  # the store asks a reason for a note's change too
            self._ask_reason(question, answer, change["new"], note_only=True)
            return
        self._save(question, answer, change["new"])

    def _save(
        self, question: str, answer: str | None, note: str | None, reason: str | None = None
    ) -> None:
        case_id = self.case_id
        old = self._answers.get(question)
        self.save_state = "saving"
        self._show_state()
        self._question_state(question, "saving", "Saving...")
        try:
            _, problems = check_judgement(self.framework, question, answer)
            if problems:  # a visitor can set any value: the one rule refuses it before the store
                raise WorkbookError(problems)
            result = self._write(question, answer, note, reason)
        except ConflictError as exc:
            self._take_theirs(question, exc)
            return
        except WorkbookError as exc:
            self.save_state = "error"
            self._question_state(question, "error", "Not saved: see the problem above")
            self._problem_by(question, exc, f"{question} was not saved.")
            self._revert(question, old)
            self._show_state()
            return
        stored = result.judgement
        self._answers[question] = stored.answer
        self._versions[question] = stored.version
        self._clear_problem(question)
        if self.feedback.kind == "problems":
            self.feedback.clear()
        self.message = f"{question}: {ANSWER_WORDS.get(stored.answer, stored.answer)} saved (version {stored.version})."
        self.save_state = "saved"
        self._question_state(
            question, "saved", f"{ANSWER_WORDS.get(stored.answer, stored.answer)}: saved"
        )
        self._update_completeness()
        self._after_save(question)
        self._show_state()
        if result.changed and self.mode == "first":  # second answers never enter the ratings
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
        stored = self._stored().get(question)
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
        self._problem_by(question, self.message, f"{question} was not saved.")
        self._update_completeness()
        self._show_state()
        if believed != theirs and self.mode == "first":
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
            toggles.value = answer if answer in toggles.words else None
        finally:
            self._loading = False

    # -- state ---------------------------------------------------------------------------------

    def _update_completeness(self) -> None:
        missing = [q for q in self._applicable if self._answers.get(q) is None]
        self.missing = missing
        self.complete = bool(self._applicable) and not missing
        self.completeness.value = render(
            "inspect/judgement_form/completeness.html.j2",
            total=len(self._applicable),
            missing=missing,
        )

    def _question_state(self, question: str, state: str, text: str, live: bool = True) -> None:
        label = self.question_states.get(question)
        if label is not None:
            label.value = render(
                "inspect/judgement_form/question_state.html.j2", state=state, text=text, live=live
            )

    def _show_state(self) -> None:
        state = "read-only" if self.read_only and not self.save_state else self.save_state
        self.state_label.value = render(
            "inspect/judgement_form/save_state.html.j2",
            state=state,
            text=STATE_TEXT.get(state, state),
            message=self.message,
        )

    @traitlets.observe("disabled")
    def _on_disabled(self, change) -> None:
        self._apply_disabled()
        self._show_state()

    @property
    def read_only(self) -> bool:
        """Whether the answers may not be changed (set by hand, or by the team's rules)."""
        return self.disabled or bool(self.read_only_reason)

    def _apply_disabled(self) -> None:
        for w in list(self.answer_toggles.values()) + list(self.notes.values()):
            w.disabled = self.read_only

    def answer_of(self, question: str) -> str | None:
        """The answer the form shows for a key question of the current case."""
        return self._answers.get(question)
