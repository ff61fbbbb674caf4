"""Feedback: the one area where a component shows its errors and its confirmations.

Voilà hides tracebacks, so a component never raises into the page: it catches
:class:`~workbook.errors.WorkbookError` and shows it here. An error is the one error box in the
GOV.UK error-summary pattern (``problems.html.j2``, ``role="alert"``): the heading "There is a
problem", what happened, then what is wrong, where, the bad value and what is allowed; when it
is shown, focus moves to it. Given ``fields`` (the element id of the control the problems are
about, or a map from a problem's column or place to an id), each problem is a link that moves
focus to its field. A confirmation is one ``role="status"`` line. Each component has one
``feedback`` child of this kind, so tests and users look in one place::

    self.feedback = Feedback()
    try:
        ...
    except WorkbookError as exc:
        self.feedback.show_problems(exc)
        return
    self.feedback.show_status(f"Saved: {standard} {rating}.")

The widget is a small anywidget (``static/feedback.js``, shipped with the package): its
``value`` is the HTML shown, as an :class:`ipywidgets.HTML`'s is.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from html import unescape
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets
from markupsafe import escape

from ..errors import WorkbookError
from ..render import render
from ..report.writers import problems_table, table_context

KINDS = ("", "problems", "status")
HEADING = "There is a problem"
SCRIPT = Path(__file__).resolve().parent / "static" / "feedback.js"
_shown = itertools.count(1)  # a serial per showing of problems, unique in the kernel


def _field_of(problem, fields) -> str | None:
    if fields is None or isinstance(fields, str):
        return fields
    for key in (problem.column, problem.place):
        if key is not None and key in fields:
            return fields[key]
    return None


def summary_context(error: Any, title: str | None = None, fields=None) -> dict:
    """The error summary's context for ``problems.html.j2``: as
    `workbook.report.problems_html` shows ``error`` (one sentence, or a table of located
    problems), under the heading; with ``fields``, every problem a line linked to its field."""
    problems = getattr(error, "problems", error)
    context: dict = {"heading": HEADING, "title": title}
    if isinstance(problems, str):
        if fields is not None:
            context["links"] = [{"text": problems, "field": _field_of(None, fields)}]
        else:
            context["message"] = problems
        return context
    n = len(problems)
    context["title"] = title or (
        f"{n} problem{'s' if n != 1 else ''}: nothing was changed." if n else ""
    )
    if fields is not None:
        context["links"] = [{"text": str(p), "field": _field_of(p, fields)} for p in problems]
    elif n > 1 or (n and problems[0].file):
        context["table"] = table_context(problems_table(problems), 200)
    else:
        context["message"] = str(problems[0]) if n else ""
    return context


class Feedback(anywidget.AnyWidget):
    """A component's feedback area: one error summary or one status line (see the module's
    notes)."""

    value = traitlets.Unicode("", help="The HTML shown.").tag(sync=True)
    kind = traitlets.Unicode(
        "", help="What is shown: '' (nothing), 'problems' (an error box) or 'status'."
    )
    focus_serial = traitlets.Int(
        0, help="Changes each time problems are shown: the page moves focus to the summary."
    ).tag(sync=True)
    _esm = SCRIPT.read_text(encoding="utf-8")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("wb-feedback")

    def show_problems(
        self, error: Any, title: str | None = None, fields: str | Mapping[str, str] | None = None
    ) -> None:
        """Show the error summary for a WorkbookError, a list of problems or a sentence, and
        move focus to it. ``fields``: the element id of the control the problems are about, or
        a map from a problem's column or place to an id; each problem then links to its field."""
        with self.hold_sync():
            self.value = render("problems.html.j2", **summary_context(error, title, fields))
            self.kind = "problems"
            self.focus_serial = next(_shown)

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
