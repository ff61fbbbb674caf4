"""Inspection Workbook: case assessment and live ratings for probation inspections.

``import workbook`` loads nothing heavy: each name of the API below loads its module on first
use, so a light module (the dashboard's visit) never pulls in pandas. The layers, each importing only from those below it:

- core (pure): errors, reasons, framework, framework_reader, judgements, ratings, tally,
  band_changes, stats, uncertainty, samples
- edge (I/O): files, store, config
- presentation: charts, report, ui
- composition: app (one module per page: inspect, dashboard, methodology)
- command line: cli (``python -m workbook``); benchmarks: bench (``python -m workbook.bench``)
"""

__version__ = "0.1.0"

# Where each name of the public API lives: loaded on first use (PEP 562), so that importing a
# light module (the dashboard's visit kernel reads a snapshot) does not load pandas.
_API = {
    "ConflictError": "errors",
    "FrameworkError": "errors",
    "InputError": "errors",
    "SampleError": "errors",
    "StoreError": "errors",
    "WorkbookError": "errors",
    "Framework": "framework",
    "KeyQuestion": "framework",
    "Standard": "framework",
    "Decision": "judgements",
    "Judgement": "judgements",
    "Ratings": "ratings",
    "rate": "ratings",
}


def __getattr__(name: str):
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'workbook' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


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
