"""The common frame of the methodology notebook's components: a heading-less box with a
``feedback`` area (:class:`~workbook.ui.feedback.Feedback`) where problems are shown instead of
raised (Voilà hides tracebacks). HTML comes from ``render/templates/method/``."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager

import altair as alt
import ipywidgets as widgets
import pandas as pd

from workbook.errors import WorkbookError
from workbook.render import render

from ..feedback import Feedback

TEMPLATES = "method/"
PROBLEM_TITLE = "Problem:"


class MethodPart(widgets.VBox):
    """A VBox with a ``feedback`` HTML area; subclasses run their work inside ``showing_problems``."""

    def __init__(self, **kwargs):
        self.feedback = Feedback(layout=widgets.Layout(min_height="1.5em"))
        self.feedback.add_class("workbook-feedback")
        super().__init__(**kwargs)

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

    @staticmethod
    def chart_view(chart: alt.TopLevelMixin) -> widgets.Widget:
        """A widget showing ``chart`` (offline when the page enabled it), drawn as SVG so its
        words are text a screen reader (and a test) can find."""
        return alt.JupyterChart(chart, embed_options={"renderer": "svg", "actions": False})
