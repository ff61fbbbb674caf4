"""Transitional: the old home of the case-list rules, the draw and the sample size.

They now live in :mod:`workbook.caselist` (the column table, the checks, :class:`Sample`),
:mod:`workbook.draw` (the stratified draw) and :mod:`workbook.stats` (:func:`sample_size`).
This module only re-exports them until every caller imports from there; it then goes.
"""

from __future__ import annotations

from .caselist import (
    COLUMN_ALIASES,
    COLUMNS,
    HEADER_SEARCH,
    OPTIONAL,
    REQUIRED,
    RISK_LEVELS,
    SAMPLES,
    SEED_COLUMN,
    SMALL_LDU,
    VOCABULARIES,
    Sample,
    Vocabulary,
    canon,
    check_case_rows,
    column_score,
    count_values,
    find_header,
    ldu_key,
    sample_from_rows,
)
from .draw import Draw, allocate_largest_remainder, allocate_strata, draw_sample
from .stats import SampleSize, sample_size

__all__ = [
    "COLUMNS",
    "COLUMN_ALIASES",
    "HEADER_SEARCH",
    "OPTIONAL",
    "REQUIRED",
    "RISK_LEVELS",
    "SAMPLES",
    "SEED_COLUMN",
    "SMALL_LDU",
    "VOCABULARIES",
    "Draw",
    "Sample",
    "SampleSize",
    "Vocabulary",
    "allocate_largest_remainder",
    "allocate_strata",
    "canon",
    "check_case_rows",
    "column_score",
    "count_values",
    "draw_sample",
    "find_header",
    "ldu_key",
    "sample_from_rows",
    "sample_size",
]
