"""Inspection Workbook: case assessment and live ratings for probation inspections.

``import workbook`` loads the core only (framework, ratings, samples): no widgets, charts or
database. The layers, each importing only from those below it:

- core (pure): errors, reasons, framework, framework_reader, judgements, ratings, tally,
  band_changes, stats, uncertainty, samples
- edge (I/O): files, store, config
- presentation: charts, report, ui
- composition: app (one module per page: inspect, dashboard, methodology)
- command line: cli (``python -m workbook``); benchmarks: bench (``python -m workbook.bench``)
"""

from .errors import (
    ConflictError,
    FrameworkError,
    InputError,
    SampleError,
    StoreError,
    WorkbookError,
)
from .framework import Framework, KeyQuestion, Standard
from .judgements import Decision, Judgement
from .ratings import Ratings, rate

__version__ = "0.1.0"

__all__ = [
    "ConflictError",
    "Decision",
    "Framework",
    "FrameworkError",
    "InputError",
    "Judgement",
    "KeyQuestion",
    "Ratings",
    "SampleError",
    "Standard",
    "StoreError",
    "WorkbookError",
    "rate",
]
