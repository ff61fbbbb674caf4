"""The team's parts of the judgement form: who may write the case and why not, its status and
sign-off, the reason asked before a signed case's answer changes, the quality lead's queries
with a reply box, the "probe further" flag, and the warning that a colleague changed the case.

:func:`team_view` reads, for one case and one person, what the form needs from the store
(:meth:`~workbook.store.Store.access`, :meth:`~workbook.store.Store.case_status`,
:meth:`~workbook.store.Store.queries`) and works out the form's mode: ``first`` (answers),
``second`` (the person is the case's second rater: a blind second rating) and whether the
answers are read-only, with the reason in words. The store enforces every rule; these parts
only show the state and send what the inspector asks for. Each part is a small ipywidgets box
whose HTML comes from ``inspect/case_work/`` templates; every control is a native one with its
name (a button's words, a labelled text box or check box).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ipywidgets as widgets

from ...render import render
from ..feedback import Feedback

ANSWER_WORDS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable", None: "no answer"}
SIGNED = ("complete", "quality_assured", "locked")
NEEDS_REASON = ("complete", "quality_assured")
MAY_SIGN = ("inspector", "local_assessor", "lead_inspector")
MAY_FLAG = ("quality_lead", "lead_inspector")
STATUS_WORDS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete (signed off)",
    "quality_assured": "Quality assured",
    "locked": "Locked for rating",
}


def words(code: str | None) -> str:
    """A role, status or answer code in words: ``quality_assured`` -> ``quality assured``."""
    return "" if code is None else str(code).replace("_", " ")


@dataclass
class TeamView:
    """What the form knows of the team's work on one case, for one person."""

    person: str
    access: object | None = None  # workbook.store.values.Access
    work: object | None = None  # workbook.store.values.CaseWork
    queries: list = field(default_factory=list)  # open and answered workbook.store.values.Query
    mode: str = "first"  # "first" or "second" (a blind second rating)
    read_only: str = ""  # why the answers may not be changed; "" when they may

    @property
    def team(self) -> bool:
        return bool(self.access is not None and self.access.team)

    @property
    def role(self) -> str | None:
        return self.access.role if self.access is not None else None

    @property
    def status(self) -> str:
        return self.work.status if self.work is not None else "not_started"

    @property
    def needs_reason(self) -> bool:
        """A change of answer needs a reason (the case is signed off or quality assured)."""
        return self.mode == "first" and self.status in NEEDS_REASON

    def may_sign(self) -> bool:
        """Whether the sign-off button is offered (the store decides in the end)."""
        if self.mode != "first" or self.status in SIGNED:
            return False
        if not self.team:
            return True
        if self.role == "lead_inspector":
            return True
        return self.role in MAY_SIGN and self.work is not None and self.allocated_to_me

    @property
    def allocated_to_me(self) -> bool:
        return self.work is not None and self.work.allocated_to == self.person

    def may_flag(self) -> bool:
        """Whether "Probe further" may be changed (the allocated person, a quality lead, a lead)."""
        if self.mode != "first":
            return False
        if not self.team:
            return True
        return self.role in MAY_FLAG or (self.access.can_write and self.allocated_to_me)

    def may_reply(self) -> bool:
        """Whether the person may reply to the case's queries (the allocated person or a lead)."""
        if not self.team:
            return True
        return self.role == "lead_inspector" or (self.access.can_write and self.allocated_to_me)


def read_only_reason(access, work, person: str) -> str:
    """Why ``person`` may not change the case's first answers, in words ("" when they may)."""
    if access is not None and not access.can_write:
        return access.why or f"{person or 'You'} may not change this inspection."
    if work is not None and work.status == "locked":
        by = f" by {work.status_by}" if work.status_by else ""
        return (
            f"Locked{by} for rating: the answers can no longer be changed. The lead inspector "
            "can reopen the case, giving a reason."
        )
    if access is None or not access.team:
        return ""
    if access.role == "quality_lead":
        return (
            f"{person} is a quality lead in this team: quality leads query answers and do not "
            "change them."
        )
    if work is None or not work.allocated_to:
        return "Not allocated yet: only the person the case is allocated to may answer it."
    if work.allocated_to != person:
        return f"Allocated to {work.allocated_to}: only {work.allocated_to} may answer it."
    return ""


