"""The common frame of the methodology notebook's components: a heading-less box with a
``feedback`` area where problems are shown instead of raised (Voilà hides tracebacks)."""

from __future__ import annotations

import html
from collections.abc import Callable
from contextlib import contextmanager

import altair as alt
import ipywidgets as widgets
import pandas as pd

from workbook.errors import WorkbookError

TABLE_STYLE = "border-collapse:collapse;font-size:0.9em;color:#1a1a1a"
CELL_STYLE = (
    "text-align:left;padding:2px 10px 2px 0;border-bottom:1px solid #d0d0d0;vertical-align:top"
)


class MethodPart(widgets.VBox):
    """A VBox with a ``feedback`` HTML area; subclasses run their work inside ``showing_problems``."""

    def __init__(self, **kwargs):
        self.feedback = widgets.HTML(value="", layout=widgets.Layout(min_height="1.5em"))
        self.feedback.add_class("workbook-feedback")
        super().__init__(**kwargs)

    # -- problems ---------------------------------------------------------------------------

    def show_problem(self, error: Exception) -> None:
        if isinstance(error, WorkbookError):
            lines = [str(p) for p in getattr(error, "problems", ())] or [str(error)]
        else:
            lines = [str(error)]
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        self.feedback.value = f'<div role="alert" style="color:#a50f15"><strong>Problem:</strong><ul>{items}</ul></div>'

    def clear_problem(self) -> None:
        self.feedback.value = ""

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
    def table_html(frame: pd.DataFrame, caption: str) -> str:
        """An accessible HTML table (caption, header cells) of ``frame``, values escaped."""
        body = frame.to_html(index=False, escape=True, border=0, na_rep="", justify="left")
        body = body.replace(
            '<table class="dataframe">',
            f'<table class="dataframe workbook-table" style="{TABLE_STYLE}"><caption style="text-align:left;font-weight:bold">{html.escape(caption)}</caption>',
            1,
        )
        body = body.replace("<th>", f'<th scope="col" style="{CELL_STYLE}">').replace(
            "<td>", f'<td style="{CELL_STYLE}">'
        )
        return f'<div style="overflow-x:auto;max-width:100%">{body}</div>'

    @staticmethod
    def chart_view(chart: alt.TopLevelMixin) -> widgets.Widget:
        """A widget showing ``chart`` (offline when the page enabled it), drawn as SVG so its
        words are text a screen reader (and a test) can find."""
        return alt.JupyterChart(chart, embed_options={"renderer": "svg", "actions": False})
