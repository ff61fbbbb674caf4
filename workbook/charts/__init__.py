"""Altair chart builders in one place: a tidy DataFrame in, an ``alt.Chart`` out.

- :mod:`workbook.charts.key_questions`: key questions with their 80% intervals, the heatmap of
  bands by group, the sample's composition (the dashboard, the board, the exports);
- :mod:`workbook.charts.method`: the rating method made visible (the trainers' page), each
  chart with its text alternative (``*_text``);
- :mod:`workbook.charts.svg`: the one render path to SVG and PNG, offline.

Builders load nothing and display nothing. Colours come from the one band palette
(:mod:`workbook.render.palette`); a band is always written as a word as well.
"""

from __future__ import annotations

from .key_questions import (
    DEFAULT_THRESHOLDS,
    GROUP_COLOURS,
    GROUP_SHAPES,
    KQ_COLUMNS,
    KQ_DATASET,
    draw_composition,
    draw_heatmap,
    draw_kq_chart,
    kq_chart_values,
    sort_key_questions,
)
from .method import (
    band_bars_chart,
    band_bars_text,
    margin_chart,
    margin_text,
    overall_scale_chart,
    overall_scale_text,
    uncertainty_chart,
    uncertainty_text,
)
from .svg import chart_png, chart_svg

__all__ = [
    "DEFAULT_THRESHOLDS",
    "GROUP_COLOURS",
    "GROUP_SHAPES",
    "KQ_COLUMNS",
    "KQ_DATASET",
    "band_bars_chart",
    "band_bars_text",
    "chart_png",
    "chart_svg",
    "draw_composition",
    "draw_heatmap",
    "draw_kq_chart",
    "kq_chart_values",
    "margin_chart",
    "margin_text",
    "overall_scale_chart",
    "overall_scale_text",
    "sort_key_questions",
    "uncertainty_chart",
    "uncertainty_text",
]
