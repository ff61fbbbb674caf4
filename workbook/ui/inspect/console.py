"""LeadConsole: the lead inspector's page of the inspectors' workbook (the *Team* tab).

What it shows, each as a table with a caption (flags in words, never in colour alone):

- progress by inspector, LDU, sample and standard: cases, allocated, in progress (answers saved,
  not signed off), complete, quality assured, locked, and the key questions answered;
- the queries not yet resolved (case id, key question, text, state, who opened it, whose case
  it is, how old it is), and the open, answered and resolved queries counted per inspector and
  standard;
- the cases flagged "probe further", with the note;
- each inspector's share of Yes per key question against the rest of the team, with its 95%
  interval, flagged where the interval lies wholly outside
  (:func:`workbook.rater_spread.rater_spread`; an answer counts for the case's allocated
  person); local assessors are marked "(local assessor)";
- the second-rating agreement (:func:`workbook.agreement.agreement` over the store's rating
  pairs): per key question and overall, percent, Cohen's kappa and Gwet's AC1 with their 95%
  intervals, and the disagreements (adjudicated ones with their final answer).

The lead inspector also gets the controls: allocate the unallocated cases evenly (a seed),
allocate one case to a member (or reallocate it), assign a second rater, and adjudicate a
disagreement (the final answer and a reason). The store enforces every rule: a refusal is
shown in the console's feedback area, never raised. Others (the quality lead) see the tables
only. :meth:`LeadConsole.apply_changes` takes a live follower's history entries and reads the
console again. The tables themselves are built in :mod:`workbook.ui.inspect.console_tables`.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ...agreement import agreement
from ...errors import WorkbookError
from ...render import render
from ...store.team import ANSWERING, LEADING, label
from ...store.values import now
from ..feedback import Feedback
from .console_tables import (
    ANSWER_WORDS,
    adjudicated_finals,
    age_words,
    agreement_tables,
    person_words,
    probe_table,
    progress_tables,
    query_count_table,
    query_table,
    spread_tables,
)

TEMPLATES = "inspect/console/"


# -- the widget ------------------------------------------------------------------------------------


def _section(key: str, heading: str, tables: list[dict], intro: str = "") -> str:
    return render(
        TEMPLATES + "section.html.j2",
        id=f"wb-console-{key}",
        heading=heading,
        intro=intro,
        tables=tables,
    )


def _options(values, current):
    """Keep a drop-down's value when it is still offered."""
    return current if current in [v for _, v in values] else None


