"""ChangeFinder: what would change the rating. For each case-rated standard, the smallest
change in answers that would move its lowest-band rating one band up or down."""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import traitlets

from workbook.framework import Framework
from workbook.ratings import Ratings, StandardChange, standard_change

from .part import MethodPart


class ChangeFinder(MethodPart):
    """A table of :func:`workbook.ratings.standard_change` for every case-rated standard;
    ``standard_picker`` spells one out in a sentence."""

    changes = traitlets.Dict(help="Standard id -> workbook.ratings.StandardChange.")
    sentence = traitlets.Unicode("", help="The chosen standard's change, in words.")

    def __init__(
        self, framework: Framework, ratings: Ratings, source: str = "example figures", **kwargs
    ):
        self.framework = framework
        self.source = source
        case_standards = [s for s in framework.standards if s.rated_from == "cases"]
        self.standard_picker = widgets.Dropdown(
            options=[(f"{s.id} {s.name}", s.id) for s in case_standards],
            description="Standard",
            style={"description_width": "initial"},
        )
        self.sentence_view = widgets.HTML()
        self.table = widgets.HTML()
        super().__init__(**kwargs)
        self.children = [self.table, self.standard_picker, self.sentence_view, self.feedback]
        self.standard_picker.observe(self.guarded(lambda _: self._describe()), "value")
        with self.showing_problems():
            self.show_ratings(ratings)

    def show_ratings(self, ratings: Ratings) -> None:
        """Work out every case-rated standard's smallest change for ``ratings``."""
        self.ratings = ratings
        changes: dict[str, StandardChange] = {}
        for s in self.framework.standards:
            if s.rated_from == "cases":
                changes[s.id] = standard_change(self.framework, ratings, s.id)
        self.changes = changes
        rows = []
        for sid, c in changes.items():
            r = ratings.standards[sid]
            rows.append(
                {
                    "Standard": sid,
                    "Lowest key-question band": r.lowest_kq_band or "not rated",
                    "Up to": c.lift_to or "(top band)",
                    "No changed to Yes": "" if c.changes_to_lift is None else c.changes_to_lift,
                    "Where (lift)": ", ".join(f"{n} on {q}" for q, n in c.lift_detail),
                    "Down to": c.drop_to or "(lowest band)",
                    "Yes changed to No": "" if c.changes_to_drop is None else c.changes_to_drop,
                    "Where (drop)": ", ".join(f"{n} on {q}" for q, n in c.drop_detail),
                }
            )
        self.table.value = self.table_html(
            pd.DataFrame(rows),
            f"Smallest change in answers that moves each standard a band ({self.source})",
        )
        self._describe()

    def _describe(self) -> None:
        change = self.changes.get(self.standard_picker.value)
        self.sentence = change.describe() if change else ""
        self.sentence_view.value = self.fragment("sentence", sentence=self.sentence)
