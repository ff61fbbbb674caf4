"""QaPanel: the quality lead's page of the inspectors' workbook (the *Quality assurance* tab).

The quality lead (or the lead inspector) draws a dip sample of complete cases (a seed, how
many cases, and at least how many of each inspector's: the defaults are the settings'
``qa_size`` and ``qa_per_inspector``; :meth:`Store.draw_dip_sample` spreads it across
inspectors and LDUs), and works through it: the dip sample's cases with their status, who
has them and their open queries; a query on one judgement (a key question) or on the whole
case; the queries not yet resolved, with the inspector's reply, resolved here; and a case
marked quality assured once it has no open query. The store enforces every rule: a refusal
is shown in the panel's feedback area, never raised. :meth:`QaPanel.apply_changes` takes a
live follower's history entries and reads the panel again.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ...errors import WorkbookError
from ...render import render
from ...store.team import REVIEWING, label
from ...store.values import now
from ..feedback import Feedback
from .console import age_words, person_words

TEMPLATES = "inspect/qa_panel/"
SECTION = "inspect/console/section.html.j2"
WHOLE_CASE = ""


def _row(cells) -> dict:
    return {"cells": [str(c) for c in cells], "flag": None}


def sample_table(dip: list[str], cases, work: dict, roles: dict, samples=None) -> dict:
    """The dip sample's cases: who has each, its LDU, sample, status and open queries."""
    facts = {str(r.case_id): r for r in cases.itertuples(index=False)}
    rows = []
    for cid in dip:
        w, case = work.get(cid), facts.get(cid)
        rows.append(
            _row(
                [
                    cid,
                    person_words(getattr(w, "allocated_to", None), roles),
                    getattr(case, "ldu", "") or "not recorded",
                    _sample_words(getattr(case, "sample", ""), samples or {}),
                    label(getattr(w, "status", "")),
                    getattr(w, "open_queries", 0),
                    (w.probe_note or "yes") if w is not None and w.probe else "no",
                ]
            )
        )
    columns = ["Case", "Inspector", "LDU", "Sample", "Status", "Open queries", "Probe further"]
    return {
        "key": "dip-sample",
        "caption": "The dip sample's cases",
        "columns": columns,
        "rows": rows,
        "empty": "no case drawn yet",
    }


def _sample_words(sample, samples) -> str:
    return samples.get(sample, sample) if sample else "not recorded"


def queries_table(queries, work: dict, roles: dict, moment) -> dict:
    """The queries not yet resolved, oldest first, with the reply where there is one."""
    rows = [
        _row(
            [
                f"Query {q.id}",
                q.case_id,
                q.question or "whole case",
                q.text,
                q.state,
                q.reply or "",
                person_words(getattr(work.get(q.case_id), "allocated_to", None), roles),
                age_words(q.opened_at, moment),
            ]
        )
        for q in sorted(queries, key=lambda q: (q.opened_at, q.id))
        if q.state != "resolved"
    ]
    columns = ["Query", "Case", "Key question", "Text", "State", "Reply", "Case of", "Age"]
    return {
        "key": "qa-queries",
        "caption": "Queries not yet resolved",
        "columns": columns,
        "rows": rows,
        "empty": "none",
    }