def team_view(store, inspection: str, case_id: str, person: str) -> TeamView:
    """Read what the form needs of the team's work on ``case_id`` for ``person``."""
    access = store.access(inspection, person)
    work = store.case_status(inspection, case_id)
    listed = store.queries(inspection, case_id=case_id)
    queries = [q for q in listed if q.state in ("open", "answered")]
    second = bool(work is not None and work.second_rater and work.second_rater == person and person)
    view = TeamView(person, access, work, queries, "second" if second else "first")
    if second:
        if work.status == "locked":
            view.read_only = read_only_reason(access, work, person)
    else:
        view.read_only = read_only_reason(access, work, person)
    return view


def change_text(entry, mode: str = "first") -> str:
    """One colleague's change of the open case, in a sentence (never a first answer in a
    blind second rating; "" for what the second rater must not see)."""
    when = f" at {entry.at:%H:%M}" if entry.at is not None else ""
    who = entry.by or "someone else"
    kind = entry.entity
    if kind == "judgement":
        if mode == "second":
            return ""
        return (
            f"{entry.question} was changed by {who}{when} from "
            f"{ANSWER_WORDS.get(entry.old, entry.old)} to {ANSWER_WORDS.get(entry.new, entry.new)}."
        )
    if kind == "second":
        return f"A second answer to {entry.question} was saved by {who}{when}."
    if kind == "status":
        return f"The case's status was changed by {who}{when} to {words(entry.new)}."
    if kind == "allocation":
        return f"The case was allocated to {entry.new or 'nobody'} by {who}{when}."
    if kind == "second_rater":
        return f"The case's second rater was changed by {who}{when}."
    if kind == "query":
        on = entry.question or "the case"
        text = f": “{entry.new_note}”" if entry.new_note else "."
        done = {"open": "opened a query on", "answered": "replied to the query on"}
        return f"{who} {done.get(entry.new, 'resolved the query on')} {on}{when}{text}"
    if kind == "probe":
        return f"The probe-further flag was changed by {who}{when}."
    if kind == "adjudication":
        return f"An answer was adjudicated by {who}{when}."
    return ""


# -- the parts --------------------------------------------------------------------------------


class Notice(widgets.HTML):
    """Why the form is read-only: GOV.UK inset text at the top (information, not an error)."""

    def show(self, text: str, heading: str = "") -> None:
        self.value = (
            render("inspect/case_work/notice.html.j2", text=text, heading=heading) if text else ""
        )

    @property
    def text(self) -> str:
        return _plain(self.value)


class StatusBar(widgets.VBox):
    """The case's status in words, who has it, and "Sign off this case"."""

    def __init__(self):
        self.summary = widgets.HTML()
        self.sign_off_button = widgets.Button(
            description="Sign off this case",
            tooltip="Sign the case off as complete (every applicable key question answered)",
            button_style="primary",
            layout=widgets.Layout(width="auto", align_self="flex-start"),
        )
        super().__init__([self.summary, self.sign_off_button])
        self.add_class("wb-status-bar")

    def show(self, view: TeamView, complete: bool, missing: list[str]) -> None:
        work = view.work
        allocated = work.allocated_to if work is not None else None
        self.summary.value = render(
            "inspect/case_work/status.html.j2",
            status=STATUS_WORDS.get(view.status, words(view.status)),
            allocated=allocated,
            mine=bool(allocated) and allocated == view.person,
            team=view.team,
            second=view.mode == "second",
            by=work.status_by if work is not None and view.status in SIGNED else None,
            at=work.status_at if work is not None and view.status in SIGNED else None,
            missing=missing,
            offered=view.may_sign(),
        )
        shown = view.may_sign()
        self.sign_off_button.layout.display = None if shown else "none"
        self.sign_off_button.disabled = not (shown and complete)
        self.sign_off_button.tooltip = (
            "Sign the case off as complete"
            if complete
            else "Answer every applicable key question first: " + ", ".join(missing)
        )

    @property
    def text(self) -> str:
        return _plain(self.summary.value)


