"""``python -m workbook``: the workbook's operations for scripts and CI.

Each area registers its sub-commands from its own module (``register(subparsers)``); a
command returns an exit status. Problems with input print every problem and exit with 2; so
does a file or folder that cannot be read or written (one line, no traceback). A conflict
exits with 3.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import ConflictError, WorkbookError

# modules that add sub-commands; each has register(subparsers)
AREAS = ("ratings", "samples", "store", "demo", "publish")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m workbook",
        description="Inspection Workbook: ratings, samples and the judgement store.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for area in AREAS:
        try:
            module = importlib.import_module(f"{__name__}.{area}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{area}":
                continue  # area not built yet
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except ConflictError as exc:
        print(f"conflict: {exc}", file=sys.stderr)
        return 3
    except WorkbookError as exc:
        n = len(exc.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found; nothing was done:", file=sys.stderr)
        print(exc.describe(), file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # a file or folder the command needed could not be read or written: one line, no traceback
        print(f"error: {_describe_os_error(exc)}", file=sys.stderr)
        return 2


def _describe_os_error(exc: OSError) -> str:
    """``'PATH': reason (Kind). What to do.``, for an OSError nobody turned into a problem."""
    where = f"'{exc.filename}': " if exc.filename else ""
    if exc.filename2:
        where = f"'{exc.filename}' -> '{exc.filename2}': "
    reason = exc.strerror or str(exc) or type(exc).__name__
    return (
        f"{where}{reason} ({type(exc).__name__}); the command stopped. "
        "Check the path exists, that its parent folders are folders (not files), and that you may read and write it."
    )
