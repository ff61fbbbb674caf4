"""The common frame of the methodology notebook's components: a heading-less box with a
``feedback`` area (:class:`~workbook.ui.feedback.Feedback`) where problems are shown instead of
raised (Voilà hides tracebacks). HTML comes from ``render/templates/method/``.

Charts are drawn in the kernel, to SVG (:func:`workbook.charts.chart_svg`, the one render path
the dashboard uses too), and shown by a :class:`ChartView` in the same step that writes the
figures in words: no script draws them later in the browser, so a chart can never show other
figures than the sentence beside it (altair's ``JupyterChart`` re-embedded each new
specification asynchronously in the page, after the text had changed). Each chart is an image
for screen readers (``role="img"``) named by a sentence saying what it shows, with a table
beside it."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from workbook.charts import chart_svg
from workbook.errors import WorkbookError
from workbook.render import Markup, render

from ..feedback import Feedback

TEMPLATES = "method/"
PROBLEM_TITLE = "Problem:"


class ChartView(widgets.HTML):
    """A chart drawn as SVG in the kernel; ``chart`` is the Altair chart shown and ``label``
    the sentence that names it for screen readers."""

    label = traitlets.Unicode("", help="What the chart shows, in words (its accessible name).")

    def __init__(self, **kwargs):
        self.chart: alt.TopLevelMixin | None = None
        super().__init__(**kwargs)
        self.add_class("wb-method-chart-view")

    def draw(self, chart: alt.TopLevelMixin, label: str) -> None:
        """Show ``chart`` (rendered here, offline) named by ``label``."""
        svg = Markup(chart_svg(chart))
        self.chart = chart
        with self.hold_sync():
            self.label = label
            self.value = render(TEMPLATES + "chart.html.j2", svg=svg, label=label)


class MethodPart(widgets.VBox):
    """A VBox with a ``feedback`` HTML area; subclasses run their work inside ``showing_problems``."""

    def __init__(self, **kwargs):
        self.feedback = Feedback(layout=widgets.Layout(min_height="1.5em"))
        self.feedback.add_class("workbook-feedback")
        super().__init__(**kwargs)
        self.add_class("wb-method")  # the trainers' part of the stylesheet (css/trainer.css.j2)

    # -- problems ---------------------------------------------------------------------------

    def show_problem(self, error: Exception) -> None:
        """Show ``error`` in the feedback area, under "Problem:" (the one error box)."""
        shown = error if isinstance(error, WorkbookError) else str(error)
        self.feedback.show_problems(shown, PROBLEM_TITLE)

    def clear_problem(self) -> None:
        """Show nothing in the feedback area."""
        self.feedback.clear()

    @contextmanager
    def showing_problems(self):
        """Run a block; a WorkbookError or ValueError is shown in ``feedback``, not raised."""
        try:
            yield
        except (WorkbookError, ValueError) as error:
            self.show_problem(error)
        else:
            self.clear_problem()

    def guarded(self, handler: Callable) -> Callable:
        def run(*args, **kwargs):
            with self.showing_problems():
                handler(*args, **kwargs)

        return run

    # -- tables and charts -----------------------------------------------------------------------

    @staticmethod
    def fragment(name: str, **context) -> str:
        """The template ``method/<name>.html.j2`` rendered with ``context`` (escaped)."""
        return render(f"{TEMPLATES}{name}.html.j2", **context)

    @staticmethod
    def table_html(frame: pd.DataFrame, caption: str) -> str:
        """An accessible HTML table (caption, header cells) of ``frame``, values escaped."""
        rows = [
            ["" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in row]
            for row in frame.itertuples(index=False)
        ]
        columns = [str(c) for c in frame.columns]
        return render(TEMPLATES + "table.html.j2", caption=caption, columns=columns, rows=rows)

    def show_chart(self, chart: alt.TopLevelMixin, label: str) -> None:
        """Draw ``chart`` (named by ``label``) in this part's ``chart`` view, made on first use
        and put in ``chart_box``."""
        if self.chart is None:
            self.chart = ChartView()
            self.chart_box.children = [self.chart]
        self.chart.draw(chart, label)
