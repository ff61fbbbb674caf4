"""Feedback: the one area where a component shows its errors and its confirmations.

Voilà hides tracebacks, so a component never raises into the page: it catches
:class:`~workbook.errors.WorkbookError` and shows it here. An error is the one error box
(:func:`workbook.report.problems_html`, ``role="alert"``: what is wrong, where, the bad value,
what is allowed); a confirmation is one ``role="status"`` line. Each component has one
``feedback`` child of this kind, so tests and users look in one place::

    self.feedback = Feedback()
    try:
        ...
    except WorkbookError as exc:
        self.feedback.show_problems(exc)
        return
    self.feedback.show_status(f"Saved: {standard} {rating}.")

The widget is an :class:`ipywidgets.HTML`: ``feedback.value`` is the HTML shown.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

import ipywidgets as widgets
import traitlets
from markupsafe import escape

from .. import report
from ..errors import WorkbookError

KINDS = ("", "problems", "status")


class Feedback(widgets.HTML):
    """A component's feedback area: one error box or one status line (see the module's notes)."""

    kind = traitlets.Unicode(
        "", help="What is shown: '' (nothing), 'problems' (an error box) or 'status'."
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("wb-feedback")

    def show_problems(self, error: Any, title: str | None = None) -> None:
        """Show the error box: a WorkbookError, a list of problems, or a sentence."""
        with self.hold_sync():
            self.value = report.problems_html(error, title)
            self.kind = "problems"

    def show_status(self, text: str) -> None:
        """Show a confirmation as one status line (``text`` is escaped unless it is Markup)."""
        with self.hold_sync():
            self.value = f'<p role="status" class="wb-status">{escape(text)}</p>'
            self.kind = "status"

    def clear(self) -> None:
        """Show nothing."""
        with self.hold_sync():
            self.value = ""
            self.kind = ""

    @property
    def text(self) -> str:
        """What the area says, without markup (handy in tests)."""
        return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", self.value))).strip()

    def dispatch(self, callbacks: widgets.CallbackDispatcher, *args) -> None:
        """Call every callback registered with ``callbacks`` with ``args``.

        A callback's WorkbookError is shown here instead of raised (ipywidgets' own dispatcher
        would print it as a traceback, which Voilà hides); the other callbacks still run.
        """
        for callback in list(callbacks.callbacks):
            try:
                callback(*args)
            except WorkbookError as exc:
                self.show_problems(exc)
