"""DiscretionDemo: record a professional-discretion decision and see the summary table
footnote it. Nothing is saved: the decisions live in the component."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import traitlets

from workbook.framework import Framework
from workbook.judgements import Decision
from workbook.ratings import Ratings, with_decisions
from workbook.render import Markup

from .part import MethodPart

MARKER = "*"


class DiscretionDemo(MethodPart):
    """A what-if over ``ratings``: pick a standard, a rating and a reason, press Record, and the
    summary table shows the new rating with a footnote marker and the reason. The discretion
    decisions already in ``ratings`` are shown first; judged (domain-one) ratings are kept."""

    decisions = traitlets.List(
        help="The discretion decisions recorded here (workbook.judgements.Decision), one per standard."
    )
    summary_frame = traitlets.Instance(
        pd.DataFrame,
        allow_none=True,
        help="The summary table as shown: standard, name, lowest band, rating, note.",
    )

    def __init__(
        self, framework: Framework, ratings: Ratings, source: str = "example figures", **kwargs
    ):
        self.framework = framework
        self.base = ratings
        self.source = source
        case_standards = [s for s in framework.standards if s.rated_from == "cases"]
        self.standard_picker = widgets.Dropdown(
            options=[(f"{s.id} {s.name}", s.id) for s in case_standards],
            description="Standard",
            style={"description_width": "initial"},
        )
        self.rating_picker = widgets.Dropdown(
            options=list(framework.ratings),
            description="Rating",
            style={"description_width": "initial"},
        )
        self.reason = widgets.Textarea(
            placeholder="Why the inspectors set this rating (the footnote quotes it)",
            description="Reason",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="520px", height="4em"),
        )
        self.record = widgets.Button(
            description="Record the decision",
            button_style="primary",
            layout=widgets.Layout(width="auto"),
        )
        self.clear = widgets.Button(
            description="Clear all decisions", layout=widgets.Layout(width="auto")
        )
        self.summary = widgets.HTML()
        case_ids = {s.id for s in case_standards}
        self._judged = [d for d in ratings.decisions if d.standard not in case_ids]
        super().__init__(**kwargs)
        self.children = [
            widgets.HBox([self.standard_picker, self.rating_picker]),
            self.reason,
            widgets.HBox([self.record, self.clear]),
            self.feedback,
            self.summary,
        ]
        self.record.on_click(
            self.guarded(
                lambda _: self.record_decision(
                    self.standard_picker.value, self.rating_picker.value, self.reason.value
                )
            )
        )
        self.clear.on_click(self.guarded(lambda _: self._set([])))
        self.decisions = [d for d in ratings.decisions if d.standard in case_ids]
        with self.showing_problems():
            self._show()

    def record_decision(self, standard: str, rating: str, reason: str) -> None:
        """Record (or replace) the decision for ``standard``; the reason is required."""
        problems = []
        if (
            standard not in self.base.standards
            or self.base.standards[standard].rated_from != "cases"
        ):
            problems.append(f"'{standard}' is not a case-rated standard of {self.framework.id}")
        if rating not in self.framework.ratings:
            problems.append(
                f"'{rating}' is not a rating; allowed: {', '.join(self.framework.ratings)}"
            )
        if not (reason or "").strip():
            problems.append(
                "the reason is empty: a discretion decision needs a sentence the report's footnote can quote"
            )
        if problems:
            raise ValueError("; ".join(problems))
        kept = [d for d in self.decisions if d.standard != standard]
        self._set(kept + [Decision(standard, rating, reason.strip(), by="trainer")])
        self.reason.value = ""

    def _set(self, decisions: list[Decision]) -> None:
        self.decisions = decisions

    @traitlets.observe("decisions")
    def _on_decisions(self, change) -> None:
        with self.showing_problems():
            self._show()

    def _show(self) -> None:
        rated = with_decisions(self.framework, self.base, [*self._judged, *self.decisions])
        rows, notes = [], []
        for s in rated.standards.values():
            if s.rated_from != "cases":
                continue
            shown = s.rating or "not rated"
            note = ""
            if s.discretion:
                notes.append(s.discretion)
                mark = MARKER * len(notes)
                shown = f"{shown} {mark}"
                note = f"{mark} professional discretion: {s.discretion.reason}"
            rows.append(
                {
                    "Standard": s.id,
                    "Name": s.name,
                    "Lowest key-question band": s.lowest_kq_band or "not rated",
                    "Rating": shown,
                    "Note": note,
                }
            )
        frame = pd.DataFrame(
            rows, columns=["Standard", "Name", "Lowest key-question band", "Rating", "Note"]
        )
        self.summary_frame = frame
        footnotes = [
            (
                MARKER * (i + 1),
                d.standard,
                d.rating,
                rated.standards[d.standard].lowest_kq_band or "none",
                d.reason,
            )
            for i, d in enumerate(notes)
        ]
        table = self.table_html(frame.drop(columns="Note"), f"Summary of ratings ({self.source})")
        self.summary.value = self.fragment(
            "discretion_summary", table=Markup(table), notes=footnotes
        )
