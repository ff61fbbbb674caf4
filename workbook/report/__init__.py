"""Report tables: an inspection's ratings as the report lays them out, and their writers.

- :mod:`workbook.report.tables`: summary of ratings, Annex 2, standards by group, key-question
  figures (DataFrames, or their plain rows for live views), small numbers suppressed;
- :mod:`workbook.report.dashboard`: the stakeholders' dashboard's figures (aggregate only);
- :mod:`workbook.report.writers`: XLSX, CSV and Markdown files of named tables, and the
  problems table behind the one error box.

The small-numbers rule itself is :mod:`workbook.disclosure`; HTML and Markdown come from
:mod:`workbook.render`. ``from workbook import report`` gives every name below.
"""

from __future__ import annotations

from .tables import (
    DISCRETION_MARK,
    MARGIN_MARK,
    WHOLE_SAMPLE,
    annex_table,
    breakdown_rows,
    figures_frame,
    group_grid,
    hidden_figures,
    hidden_standards,
    kq_figures,
    kq_rows,
    overall_not_shown,
    pct_text,
    ratings_rows,
    standard_rows,
    standards_by_group_table,
    standards_frame,
    standards_notes,
    summary_table,
)
from .writers import FORMATS, html_table, problems_html, problems_table, write_tables

__all__ = [
    "DISCRETION_MARK",
    "FORMATS",
    "MARGIN_MARK",
    "WHOLE_SAMPLE",
    "annex_table",
    "breakdown_rows",
    "figures_frame",
    "group_grid",
    "hidden_figures",
    "hidden_standards",
    "html_table",
    "kq_figures",
    "kq_rows",
    "overall_not_shown",
    "pct_text",
    "problems_html",
    "problems_table",
    "ratings_rows",
    "standard_rows",
    "standards_by_group_table",
    "standards_frame",
    "standards_notes",
    "summary_table",
    "write_tables",
]