class QaPanel(widgets.VBox):
    """The quality lead's dip sample and queries (see the module's notes)."""

    person = traitlets.Unicode("", help="Who is looking: the page's inspector.")
    role = traitlets.Unicode("", help="Their role in the team ('' when not a member).")
    reviewing = traitlets.Bool(False, help="True for a quality lead or lead: the controls work.")
    dip = traitlets.List(traitlets.Unicode(), help="The dip sample's case ids, in case order.")
    updates = traitlets.Int(0, help="How many times the panel was read from the store.")

    def __init__(
        self,
        store,
        inspection: str,
        framework=None,
        person: str = "",
        size: int = 10,
        per_inspector: int = 2,
        **kwargs,
    ):
        self.store = store
        self.inspection = inspection
        self.framework = framework or store.framework(inspection)
        self.tables: dict[str, dict] = {}
        self.work: dict = {}
        self.roles: dict[str, str] = {}
        self._samples: dict[str, str] = {}
        self.heading = widgets.HTML()
        self.feedback = Feedback()
        self.sample = widgets.HTML()
        self.queries = widgets.HTML()
        self._build_controls(size, per_inspector)
        super().__init__(person=person, **kwargs)
        self.children = [
            self.heading,
            self.feedback,
            self.draw_controls,
            self.sample,
            self.query_controls,
            self.queries,
            self.resolve_controls,
        ]
        self.add_class("wb-qa-panel")
        self.reload()

    def _build_controls(self, size: int, per_inspector: int) -> None:
        wide = widgets.Layout(width="auto")
        style = {"description_width": "initial"}
        self.seed = widgets.IntText(value=1, description="Seed", style=style)
        self.size = widgets.BoundedIntText(
            value=size, min=1, max=10000, description="Cases to draw", style=style
        )
        self.per_inspector = widgets.BoundedIntText(
            value=per_inspector,
            min=0,
            max=10000,
            description="At least this many of each inspector's",
            style=style,
        )
        self.draw_button = widgets.Button(description="Draw a dip sample", layout=wide)
        self.draw_button.on_click(lambda _: self.draw())
        self.case_choice = widgets.Dropdown(description="Case", style=style)
        self.case_choice.observe(self._on_case, names="value")
        self.question_choice = widgets.Dropdown(description="About", style=style)
        self.query_text = widgets.Textarea(
            description="Query",
            placeholder="What should the inspector look at?",
            style=style,
            layout=widgets.Layout(width="38em", max_width="100%"),
        )
        self.open_button = widgets.Button(description="Open the query", layout=wide)
        self.open_button.on_click(lambda _: self.open_query())
        self.assure_button = widgets.Button(
            description="Mark the case quality assured",
            tooltip="The case must be complete and have no open query",
            layout=wide,
        )
        self.assure_button.on_click(lambda _: self.quality_assure())
        self.query_choice = widgets.Dropdown(description="Query to resolve", style=style)
        self.resolution = widgets.Text(
            description="Resolution", placeholder="Optional", style=style, layout=wide
        )
        self.resolve_button = widgets.Button(description="Resolve the query", layout=wide)
        self.resolve_button.on_click(lambda _: self.resolve())

        def group(key: str, heading: str, hint: str, *rows) -> widgets.VBox:
            head = widgets.HTML(
                render("inspect/console/controls.html.j2", id=key, heading=heading, hint=hint)
            )
            box = widgets.VBox([head, *[widgets.HBox(list(r)) for r in rows]])
            box.add_class("wb-console__controls")
            return box

        self.draw_controls = group(
            "wb-qa-draw",
            "Draw a dip sample",
            "From the complete cases not drawn before; the same seed draws the same cases.",
            (self.seed, self.size, self.per_inspector, self.draw_button),
        )
        self.query_controls = group(
            "wb-qa-query",
            "Query a case or one of its judgements",
            "",
            (self.case_choice, self.question_choice),
            (self.query_text, self.open_button),
            (self.assure_button,),
        )
        self.resolve_controls = group(
            "wb-qa-resolve",
            "Resolve a query",
            "",
            (self.query_choice, self.resolution, self.resolve_button),
        )

    @property
    def controls(self) -> tuple:
        """Every control of the panel (disabled for someone who may not review)."""
        return (
            self.seed,
            self.size,
            self.per_inspector,
            self.draw_button,
            self.case_choice,
            self.question_choice,
            self.query_text,
            self.open_button,
            self.assure_button,
            self.query_choice,
            self.resolution,
            self.resolve_button,
        )

    # -- reading ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the dip sample and the queries from the store and draw them again."""
        try:
            self._read()
        except WorkbookError as exc:
            self.feedback.show_problems(exc, "The quality assurance work cannot be read.")
        self.updates += 1

    def _read(self) -> None:
        store, name = self.store, self.inspection
        self.roles = {m.person: m.role for m in store.team(name)}
        self.role = self.roles.get(self.person, "")
        self.reviewing = self.role in REVIEWING
        self.work = store.case_work(name)
        cases = store.cases(name)
        self._samples = {
            str(c): str(s or "") for c, s in zip(cases["case_id"], cases["sample"], strict=True)
        }
        self.dip = [str(c) for c in store.dip_sample(name)]
        queries = store.queries(name)
        tables = [
            sample_table(self.dip, cases, self.work, self.roles, self.framework.samples),
            queries_table(queries, self.work, self.roles, now()),
        ]
        self.tables = {t["key"]: t for t in tables}
        with self.hold_sync():
            self.heading.value = render(
                TEMPLATES + "heading.html.j2",
                inspection=name,
                person=self.person or "nobody",
                role=label(self.role) or "not a member",
                reviewing=self.reviewing,
                drawn=len(self.dip),
            )
            self.sample.value = render(
                SECTION, id="wb-qa-sample", heading="Dip sample", intro="", tables=tables[:1]
            )
            self.queries.value = render(
                SECTION, id="wb-qa-queries", heading="Queries", intro="", tables=tables[1:]
            )
            self._refresh_choices(queries)

    def _refresh_choices(self, queries) -> None:
        drawn = set(self.dip)
        options = [(f"{c} (dip sample, {label(self.work[c].status)})", c) for c in self.dip]
        options += [(f"{c} ({label(w.status)})", c) for c, w in self.work.items() if c not in drawn]
        _set(self.case_choice, options)
        self._on_case()
        _set(
            self.query_choice,
            [
                (f"Query {q.id}: case {q.case_id} {q.question or 'whole case'} ({q.state})", q.id)
                for q in queries
                if q.state != "resolved"
            ],
        )
        for control in self.controls:
            control.disabled = not self.reviewing

    def _on_case(self, change=None) -> None:
        case_id = self.case_choice.value
        questions = [("the whole case", WHOLE_CASE)]
        sample = self._samples.get(case_id or "", "")
        for std in self.framework.standards_for_sample(sample) if sample else ():
            questions += [(f"{kq.id} {kq.text}", kq.id) for kq in std.key_questions]
        _set(self.question_choice, questions)

    def rows(self, key: str) -> list[list[str]]:
        """The cells of one table's rows (``"dip-sample"`` or ``"qa-queries"``)."""
        return [r["cells"] for r in self.tables.get(key, {}).get("rows", [])]

    def apply_changes(self, entries) -> bool:
        """Take in history entries (a live follower's): any change reads the panel again."""
        if not list(entries):
            return False
        self.reload()
        return True

    # -- actions ------------------------------------------------------------------------------------

    def _act(self, work, done) -> bool:
        try:
            result = work()
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return False
        self.reload()
        self.feedback.show_status(done(result) if callable(done) else done)
        return True

    def draw(self) -> bool:
        """Draw a dip sample with the seed, size and minimum per inspector given."""

        def words(drawn: list[str]) -> str:
            if not drawn:
                return "No case drawn: no complete case is waiting for quality assurance."
            return f"Drew {len(drawn)} case{'s' if len(drawn) != 1 else ''}: {', '.join(drawn)}."

        seed, size, per = self.seed.value, self.size.value, self.per_inspector.value
        return self._act(
            lambda: self.store.draw_dip_sample(
                self.inspection, self.person, seed, size=size, per_inspector=per
            ),
            words,
        )

    def open_query(self) -> bool:
        """Open a query on the chosen case, or on its chosen key question."""
        case_id, question = self.case_choice.value, self.question_choice.value or None
        text = self.query_text.value
        done = self._act(
            lambda: self.store.open_query(
                self.inspection, case_id, self.person, text, question=question
            ),
            lambda q: (
                f"Query {q.id} opened on case {q.case_id}"
                + (f", {q.question}." if q.question else ".")
            ),
        )
        if done:
            self.query_text.value = ""
        return done

    def resolve(self) -> bool:
        """Resolve the chosen query (with the resolution written, if any)."""
        query_id, text = self.query_choice.value, self.resolution.value
        if query_id is None:
            self.feedback.show_problems("There is no query to resolve.")
            return False
        done = self._act(
            lambda: self.store.resolve_query(self.inspection, query_id, self.person, text),
            lambda q: f"Query {q.id} on case {q.case_id} resolved.",
        )
        if done:
            self.resolution.value = ""
        return done

    def quality_assure(self) -> bool:
        """Mark the chosen case quality assured."""
        case_id = self.case_choice.value
        return self._act(
            lambda: self.store.quality_assure(self.inspection, case_id, self.person),
            f"Case {case_id} is quality assured.",
        )


def _set(control: widgets.Dropdown, options: list) -> None:
    """New options for a drop-down, keeping its value while it is still offered."""
    values = [v for _, v in options]
    keep = control.value if control.value in values else None
    control.options = options
    control.value = keep if keep is not None else (values[0] if values else None)
