"""CaseNavigator: the inspection's cases, filtered by sample, LDU, inspector, status (not
started, in progress, complete, quality assured, locked) and "My cases", with progress per
sample and LDU, and previous / next / "next case not yet assessed". Its ``case_id`` trait is
the case picked (link it to a form).

Each case reads, in words, its status, who it is allocated to (a local assessor marked
"(local assessor)") and its open queries: "C012 · in progress · alice · 1
open query". A case is *assessed* when every applicable key question is answered (signed off
or not); *complete* is the status a sign-off gives. :meth:`CaseNavigator.apply_changes` takes
the history entries a live follower reads and updates the states without a reload.
"""

from __future__ import annotations

from collections import Counter

import ipywidgets as widgets
import traitlets

from ...errors import WorkbookError
from ...render import render
from ..feedback import Feedback
from .case_work import words

STATES = ("not started", "in progress", "complete", "quality assured", "locked")
SIGNED = ("complete", "quality assured", "locked")
TEAM_ENTITIES = ("status", "allocation", "second_rater", "query", "probe", "dip_sample")
ALL = "all"
LIST_LIMIT = 500  # cases listed at once; the filters narrow a longer list


class CaseNavigator(widgets.VBox):
    """Find and step through the cases of an inspection (see the module's notes)."""

    case_id = traitlets.Unicode("", help="The case picked; empty when none is.")
    sample = traitlets.Unicode(ALL, help="Show only cases of this sample id ('all': every sample).")
    ldu = traitlets.Unicode(ALL, help="Show only cases of this LDU ('all': every LDU).")
    inspector = traitlets.Unicode(
        ALL, help="Show only cases assigned to this inspector ('all': everyone)."
    )
    state = traitlets.Unicode(
        ALL, help="Show only cases in this state: not started, in progress, complete, or all."
    )
    shown = traitlets.List(
        traitlets.Unicode(), help="The case ids the filters let through, in order."
    )
    disabled = traitlets.Bool(
        False, help="Read-only: filters and stepping still work; nothing here writes."
    )
    mine = traitlets.Bool(False, help="Show only the cases allocated to me (``me``).")

    def __init__(self, store, inspection: str, framework=None, me: str = "", **kwargs):
        self.store = store
        self.inspection = inspection
        self.framework = framework or store.framework(inspection)
        self.me = me
        self.feedback = Feedback()
        self.mine_filter = widgets.Checkbox(
            description="My cases" + (f" (allocated to {me})" if me else ""),
            indent=False,
            disabled=not me,
            layout=widgets.Layout(width="auto"),
        )
        self.sample_filter = widgets.Dropdown(description="Sample", options=[("all", ALL)])
        self.ldu_filter = widgets.Dropdown(description="LDU", options=[("all", ALL)])
        self.inspector_filter = widgets.Dropdown(description="Inspector", options=[("all", ALL)])
        self.state_filter = widgets.Dropdown(
            description="Status", options=[("all", ALL)] + [(s, s) for s in STATES]
        )
        self.case_list = widgets.Select(
            description="Cases", rows=10, layout=widgets.Layout(width="95%")
        )
        self.previous_button = widgets.Button(
            description="Previous",
            icon="arrow-left",
            tooltip="The case before this one in the list",
        )
        self.next_button = widgets.Button(
            description="Next", icon="arrow-right", tooltip="The case after this one in the list"
        )
        self.next_unassessed_button = widgets.Button(
            description="Next case not yet assessed",
            tooltip="The next case in the list that is not complete",
            layout=widgets.Layout(width="auto"),
        )
        self.progress = widgets.VBox()
        self.filters = widgets.Box(
            [
                self.sample_filter,
                self.ldu_filter,
                self.inspector_filter,
                self.state_filter,
                self.mine_filter,
            ]
        )
        self.filters.add_class("wb-case-filters")
        self.steps = widgets.Box(
            [self.previous_button, self.next_button, self.next_unassessed_button]
        )
        self.steps.add_class("wb-case-steps")
        self._cases: list[dict] = []
        self._answered: dict[str, set[str]] = {}
        self._applicable: dict[str, int] = {}
        self._state: dict[str, str] = {}
        self._work: dict = {}  # case id -> workbook.store.values.CaseWork (a team's work)
        self._roles: dict[str, str] = {}  # person -> role, for "(local assessor)"
        self._totals: Counter = Counter()
        self._done: Counter = Counter()
        super().__init__(**kwargs)
        self.children = [
            self.feedback,
            self.filters,
            self.case_list,
            self.steps,
            self.progress,
        ]
        self.add_class("wb-case-navigator")
        for w, name in (
            (self.sample_filter, "sample"),
            (self.ldu_filter, "ldu"),
            (self.inspector_filter, "inspector"),
            (self.state_filter, "state"),
            (self.mine_filter, "mine"),
        ):
            widgets.link((w, "value"), (self, name))
        self.case_list.observe(self._on_pick, names="value")
        self.previous_button.on_click(lambda _: self.step(-1))
        self.next_button.on_click(lambda _: self.step(1))
        self.next_unassessed_button.on_click(lambda _: self.next_not_assessed())
        self.reload()

    # -- data ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the cases and their judgements from the store."""
        try:
            cases = self.store.cases(self.inspection)
            judgements = self.store.judgements(self.inspection)
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return
        self._cases = [
            {k: ("" if v is None or v != v else str(v)) for k, v in row.items()}  # NaN: ""
            for row in cases.to_dict(orient="records")
        ]
        per_sample = {}
        for case in self._cases:
            s = case.get("sample", "")
            if s not in per_sample:
                per_sample[s] = sum(
                    len(st.key_questions) for st in self.framework.standards_for_sample(s)
                )
            self._applicable[case["case_id"]] = per_sample[s]
        self._answered = {}
        for cid, q in zip(
            judgements["case_id"].tolist(), judgements["question"].tolist(), strict=True
        ):
            self._answered.setdefault(str(cid), set()).add(str(q))
        if not self._read_team():
            return
        self._state = {c["case_id"]: self._count_state(c["case_id"]) for c in self._cases}
        self._count_done()
        self._set_filter_options()
        self._refresh()

    def _read_team(self) -> bool:
        """Read the team's work on every case (status, allocation, open queries) and roles."""
        try:
            self._work = dict(self.store.case_work(self.inspection))
            self._roles = {m.person: m.role for m in self.store.team(self.inspection)}
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return False
        return True

    def _count_done(self) -> None:
        self._totals, self._done = Counter(), Counter()
        for c in self._cases:
            for key in ("sample", "ldu"):
                self._totals[(key, c.get(key, ""))] += 1
                if self.assessed(c["case_id"]):
                    self._done[(key, c.get(key, ""))] += 1

    def _values(self, key: str) -> list[str]:
        return sorted({c.get(key, "") for c in self._cases if c.get(key, "")})

    def _set_filter_options(self) -> None:
        samples = self._values("sample")
        labels = dict(self.framework.samples)
        self.sample_filter.options = [("all", ALL)] + [(labels.get(s, s), s) for s in samples]
        self.ldu_filter.options = [("all", ALL)] + [(v, v) for v in self._values("ldu")]
        people = sorted({self.inspector_of(c) for c in self._cases} - {""})
        self.inspector_filter.options = [("all", ALL)] + [(self.person_label(v), v) for v in people]

    def inspector_of(self, case: dict) -> str:
        """Who has the case: in a team its allocation ("" when not allocated), else the case
        list's inspector."""
        work = self._work.get(case["case_id"])
        if work is not None and work.allocated_to:
            return work.allocated_to
        return "" if self._roles else case.get("inspector", "")

    def person_label(self, person: str) -> str:
        """A person as the lists show them: a local assessor marked "(local assessor)"."""
        return (
            f"{person} (local assessor)" if self._roles.get(person) == "local_assessor" else person
        )

    def open_queries(self, case_id: str) -> int:
        """The case's open queries (0 without a team's work)."""
        work = self._work.get(case_id)
        return work.open_queries if work is not None else 0

    def case_row(self, case_id: str) -> dict | None:
        """The case's row as the store holds it (values as text), or None if unknown."""
        return next((c for c in self._cases if c["case_id"] == case_id), None)

    def state_of(self, case_id: str) -> str:
        """The case's status in words: not started, in progress, complete (signed off),
        quality assured or locked."""
        return self._state.get(case_id) or self._count_state(case_id)

    def assessed(self, case_id: str) -> bool:
        """Whether every applicable key question of the case is answered."""
        return len(self._answered.get(case_id, ())) >= self._applicable.get(case_id, 0) > 0

    def _count_state(self, case_id: str) -> str:
        work = self._work.get(case_id)
        if work is not None and words(work.status) in SIGNED:
            return words(work.status)
        answered = len(self._answered.get(case_id, ()))
        if answered == 0:
            return STATES[0]
        return STATES[1]

    def judgement_saved(
        self, case_id: str, question: str, old: str | None, new: str | None
    ) -> None:
        """Take in a saved judgement: the case's state and the progress bars."""
        if self._take_judgement(case_id, question, new):
            self._refresh()

    def _take_judgement(self, case_id: str, question: str, new: str | None) -> bool:
        before, was = self.state_of(case_id), self.assessed(case_id)
        answered = self._answered.setdefault(case_id, set())
        if new is None:
            answered.discard(question)
        else:
            answered.add(question)
        after, now_ = self._count_state(case_id), self.assessed(case_id)
        self._state[case_id] = after
        if was != now_:
            case = self.case_row(case_id) or {}
            for key in ("sample", "ldu"):
                self._done[(key, case.get(key, ""))] += 1 if now_ else -1
        return after != before or was != now_

    def apply_changes(self, entries) -> bool:
        """Take in history entries (a live follower's): answers, statuses, allocations and
        queries of any case; the list and progress follow. Returns whether anything shown
        changed."""
        changed, reread, members = False, set(), False
        for e in entries:
            if e.entity == "judgement" and e.case_id and e.question:
                changed |= self._take_judgement(str(e.case_id), str(e.question), e.new)
            elif e.entity in TEAM_ENTITIES and e.case_id:
                reread.add(str(e.case_id))
            elif e.entity == "member":
                members = True
            elif e.entity == "case":
                return self._reload_all()
        if reread or members:
            changed |= self._reread(reread, members)
        if changed:
            self._refresh()
        return changed

    def _reload_all(self) -> bool:
        self.reload()
        return True

    def _reread(self, case_ids: set[str], members: bool) -> bool:
        try:
            if members:
                self._roles = {m.person: m.role for m in self.store.team(self.inspection)}
            for cid in case_ids:
                self._work[cid] = self.store.case_status(self.inspection, cid)
                self._state[cid] = self._count_state(cid)
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return False
        self._set_filter_options()
        return True

    # -- filtering and stepping ----------------------------------------------------------------

    @traitlets.observe("sample", "ldu", "inspector", "state", "mine")
    def _on_filter(self, change) -> None:
        self._refresh()

    def _passes(self, case: dict) -> bool:
        return (
            (self.sample == ALL or case.get("sample") == self.sample)
            and (self.ldu == ALL or case.get("ldu") == self.ldu)
            and (self.inspector == ALL or self.inspector_of(case) == self.inspector)
            and (self.state == ALL or self.state_of(case["case_id"]) == self.state)
            and (not self.mine or (bool(self.me) and self.inspector_of(case) == self.me))
        )

    def label(self, case: dict) -> str:
        """The case as the list shows it: id, status, who has it, open queries, then its LDU
        (last: the list is narrow, and the LDU has its own filter)."""
        cid = case["case_id"]
        parts = [cid, self.state_of(cid)]
        if self._work:
            who = self.inspector_of(case)
            parts.append(self.person_label(who) if who else "not allocated")
        n = self.open_queries(cid)
        if n:
            parts.append(f"{n} open quer{'y' if n == 1 else 'ies'}")
        parts.append(case.get("ldu", ""))
        return " · ".join(p for p in parts if p)

    def _refresh(self) -> None:
        shown = [c for c in self._cases if self._passes(c)]
        with self.hold_sync():
            self.shown = [c["case_id"] for c in shown]
            options = [(self.label(c), c["case_id"]) for c in shown]
            self.case_list.unobserve(self._on_pick, names="value")
            try:
                self.case_list.options = options
                self.case_list.value = (
                    self.case_id if self.case_id in [v for _, v in options] else None
                )
            finally:
                self.case_list.observe(self._on_pick, names="value")
            self.progress.children = [self._progress_html()]

    def _progress_html(self) -> widgets.HTML:
        samples = dict(self.framework.samples)
        rows = []
        for key, title in (("sample", "Sample"), ("ldu", "LDU")):
            for value in sorted(v for k, v in self._totals if k == key):
                label = samples.get(value, value) if key == "sample" else value
                total, done = self._totals[(key, value)], self._done[(key, value)]
                rows.append({"title": title, "label": label, "total": total, "done": done})
        return widgets.HTML(render("inspect/case_navigator/progress.html.j2", rows=rows))

    def _on_pick(self, change) -> None:
        if change["new"]:
            self.case_id = change["new"]

    @traitlets.observe("case_id")
    def _on_case(self, change) -> None:
        if self.case_list.value != self.case_id and self.case_id in self.shown:
            if self.case_id not in [v for _, v in self.case_list.options]:
                self._refresh()
            else:
                self.case_list.value = self.case_id

    def step(self, by: int) -> None:
        """Go to the case ``by`` places after (or before) the current one in the list."""
        if not self.shown:
            self.feedback.show_status("No case matches the filters.")
            return
        self.feedback.clear()
        if self.case_id not in self.shown:
            self.case_id = self.shown[0 if by > 0 else -1]
            return
        i = self.shown.index(self.case_id) + by
        self.case_id = self.shown[max(0, min(len(self.shown) - 1, i))]

    def next_not_assessed(self) -> None:
        """Go to the next case in the list (after the current one, wrapping) with a key
        question still to answer."""
        order = self.shown
        start = order.index(self.case_id) + 1 if self.case_id in order else 0
        for cid in order[start:] + order[:start]:
            if not self.assessed(cid) and cid != self.case_id:
                self.case_id = cid
                self.feedback.clear()
                return
        self.feedback.show_status("Every case in the list is assessed.")
