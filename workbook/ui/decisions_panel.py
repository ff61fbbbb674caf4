"""DecisionsPanel: record or revise a standard's rating set by the inspectors: professional
discretion on a case-rated standard, or the judged rating of a domain-one standard with its
evidence. A rating and a reason are both required; every change goes to the store's history,
shown under the form. Listeners registered with :meth:`DecisionsPanel.on_saved` receive the
standing decisions after each save (the ratings board uses it).
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import traitlets

from .. import report
from ..errors import InputError, Problem, WorkbookError

WITHDRAW = "(withdraw the decision)"


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
        self._listeners: list = []
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
        self.feedback = widgets.HTML()
        self.history = widgets.HTML()
        super().__init__(inspector=inspector, **kwargs)
        self.children = [
            widgets.HTML("<h3>Decisions: judged ratings and professional discretion</h3>"),
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

    def on_saved(self, callback) -> None:
        """Call ``callback(decisions)`` with the standing decisions after each save."""
        self._listeners.append(callback)

    def reload(self) -> None:
        try:
            self._stored = self.store.stored_decisions(self.inspection)
            self._show_current()
            self._show_history()
        except WorkbookError as exc:
            self.feedback.value = report.problems_html(exc)

    @traitlets.observe("standard")
    def _on_standard(self, change) -> None:
        self._show_current()

    def _show_current(self) -> None:
        d = self._stored.get(self.standard)
        if d is None or d.rating is None:
            self.current.value = f"<p>No decision on {escape(self.standard)} yet.</p>"
        else:
            self.current.value = (
                f"<p>Standing: <b>{escape(d.rating)}</b> by {escape(d.inspector)} at {d.saved_at:%Y-%m-%d %H:%M} UTC "
                f"(version {d.version}): {escape(d.reason)}</p>"
            )

    def _show_history(self) -> None:
        entries = [h for h in self.store.history(self.inspection) if h.entity == "decision"]
        rows = "".join(
            f"<tr><td>{h.at:%Y-%m-%d %H:%M}</td><td>{escape(h.key)}</td><td>{escape(h.old or '')}</td>"
            f"<td>{escape(h.new or 'withdrawn')}</td><td>{escape(h.by)}</td><td>{escape(getattr(h, 'new_note', None) or '')}</td></tr>"
            for h in reversed(entries)
        )
        head = "".join(
            f"<th scope='col'>{h}</th>"
            for h in ("When (UTC)", "Standard", "From", "To", "By", "Reason")
        )
        self.history.value = f"<table class='wb-history'><caption>History of decisions</caption><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"

    @traitlets.observe("disabled")
    def _on_disabled(self, change) -> None:
        for w in (self.rating_picker, self.reason_text, self.save_button):
            w.disabled = self.disabled

    def save(self) -> None:
        """Save the rating and reason shown; problems are shown, never raised."""
        if self.disabled:
            self.feedback.value = report.problems_html("This page is read-only: nothing was saved.")
            return
        rating, reason = self.rating_picker.value, self.reason_text.value.strip()
        problems = []
        if not rating:
            problems.append(
                Problem(
                    "missing_rating",
                    "choose a rating.",
                    column="rating",
                    allowed=", ".join(self.framework.ratings),
                )
            )
        if not reason:
            problems.append(
                Problem(
                    "missing_reason",
                    "write the reason (the evidence for the rating).",
                    column="reason",
                )
            )
        try:
            if problems:
                raise InputError(problems)
            current = self._stored.get(self.standard)
            self.store.save_decision(
                self.inspection,
                self.standard,
                None if rating == WITHDRAW else rating,
                reason,
                self.inspector,
                expect_version=current.version if current is not None else 0,
            )
        except WorkbookError as exc:
            self.save_state = "conflict" if exc.codes == ["conflict"] else "error"
            self.feedback.value = report.problems_html(exc)
            if self.save_state == "conflict":  # show the colleague's decision
                self.reload()
            return
        self.save_state = "saved"
        self.feedback.value = (
            f"<p role='status'>Saved: {escape(self.standard)} {escape(rating)}.</p>"
        )
        self.reason_text.value = ""
        self.rating_picker.value = ""
        self.reload()
        decisions = [s.as_decision() for s in self._stored.values() if s.rating is not None]
        for callback in self._listeners:
            callback(decisions)
