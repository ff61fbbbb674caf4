"""The trainers' page: the rating method made visible, with what-ifs and the uncertainty a
sample carries. ``notebooks/methodology.ipynb`` calls :func:`open_methodology`.

With ``demo=True`` the demo inspection's figures are read, read-only, from the data folder
(``WORKBOOK_DATA``, default ``data/`` in the repository): ``demo/judgements.csv``,
``demo/cases.csv``, ``demo/decisions.csv`` (and ``demo/population.csv`` for its size when
present). Without them, or with ``demo=False``, every part works on example figures: pure
what-ifs, no store. Nothing on the page writes anywhere, so ``WORKBOOK_MODE=dashboard``
changes nothing but the page's note; the page shows figures only, never a case.

The charts are drawn in the kernel as SVG (no chart library runs in the page), each an image
for screen readers named by what it shows, with a table beside it; the sliders are named
range inputs (:class:`workbook.ui.method.slider.NamedSlider`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pandas as pd

from workbook.config import load_settings
from workbook.errors import WorkbookError
from workbook.files import load_framework, read_case_attributes, read_decisions, read_judgements
from workbook.framework import Framework
from workbook.ratings import Ratings, Tally, rate, rate_tally
from workbook.render import render
from workbook.ui.method.bands import BandExplorer
from workbook.ui.method.change import ChangeFinder
from workbook.ui.method.discretion import DiscretionDemo
from workbook.ui.method.overall import OverallCalculator
from workbook.ui.method.samples import SampleSizeExplorer
from workbook.ui.method.uncertainty import UncertaintyChart

DEMO_FRAMEWORK = "hmip-2018-crc"
OTHER_FRAMEWORKS = ("hmip-2018-nps",)
EXAMPLE_FIGURES = ((45, 60), (40, 60), (33, 60), (52, 60), (29, 60), (39, 60), (50, 60))
PARTS = {
    "bands": "Key-question bands and the lowest-band rule",
    "discretion": "Professional discretion",
    "overall": "The overall rating",
    "samples": "Sample size and margins of error",
    "uncertainty": "How sure is a band?",
    "change": "What would change the rating",
}


@dataclass(frozen=True)
class MethodologyFigures:
    """The figures the page works on: the demo inspection's, or examples."""

    framework: Framework
    ratings: Ratings
    source: str  # "the demo inspection" or "example figures"
    demo: bool
    population: int | None = None
    smallest_ldu: int | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def figures(self) -> dict[str, tuple[int, int]]:
        return {k: (r.yes, r.n) for k, r in self.ratings.key_questions.items() if r.n > 0}


def example_ratings(framework: Framework) -> Ratings:
    """Ratings of fixed example figures (Yes of 60 per key question), for pure what-ifs."""
    kq_ids = tuple(q.id for q in framework.rated_key_questions)
    counts = np.zeros((len(kq_ids), 3), dtype=np.int64)
    for i, _ in enumerate(kq_ids):
        yes, n = EXAMPLE_FIGURES[i % len(EXAMPLE_FIGURES)]
        counts[i] = (yes, n - yes, 0)
    return rate_tally(framework, Tally(kq_ids, counts))


def read_demo(folder: Path, framework: Framework) -> MethodologyFigures:
    """Read the demo inspection's files from ``folder`` and rate them (WorkbookError if bad)."""
    judgements = read_judgements(folder / "judgements.csv", framework)
    cases = read_case_attributes(folder / "cases.csv")
    decisions = (
        read_decisions(folder / "decisions.csv", framework)
        if (folder / "decisions.csv").exists()
        else []
    )
    by = ("ldu",) if "ldu" in cases.columns else ()
    ratings = rate(framework, judgements, decisions, cases=cases, by=by)
    population = None
    if (folder / "population.csv").exists():
        population = len(read_case_attributes(folder / "population.csv")) or None
    smallest = None
    if "ldu" in cases.columns:
        # the LDU sub-samples of the case-supervision sample (the one every LDU shares)
        supervised = cases
        if "sample" in cases.columns:
            canon = cases["sample"].astype(str).str.strip().str.lower().str.replace(" ", "_")
            if (canon == "case_supervision").any():
                supervised = cases[canon == "case_supervision"]
        sizes = supervised["ldu"].astype(str).value_counts()
        smallest = int(sizes.min()) if len(sizes) else None
    return MethodologyFigures(framework, ratings, "the demo inspection", True, population, smallest)


