"""Case lists: the columns as one table of rows, and the checks that turn rows into a Sample.

A case list is read at the edge (:mod:`workbook.files`) into rows of text, each with the row
number a spreadsheet shows. The rules here find the header, map the columns to canonical names,
check every value and return a :class:`Sample`, or the problems found (every one of them).

- Every column is one row of :data:`COLUMN_TABLE`: its canonical name, the other names it may
  be written with, whether a case list must have it, its vocabulary or parser, its label for
  people, and flags saying where it is used (``summary``: ``check-sample`` and the loader's
  summary; ``fact``: the judgement form; ``composition``: the dashboard's composition of the
  sample; ``stratum``: a column to draw strata from; ``private``: never shown outside the
  inspection team).
- The value checks are a list of small functions (:data:`CHECKS`), each over whole columns at
  once, so a list of 100,000 cases is checked in well under a second.
- Case ids are accepted by the one rule in :func:`workbook.judgements.check_case_ids`.
"""

from .checks import CHECKS, CaseTable, Checked, check_case_rows, sample_from_rows
from .columns import (
    COLUMN_ALIASES,
    COLUMN_TABLE,
    COLUMNS,
    COLUMNS_BY_NAME,
    HEADER_SEARCH,
    OPTIONAL,
    REQUIRED,
    RISK_LEVELS,
    SAMPLES,
    SEED_COLUMN,
    SMALL_LDU,
    VOCABULARIES,
    Column,
    Parser,
    Vocabulary,
    canon,
    column_labels,
    heading_words,
    ldu_key,
    plain_name,
    shorten,
)
from .header import column_headings, column_score, find_header, map_header, split_footer
from .sample import Sample, count_values

__all__ = [
    "CHECKS",
    "COLUMNS",
    "COLUMNS_BY_NAME",
    "COLUMN_ALIASES",
    "COLUMN_TABLE",
    "HEADER_SEARCH",
    "OPTIONAL",
    "REQUIRED",
    "RISK_LEVELS",
    "SAMPLES",
    "SEED_COLUMN",
    "SMALL_LDU",
    "VOCABULARIES",
    "CaseTable",
    "Checked",
    "Column",
    "Parser",
    "Sample",
    "Vocabulary",
    "canon",
    "check_case_rows",
    "column_headings",
    "column_labels",
    "column_score",
    "count_values",
    "find_header",
    "heading_words",
    "ldu_key",
    "map_header",
    "plain_name",
    "sample_from_rows",
    "shorten",
    "split_footer",
]
