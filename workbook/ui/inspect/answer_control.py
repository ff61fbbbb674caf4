"""AnswerControl: one key question's answers as a radio group a screen reader understands.

The markup is a template (``inspect/judgement_form/answer_control.html.j2``): a ``fieldset``
named by its ``legend`` (the key question's id and text), the answers as native radio inputs
(Tab reaches the group, the arrow keys move and choose, Space chooses; a screen reader hears
the group's name and "Yes, radio button, checked, 1 of 2"), the chosen one filled at more than
3:1 against the others, ticked and bold, and the prompts as a ``<details>`` disclosure (Enter or
Space opens it). Each focusable element carries ``data-lm-suppress-shortcuts`` itself: in
JupyterLab an arrow key, Enter or a letter typed on it is not a notebook shortcut. A small anywidget script
(``static/answer_control.js``, shipped with the package: no CDN) keeps the checked state in step
with :attr:`AnswerControl.value` and sends a choice back as a change of it, as a click on a
ToggleButtons does.

The first radio's element id is :attr:`AnswerControl.field_id`: an error summary links to it
(:meth:`workbook.ui.feedback.Feedback.show_problems` with ``fields=``). Its styles, with the
focus ring of every control of the workbook, are the form's part of the one stylesheet
(``css/form.css.j2``), sent with the control too so that it reads right when shown alone.
"""

from __future__ import annotations

import itertools
import re
from functools import cache
from pathlib import Path

import anywidget
import traitlets

from ...render import render

TEMPLATE = "inspect/judgement_form/answer_control.html.j2"
STATIC = Path(__file__).resolve().parent / "static"
_serial = itertools.count(1)


def _script() -> str:
    return (STATIC / "answer_control.js").read_text(encoding="utf-8")


@cache
def form_css() -> str:
    """The form's part of the one stylesheet (answers, prompts, error summary, focus ring)."""
    return render("css/form.css.j2")


def _field_id(question: str) -> str:
    """An element id unique in the page: the key question's id and a serial number."""
    return f"wb-kq-{re.sub(r'[^A-Za-z0-9]+', '-', question)}-{next(_serial)}"


class AnswerControl(anywidget.AnyWidget):
    """One key question's answers as a named radio group (see the module's notes)."""

    value = traitlets.Unicode(
        None, allow_none=True, help="The chosen answer ('yes', 'no', ...); None: no answer."
    ).tag(sync=True)
    disabled = traitlets.Bool(False, help="Read-only: the answer shown, not changeable.").tag(
        sync=True
    )
    markup = traitlets.Unicode("", help="The group's HTML, from the template.").tag(sync=True)
    question = traitlets.Unicode("", help="The key question's id, such as '2.1.3'.")
    text = traitlets.Unicode("", help="The key question as the framework words it.")
    options = traitlets.List(
        traitlets.Tuple(traitlets.Unicode(), traitlets.Unicode()),
        help="The answers offered, as (word, value) pairs.",
    )
    hint = traitlets.Unicode("", help="The relevant sub-sample in words, if any.")
    prompts = traitlets.List(traitlets.Unicode(), help="Prompts shown under Prompts.")
    field_id = traitlets.Unicode("", help="The first radio's element id (errors link to it).")
    _esm = _script()
    _css = form_css()

    def __init__(self, question: str, text: str, options, value=None, **kwargs):
        super().__init__(
            question=question,
            text=text,
            options=[tuple(o) for o in options],
            value=value,
            field_id=kwargs.pop("field_id", None) or _field_id(question),
            **kwargs,
        )
        self.markup = self.html()
        self.add_class("wb-answer-control")

    def html(self) -> str:
        """The group as the browser first shows it, for the current value and disabled state."""
        return render(
            TEMPLATE,
            field=self.field_id,
            question=self.question,
            text=self.text,
            options=self.options,
            value=self.value,
            hint=self.hint,
            prompts=self.prompts,
            disabled=self.disabled,
        )

    @property
    def words(self) -> dict[str, str]:
        """The word shown for each answer value."""
        return {value: word for word, value in self.options}
