"""DecisionsPanel: record or revise a standard's rating set by the inspectors: professional
discretion on a case-rated standard, or the judged rating of a domain-one standard with its
evidence. A rating and a reason are both required; every change goes to the store's history,
shown under the form. Listeners registered with :meth:`DecisionsPanel.on_saved` receive the
standing decisions after each save (the ratings board uses it).
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ...errors import InputError, WorkbookError
from ...judgements import check_decision
from ...reasons import Reason
from ...render import render
from ..feedback import Feedback

WITHDRAW = "(withdraw the decision)"
NOT_SAVED = "Not saved: choose a rating and write the reason (the evidence for the rating)."


class DecisionsPanel(widgets.VBox):
    """Discretion and judged ratings, with their history (see the module's notes)."""

    inspector = traitlets.Unicode("", help="The inspector's name recorded with each decision.")
    standard = traitlets.Unicode("", help="The standard being decided.")
    disabled = traitlets.Bool(
        False, help="Read-only: decisions and history shown, nothing can be saved."
    )
    save_state = traitlets.Unicode("", help="'', 'saved', 'conflict' or 'error'.")

    def __init__(self, store, inspection: str, framework=None, inspector: str = "", **kwargs):
        self.store = store
        self.inspection = inspection
        self.framework = framework or store.framework(inspection)
        self._saved = widgets.CallbackDispatcher()
        self._stored = {}
        fw = self.framework
        options = [
            (
                f"{s.label} ({'judged' if s.rated_from == 'judgement' else 'professional discretion'})",
                s.id,
            )
            for s in fw.standards
        ]
        self.standard_picker = widgets.Dropdown(
            description="Standard", options=options, layout=widgets.Layout(width="95%")
        )
        self.rating_picker = widgets.Dropdown(
            description="Rating",
            options=[("choose a rating", "")]
            + [(r, r) for r in fw.ratings]
            + [(WITHDRAW, WITHDRAW)],
        )
        self.reason_text = widgets.Textarea(
            description="Reason",
            placeholder="The evidence for this rating (required)",
            layout=widgets.Layout(width="95%", height="6em"),
        )
        self.save_button = widgets.Button(
            description="Save decision",
            button_style="primary",
            tooltip="Save the rating and reason to the store",
        )
        self.current = widgets.HTML()
        self.feedback = Feedback()
        self.history = widgets.HTML()
        super().__init__(inspector=inspector, **kwargs)
        self.children = [
            widgets.HTML(render("inspect/decisions_panel/heading.html.j2")),
            self.standard_picker,
            self.current,
            self.rating_picker,
            self.reason_text,
            self.save_button,
            self.feedback,
            self.history,
        ]
        self.add_class("wb-decisions-panel")
        widgets.link((self.standard_picker, "value"), (self, "standard"))
        self.save_button.on_click(lambda _: self.save())
        self.reload()

    def on_saved(self, callback, remove: bool = False) -> None:
        """Call ``callback(decisions)`` with the standing decisions after each save.

        ``remove=True`` unregisters it (as :meth:`ipywidgets.Button.on_click` does).
        """
        self._saved.register_callback(callback, remove=remove)

    def reload(self) -> None:
        """Read the standing decisions and their history from the store."""
        try:
            self._stored = self.store.stored_decisions(self.inspection)
            self._show_current()
            self._show_history()
        except WorkbookError as exc:
            self.feedback.show_problems(exc)

    @traitlets.observe("standard")
    def _on_standard(self, change) -> None:
        self._show_current()

    def _show_current(self) -> None:
        self.current.value = render(
            "inspect/decisions_panel/current.html.j2",
            standard=self.standard,
            decision=self._stored.get(self.standard),
        )

    def _show_history(self) -> None:
        entries = [h for h in self.store.history(self.inspection) if h.entity == "decision"]
        self.history.value = render(
            "inspect/decisions_panel/history.html.j2", entries=list(reversed(entries))
        )

    @traitlets.observe("disabled")
    def _on_disabled(self, change) -> None:
        for w in (self.rating_picker, self.reason_text, self.save_button):
            w.disabled = self.disabled

    def save(self) -> None:
        """Save the rating and reason shown; problems are shown, never raised."""
        if self.disabled:
            self.feedback.show_problems("This page is read-only: nothing was saved.")
            return
        rating, reason = self.rating_picker.value, self.reason_text.value.strip()
        withdraw = rating == WITHDRAW
        # the one rule for a decision (judgements.check_decision), as in files and the store
        canonical, problems = check_decision(
            self.framework, self.standard, None if withdraw else rating, reason
        )
        if problems:
            self.save_state = "error"
            self.feedback.show_problems(InputError(problems), NOT_SAVED)
            return
        try:
            current = self._stored.get(self.standard)
            self.store.save_decision(
                self.inspection,
                self.standard,
                None if withdraw else canonical,
                reason,
                self.inspector,
                expect_version=current.version if current is not None else 0,
            )
        except WorkbookError as exc:
            self._refused(exc)
            return
        self.save_state = "saved"
        self.feedback.show_status(f"Saved: {self.standard} {rating}.")
        self.reason_text.value = ""
        self.rating_picker.value = ""
        self.reload()
        decisions = [s.as_decision() for s in self._stored.values() if s.rating is not None]
        self.feedback.dispatch(self._saved, decisions)

    def _refused(self, exc: WorkbookError) -> None:
        self.save_state = "conflict" if exc.codes == [Reason.CONFLICT] else "error"
        self.feedback.show_problems(exc)
        if self.save_state == "conflict":  # show the colleague's decision
            self.reload()
