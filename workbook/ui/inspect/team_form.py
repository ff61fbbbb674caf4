"""The judgement form's team behaviour: :class:`TeamForm`, a mixin of
:class:`~workbook.ui.inspect.judgement_form.JudgementForm` (its parts are in
:mod:`workbook.ui.inspect.case_work`).

It writes for the form's mode (a first answer, with a reason where the case is signed off, or
a blind second answer), asks the reason before a signed case changes, signs the case off,
sends replies to queries, saves the "probe further" flag, and takes in colleagues' changes
of the case shown (:meth:`TeamForm.apply_changes`): team changes (status, allocation, queries,
probe) are shown at once with a sentence; a changed answer is warned of, with "Reload this
case", and never put under the inspector's hand before they click.
"""

from __future__ import annotations

from ...errors import WorkbookError
from ...render import render
from .case_work import ANSWER_WORDS, QueryPanel, change_text, team_view

LIVE_TEAM = ("status", "allocation", "second_rater", "query", "probe", "adjudication")


class TeamForm:
    """The judgement form's team behaviour (a mixin of
    :class:`~workbook.ui.inspect.judgement_form.JudgementForm`): the store writes for the
    form's mode, the reason prompt, sign-off, replies, the probe flag and colleagues' changes."""

    def _write(self, question, answer, note, reason):
        common = dict(note=note or None, expect_version=self._versions.get(question, 0))
        if self.mode == "second":
            return self.store.save_second_judgement(
                self.inspection, self.case_id, question, answer, self.inspector, **common
            )
        if reason is not None:  # a reason only where the rule asks for it
            common["reason"] = reason
        return self.store.save_judgement(
            self.inspection, self.case_id, question, answer, self.inspector, **common
        )

    def _after_save(self, question: str) -> None:
        """A saved answer: close its reason prompt; re-read the status and its queries (a change
        with a reason answers an open query)."""
        prompt = self.reason_prompts.get(question)
        if prompt is not None:
            prompt.close_prompt()
        if self.mode != "first":
            return
        view = self.view
        try:
            if any(q.question == question and q.state == "open" for q in view.queries):
                self.view = team_view(self.store, self.inspection, self.case_id, self.inspector)
            elif view.work is not None and view.work.status in ("not_started", "in_progress"):
                # the status moves with the answers; the rest stays (one cheap read)
                view.work = self.store.case_status(self.inspection, self.case_id)
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
        self._show_team(probe=False)

    # -- the reason asked on a signed-off case -------------------------------------------------

    def _ask_reason(self, question: str, answer, note, note_only: bool = False) -> None:
        if not note_only and answer == self._answers.get(question):  # chosen back
            self._cancel_reason(question)
            return
        prompt = self.reason_prompts[question]
        old = None if note_only else self._answers.get(question)
        prompt.ask(old, answer, self.view.status, (answer, note), note_only)
        self.save_state = ""
        self._question_state(question, "pending", "Not saved yet: give a reason below")
        self.message = (
            f"{question} is not saved yet: give a reason and choose Save with this reason."
        )
        self._show_state()

    def _save_with_reason(self, question: str) -> None:
        prompt = self.reason_prompts[question]
        if prompt.pending is None:
            return
        answer = prompt.pending[0]
        note = self.notes[question].value  # as it reads now (edited while asked, perhaps)
        self._save(question, answer, note, reason=prompt.reason.value.strip() or "")
        if self.save_state == "error":  # refused: the choice stays shown with the prompt
            self._revert(question, answer)
        elif self.save_state == "conflict":  # their answer is shown: choose again
            prompt.close_prompt()

    def _cancel_reason(self, question: str) -> None:
        prompt = self.reason_prompts[question]
        prompt.close_prompt()
        self._revert(question, self._answers.get(question))
        stored = self._stored().get(question)
        self._show_note(question, (stored.note or "") if stored is not None else "")
        words_ = ANSWER_WORDS.get(self._answers.get(question), self._answers.get(question))
        self._question_state(question, "answered", f"Answer: {words_} (unchanged)")
        self.message = f"{question} was not changed."
        self._show_state()

    # -- status, sign-off, queries and the probe flag -----------------------------------------

    def _show_team(self, probe: bool = True) -> None:
        view = self.view
        shown = bool(self.case_id)
        if view.read_only:
            self.notice.show(view.read_only, "Read-only")
        elif view.mode == "second":
            self.notice.show(
                "You are the second rater of this case: answer it on your own. The first "
                "rater's answers are not shown, and yours do not enter the ratings.",
                "Second rating (blind)",
            )
        else:
            self.notice.show("")
        self.status_bar.layout.display = None if shown else "none"
        if shown:
            self.status_bar.show(view, self.complete, list(self.missing))
        first = view.mode == "first"
        case_level = [q for q in view.queries if not q.question] if first else []
        self.case_queries.show(case_level, view.may_reply())
        for question, panel in self.query_panels.items():
            mine = [q for q in view.queries if q.question == question] if first else []
            panel.show(mine, view.may_reply())
        self.probe.layout.display = None if shown and first else "none"
        if not probe:  # a note being typed is not overwritten
            return
        self._loading_probe = True
        try:
            self.probe.show(view.work, view.may_flag())
        finally:
            self._loading_probe = False

    def sign_off(self) -> None:
        """Sign the case off as complete (the store checks every applicable key question)."""
        try:
            self.view.work = self.store.sign_off(self.inspection, self.case_id, self.inspector)
        except WorkbookError as exc:
            self.feedback.show_problems(exc, "The case was not signed off.")
            return
        self.view = team_view(self.store, self.inspection, self.case_id, self.inspector)
        self._show_team()
        self.feedback.show_status(
            f"{self.case_id} is signed off: complete. A change of answer now asks for a reason."
        )

    def _reply(self, query_id: int, panel: QueryPanel) -> None:
        text = panel.replies[query_id].value
        try:
            self.store.reply_query(self.inspection, query_id, self.inspector, text)
        except WorkbookError as exc:
            panel.feedback.show_problems(exc, "The reply was not sent.", fields=None)
            return
        self.view = team_view(self.store, self.inspection, self.case_id, self.inspector)
        self._show_team()
        panel.feedback.show_status(f"Reply to query {query_id} sent.")
        if panel.feedback not in panel.children:
            panel.children = [*panel.children, panel.feedback]

    def _on_probe(self, change) -> None:
        if getattr(self, "_loading_probe", False) or not self.case_id:
            return
        flag, note = self.probe.flag.value, self.probe.note.value
        if change["owner"] is self.probe.note and not flag:
            self.probe.state.value = "<p>The note is saved when the case is flagged.</p>"
            return
        try:
            work = self.store.flag_probe(
                self.inspection, self.case_id, self.inspector, note or None, on=flag
            )
        except WorkbookError as exc:
            self.probe.feedback.show_problems(exc, "The flag was not saved.")
            self._loading_probe = True
            try:
                self.probe.show(self.view.work, self.view.may_flag())
            finally:
                self._loading_probe = False
            return
        self.view.work = work
        self.probe.feedback.clear()
        self.probe.state.value = render(
            "inspect/case_work/probe_state.html.j2", on=work.probe, note=work.probe_note
        )

    # -- colleagues' changes -------------------------------------------------------------------

    def apply_changes(self, entries, me: str | None = None) -> list[str]:
        """Take in history entries a live follower read: for the case shown, warn (above the
        questions) of each change made by someone other than ``me`` (the form's inspector),
        with "Reload this case". Returns the sentences added."""
        me = self.inspector if me is None else me
        theirs = [e for e in entries if self.case_id and e.case_id == self.case_id and e.by != me]
        lines = [line for line in (change_text(e, self.mode) for e in theirs) if line]
        team = {e.entity for e in theirs} & set(LIVE_TEAM)
        if team:
            self._take_team_change("probe" in team)
        if lines:
            self.changes.warn(lines)
        return lines

    def _take_team_change(self, probe: bool) -> None:
        """Show a colleague's change of the case's status, allocation or queries at once (a
        new mode, such as becoming its second rater, waits for "Reload this case")."""
        try:
            view = team_view(self.store, self.inspection, self.case_id, self.inspector)
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return
        if view.mode != self.mode:
            return
        self.view = view
        self.read_only_reason = view.read_only
        self._apply_disabled()
        self._show_team(probe=probe)
        self._show_state()