class LeadConsole(widgets.VBox):
    """The lead inspector's console (see the module's notes)."""

    person = traitlets.Unicode("", help="Who is looking: the page's inspector.")
    role = traitlets.Unicode("", help="Their role in the team ('' when not a member).")
    lead = traitlets.Bool(False, help="True for a lead inspector: the controls are offered.")
    updates = traitlets.Int(0, help="How many times the console was read from the store.")

    def __init__(self, store, inspection: str, framework=None, person: str = "", **kwargs):
        self.store = store
        self.inspection = inspection
        self.framework = framework or store.framework(inspection)
        self.tables: dict[str, dict] = {}
        self.work: dict = {}
        self.roles: dict[str, str] = {}
        self.heading = widgets.HTML()
        self.feedback = Feedback()
        self.progress = widgets.HTML()
        self.queries = widgets.HTML()
        self.probes = widgets.HTML()
        self.spread = widgets.HTML()
        self.agreement = widgets.HTML()
        self._build_controls()
        super().__init__(person=person, **kwargs)
        self.add_class("wb-console")
        self.reload()

    # -- controls ---------------------------------------------------------------------------------

    def _build_controls(self) -> None:
        wide = widgets.Layout(width="auto")
        style = {"description_width": "initial"}
        self.seed = widgets.IntText(value=1, description="Seed", style=style)
        self.allocate_evenly_button = widgets.Button(
            description="Allocate the unallocated cases evenly",
            tooltip="Spread every unallocated case evenly within each sample and LDU (seeded)",
            layout=wide,
        )
        self.allocate_evenly_button.on_click(lambda _: self.allocate_evenly())
        self.case_choice = widgets.Dropdown(description="Case", style=style)
        self.person_choice = widgets.Dropdown(description="Allocate to", style=style)
        self.allocate_button = widgets.Button(description="Allocate this case", layout=wide)
        self.allocate_button.on_click(lambda _: self.allocate())
        self.second_case = widgets.Dropdown(description="Case for a second rating", style=style)
        self.second_choice = widgets.Dropdown(description="Second rater", style=style)
        self.second_button = widgets.Button(description="Assign the second rater", layout=wide)
        self.second_button.on_click(lambda _: self.assign_second_rater())
        self.disagreement_choice = widgets.Dropdown(description="Disagreement", style=style)
        self.disagreement_choice.observe(self._on_disagreement, names="value")
        self.final_choice = widgets.Dropdown(description="Final answer", style=style)
        self.adjudicate_reason = widgets.Text(
            description="Reason", placeholder="Why this answer", style=style, layout=wide
        )
        self.adjudicate_button = widgets.Button(description="Adjudicate", layout=wide)
        self.adjudicate_button.on_click(lambda _: self.adjudicate())

        def group(key, heading, hint, *rows):
            head = widgets.HTML(
                render(TEMPLATES + "controls.html.j2", id=key, heading=heading, hint=hint)
            )
            box = widgets.VBox([head, *[widgets.HBox(list(r)) for r in rows]])
            box.add_class("wb-console__controls")
            return box

        self.allocation_controls = group(
            "wb-console-allocate",
            "Allocate cases",
            "The same seed, cases and team give the same allocation. A reallocation is "
            "recorded in the history.",
            (self.seed, self.allocate_evenly_button),
            (self.case_choice, self.person_choice, self.allocate_button),
            (self.second_case, self.second_choice, self.second_button),
        )
        self.adjudication_controls = group(
            "wb-console-adjudicate",
            "Adjudicate a disagreement",
            "The final answer enters the ratings; both original answers and your reason are kept.",
            (self.disagreement_choice, self.final_choice),
            (self.adjudicate_reason, self.adjudicate_button),
        )

    def _lay_out(self) -> None:
        parts = [self.heading, self.feedback, self.progress]
        if self.lead:
            parts.append(self.allocation_controls)
        parts += [self.queries, self.probes, self.spread, self.agreement]
        if self.lead:
            parts.append(self.adjudication_controls)
        self.children = parts

    def _set_options(self, control: widgets.Dropdown, options: list) -> None:
        keep = _options(options, control.value)
        control.options = options
        control.value = keep if keep is not None else (options[0][1] if options else None)

    def _refresh_controls(self, cases: list[str], disagreements) -> None:
        answering = [p for p, r in self.roles.items() if r in ANSWERING]
        case_options = [
            (f"{c} ({person_words(self.work[c].allocated_to, self.roles)})", c) for c in cases
        ]
        self._set_options(self.case_choice, case_options)
        self._set_options(
            self.person_choice,
            [(person_words(p, self.roles), p) for p in answering] + [("nobody", "")],
        )
        self._set_options(self.second_case, case_options)
        seconds = [(person_words(p, self.roles), p) for p in answering] + [("nobody", "")]
        self._set_options(self.second_choice, seconds)
        self._set_options(
            self.disagreement_choice,
            [
                (
                    f"{d.case_id} {d.question}: {d.first_rater} "
                    f"{ANSWER_WORDS.get(d.first, d.first)}, {d.second_rater} "
                    f"{ANSWER_WORDS.get(d.second, d.second)}",
                    (d.case_id, d.question),
                )
                for d in disagreements
            ],
        )
        self._on_disagreement()
        for control in self._controls:
            control.disabled = not self.lead

    @property
    def _controls(self) -> tuple:
        """Every control of the lead's (disabled for anyone else)."""
        rows = self.allocation_controls.children[1:] + self.adjudication_controls.children[1:]
        return tuple(c for row in rows for c in row.children)

    def _on_disagreement(self, change=None) -> None:
        picked = self.disagreement_choice.value
        if not picked:
            self.final_choice.options = []
            return
        kq = self.framework.key_question(picked[1])
        self._set_options(
            self.final_choice, [(ANSWER_WORDS.get(a, a), a) for a in kq.allowed_answers]
        )

    # -- reading ----------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the team's work from the store and draw every table again."""
        try:
            self._read()
        except WorkbookError as exc:  # the page shows it; never raised
            self.feedback.show_problems(exc, "The team's work cannot be read.")
        self.updates += 1

    def _read(self) -> None:
        store, name, fw = self.store, self.inspection, self.framework
        members = store.team(name)
        self.roles = {m.person: m.role for m in members}
        self.role = self.roles.get(self.person, "")
        self.lead = self.role in LEADING
        self.work = store.case_work(name)
        cases = store.cases(name)
        allowed = {q.id: q.allowed_answers for q in fw.rated_key_questions}
        result = agreement(store.rating_pairs(name), allowed)
        finals = adjudicated_finals(store.adjudications(name))
        progress = progress_tables(fw, cases, self.work, self.roles)
        queries = [query_table(store.queries(name), self.work, self.roles, now())]
        queries.append(query_count_table(store.query_counts(name), fw, self.roles))
        probes = [probe_table(self.work, self.roles)]
        spread = spread_tables(store.judgements(name), self.work, self.roles)
        agree = agreement_tables(result, finals)
        self.tables = {t["key"]: t for t in progress + queries + probes + spread + agree}
        with self.hold_sync():
            self.heading.value = render(
                TEMPLATES + "heading.html.j2",
                inspection=name,
                person=self.person or "nobody",
                role=label(self.role) or "not a member",
                lead=self.lead,
            )
            self.progress.value = _section("progress", "Progress", progress)
            self.queries.value = _section("queries", "Queries", queries)
            self.probes.value = _section("probes", "Probe further", probes)
            self.spread.value = _section(
                "spread",
                "How each inspector rates",
                spread,
                "A flag is a prompt to look at the cases, not a finding: cases differ, and "
                "with many key questions some intervals miss by chance.",
            )
            self.agreement.value = _section(
                "agreement",
                "Second ratings",
                agree,
                "Kappa is not defined where both raters put every case in the same category "
                "(the agreement expected by chance is then 1); AC1 still is. With one pair "
                "there is no interval.",
            )
            self._refresh_controls(list(self.work), result.overall.disagreements)
            self._lay_out()

    def rows(self, key: str) -> list[list[str]]:
        """The cells of one table's rows (such as ``"progress-inspector"``), for reading."""
        return [r["cells"] for r in self.tables.get(key, {}).get("rows", [])]

    def apply_changes(self, entries) -> bool:
        """Take in history entries (a live follower's): any change reads the console again.
        Returns whether it did."""
        if not list(entries):
            return False
        self.reload()
        return True

    # -- the lead's actions ----------------------------------------------------------------------

    def _act(self, work, done: str | None = None) -> bool:
        """Run a store action; show the refusal or ``done(result)``; read again."""
        try:
            result = work()
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return False
        self.reload()
        self.feedback.show_status(done(result) if callable(done) else done)
        return True

    def allocate_evenly(self) -> bool:
        """Allocate every unallocated case evenly (seeded): the store's ``allocate_evenly``."""

        def words(result: dict) -> str:
            n = sum(len(v) for v in result.values())
            each = ", ".join(f"{p} {len(v)}" for p, v in result.items() if v)
            return f"Allocated {n} case{'s' if n != 1 else ''}" + (f": {each}." if each else ".")

        seed = self.seed.value
        return self._act(
            lambda: self.store.allocate_evenly(self.inspection, self.person, seed), words
        )

    def allocate(self) -> bool:
        """Allocate the chosen case to the chosen person (nobody: take it back)."""
        case_id, person = self.case_choice.value, self.person_choice.value or None
        return self._act(
            lambda: self.store.allocate(self.inspection, case_id, person, self.person),
            f"Case {case_id} allocated to {person}." if person else f"Case {case_id} unallocated.",
        )

    def assign_second_rater(self) -> bool:
        """Give the chosen case the chosen second rater (nobody: take it back)."""
        case_id, person = self.second_case.value, self.second_choice.value or None
        return self._act(
            lambda: self.store.set_second_rater(self.inspection, case_id, person, self.person),
            f"Case {case_id}: second rater {person or 'nobody'}.",
        )

    def adjudicate(self) -> bool:
        """Adjudicate the chosen disagreement with the chosen final answer and the reason."""
        picked = self.disagreement_choice.value
        if not picked:
            self.feedback.show_problems("Choose a disagreement to adjudicate.")
            return False
        case_id, question = picked
        answer, reason = self.final_choice.value, self.adjudicate_reason.value
        done = self._act(
            lambda: self.store.adjudicate(
                self.inspection, case_id, question, answer, reason, self.person
            ),
            f"Case {case_id} {question}: final answer {ANSWER_WORDS.get(answer, answer)}.",
        )
        if done:
            self.adjudicate_reason.value = ""
        return done


__all__ = ["LeadConsole", "age_words", "person_words"]