@functools.lru_cache(maxsize=4)
def _figures(data_dir: str, demo: bool, frameworks: str | None = None) -> MethodologyFigures:
    framework = load_framework(DEMO_FRAMEWORK, extra=frameworks)
    if not demo:
        return MethodologyFigures(framework, example_ratings(framework), "example figures", False)
    folder = Path(data_dir) / "demo"
    if not (folder / "judgements.csv").exists():
        note = f"The demo inspection is not in the data folder ({folder.name}/judgements.csv is missing): the page shows example figures."
        return MethodologyFigures(
            framework, example_ratings(framework), "example figures", False, problems=(note,)
        )
    try:
        return read_demo(folder, framework)
    except WorkbookError as error:
        lines = tuple(str(p) for p in error.problems)
        return MethodologyFigures(
            framework, example_ratings(framework), "example figures", False, problems=lines
        )


def load_figures(demo: bool = True) -> MethodologyFigures:
    """The figures for the page: the demo inspection's (read once per kernel) or examples."""
    settings = load_settings()
    return _figures(str(settings.data_dir), demo, _folder(settings.frameworks_dir))


def _folder(path) -> str | None:
    return None if path is None else str(path)


def build_part(
    part: str, figures: MethodologyFigures, frameworks: Path | str | None = None
) -> widgets.Widget:
    """One component of the page, on ``figures``; ``frameworks`` is the extra framework folder
    the overall calculator's other frameworks are looked up in."""
    fw = figures.framework
    demo_figures = figures.figures if figures.demo else None
    if part == "bands":
        return BandExplorer(fw, demo_figures)
    if part == "discretion":
        return DiscretionDemo(fw, figures.ratings, source=figures.source)
    if part == "overall":
        others = []
        for other in OTHER_FRAMEWORKS:
            try:
                others.append(load_framework(other, extra=frameworks))
            except WorkbookError:
                continue
        return OverallCalculator([fw, *others])
    if part == "samples":
        return SampleSizeExplorer(
            population=figures.population or 240, subsample=figures.smallest_ldu or 30
        )
    if part == "uncertainty":
        return UncertaintyChart(fw, figures.figures, source=figures.source)
    if part == "change":
        return ChangeFinder(fw, figures.ratings, source=figures.source)
    raise ValueError(f"'{part}' is not a part of the page; allowed: {', '.join(PARTS)}")


def _notes(figures: MethodologyFigures, dashboard: bool) -> widgets.HTML:
    lines = [f"Figures: {figures.source} ({figures.framework.id}). Nothing on this page is saved."]
    if dashboard:
        lines.append("Read-only dashboard mode: figures only.")
    lines += list(figures.problems)
    return widgets.HTML(
        render("method/notes.html.j2", lines=lines, problems=bool(figures.problems))
    )


def open_methodology(demo: bool = True, part: str | None = None) -> widgets.Widget:
    """The trainers' page, or one ``part`` of it (one of ``PARTS``, or "about": where the
    figures come from).

    A problem (a bad setting, a malformed demo file) is shown on the page, never raised."""
    try:
        settings = load_settings()
        frameworks = _folder(settings.frameworks_dir)
        figures = _figures(str(settings.data_dir), demo, frameworks)
        if part == "about":
            return _notes(figures, settings.dashboard)
        if part is not None:
            if part not in PARTS:
                raise ValueError(f"'{part}' is not a part of the page; allowed: {', '.join(PARTS)}")
            return widgets.VBox([build_part(part, figures, frameworks)])
        children: list[widgets.Widget] = [_notes(figures, settings.dashboard)]
        for name, heading in PARTS.items():
            children += [
                widgets.HTML(render("method/heading.html.j2", heading=heading)),
                build_part(name, figures, frameworks),
            ]
        return widgets.VBox(children)
    except (WorkbookError, ValueError) as error:
        lines = [str(p) for p in getattr(error, "problems", ())] or [str(error)]
        return widgets.HTML(render("method/problem.html.j2", title="Problem:", lines=lines))


def figures_table(figures: MethodologyFigures) -> pd.DataFrame:
    """Key question, Yes, n, % and band of ``figures`` (for a page's table or a test)."""
    return pd.DataFrame(
        [(r.id, r.yes, r.n, r.pct_rounded, r.band) for r in figures.ratings.key_questions.values()],
        columns=["question", "yes", "n", "pct", "band"],
    )