class ReasonPrompt(widgets.VBox):
    """Before an answer of a signed-off case changes: a labelled reason and "Save with this
    reason" (the answer is saved only with it) or "Cancel"."""

    def __init__(self, question: str):
        self.question = question
        self.intro = widgets.HTML()
        self.reason = widgets.Text(
            description=f"Reason for changing {question}",
            placeholder="Why the answer changes (kept in the history)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        self.save_button = widgets.Button(
            description="Save with this reason",
            tooltip=f"Save the new answer to {question} with the reason given",
            button_style="primary",
            layout=widgets.Layout(width="auto", align_self="flex-start"),
        )
        self.cancel_button = widgets.Button(
            description="Cancel",
            tooltip=f"Keep the saved answer to {question}",
            layout=widgets.Layout(width="auto", align_self="flex-start"),
        )
        super().__init__(
            [self.intro, self.reason, widgets.Box([self.save_button, self.cancel_button])]
        )
        self.add_class("wb-reason-prompt")
        self.pending: tuple | None = None
        self.layout.display = "none"

    def ask(self, old, new, status: str, pending: tuple, note_only: bool = False) -> None:
        self.pending = pending
        self.intro.value = render(
            "inspect/case_work/reason.html.j2",
            question=self.question,
            note_only=note_only,
            old=ANSWER_WORDS.get(old, old),
            new=ANSWER_WORDS.get(new, new),
            status=words(status),
        )
        self.layout.display = None

    def close_prompt(self) -> None:
        self.pending = None
        self.reason.value = ""
        self.layout.display = "none"

    @property
    def asking(self) -> bool:
        return self.pending is not None


class QueryPanel(widgets.VBox):
    """A quality lead's queries (open or answered) on one key question or the whole case, each
    with its text and, while open, a reply box and "Send reply"."""

    def __init__(self, where: str, on_reply):
        self.where = where  # a key question's id, or "" for the case's own queries
        self._on_reply = on_reply
        self.replies: dict[int, widgets.Textarea] = {}
        self.reply_buttons: dict[int, widgets.Button] = {}
        self.feedback = Feedback()
        super().__init__()
        self.add_class("wb-queries")

    def show(self, queries, may_reply: bool) -> None:
        typed = {qid: box.value for qid, box in self.replies.items()}  # kept across a refresh
        self.replies, self.reply_buttons = {}, {}
        children = []
        for q in queries:
            children.append(widgets.HTML(render("inspect/case_work/query.html.j2", query=q)))
            if q.state != "open":
                continue
            box = widgets.Textarea(
                value=typed.get(q.id, ""),
                description=f"Reply to query {q.id}",
                placeholder="Your reply to the quality lead",
                disabled=not may_reply,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="95%", height="3em"),
            )
            button = widgets.Button(
                description="Send reply",
                tooltip=f"Send the reply to query {q.id}",
                disabled=not may_reply,
                layout=widgets.Layout(width="auto", align_self="flex-start"),
            )
            button.on_click(lambda _, qid=q.id: self._on_reply(qid, self))
            self.replies[q.id], self.reply_buttons[q.id] = box, button
            children += [box, button]
        if children:
            children.append(self.feedback)
        self.children = children
        self.layout.display = None if children else "none"

    @property
    def text(self) -> str:
        return " ".join(_plain(c.value) for c in self.children if isinstance(c, widgets.HTML))


class ProbeFlag(widgets.VBox):
    """ "Probe further": a check box and a note for the lead inspector, saved at once."""

    def __init__(self):
        self.flag = widgets.Checkbox(
            description="Probe further (flag this case to the lead inspector)",
            indent=False,
            layout=widgets.Layout(width="auto", align_self="flex-start"),
        )
        self.note = widgets.Textarea(
            description="Note for the lead inspector",
            placeholder="What to probe further (saved when you leave the box)",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%", height="3em"),
        )
        self.state = widgets.HTML()
        self.feedback = Feedback()
        super().__init__([self.flag, self.note, self.state, self.feedback])
        self.add_class("wb-probe")

    def show(self, work, may: bool) -> None:
        self.flag.value = bool(work is not None and work.probe)
        self.note.value = (work.probe_note or "") if work is not None else ""
        self.flag.disabled = self.note.disabled = not may
        self.state.value = ""


class ChangeWarning(widgets.VBox):
    """A colleague changed the case I have open: what, and "Reload this case"."""

    def __init__(self):
        self.html = widgets.HTML()
        self.reload_button = widgets.Button(
            description="Reload this case",
            tooltip="Show the case as it is saved now",
            button_style="warning",
            layout=widgets.Layout(width="auto", align_self="flex-start"),
        )
        self.lines: list[str] = []
        super().__init__([self.html, self.reload_button])
        self.add_class("wb-change-warning")
        self.layout.display = "none"

    def warn(self, lines: list[str]) -> None:
        self.lines += [line for line in lines if line]
        if not self.lines:
            return
        self.html.value = render("inspect/case_work/changes.html.j2", lines=self.lines)
        self.layout.display = None

    def clear(self) -> None:
        self.lines = []
        self.html.value = ""
        self.layout.display = "none"

    @property
    def text(self) -> str:
        return _plain(self.html.value)


def _plain(html: str) -> str:
    import re
    from html import unescape

    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html or ""))).strip()
