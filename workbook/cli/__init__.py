"""``python -m workbook``: the workbook's operations for scripts and CI.

Each area registers its sub-commands from its own module (``register(subparsers)``); a
command returns an exit status. Problems with input print every problem and exit with 2; so
does a file or folder that cannot be read or written (one line, no traceback). A conflict
exits with 3.

Settings are read here, where a command is composed (:func:`load_cli_settings`), and passed
down: the store's URL and the frameworks folder to ``open_store``, the folder to
``load_framework``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import sys
from typing import TYPE_CHECKING

from ..errors import ConflictError, WorkbookError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from ..config import Settings

# modules that add sub-commands; each has register(subparsers)
AREAS = ("ratings", "samples", "store", "demo", "publish", "snapshot", "team", "review")


# the settings the commands use; a bad dashboard setting (WORKBOOK_MODE, WORKBOOK_SUPPRESSION)
# is not theirs and does not stop them
CLI_SETTINGS = (
    "WORKBOOK_HOME",
    "WORKBOOK_DB",
    "WORKBOOK_FRAMEWORKS",
    "WORKBOOK_DATA",
    "WORKBOOK_INSPECTION",
    "WORKBOOK_INSPECTOR",
    "JUPYTERHUB_USER",
    "WORKBOOK_QA_SIZE",
    "WORKBOOK_QA_PER_INSPECTOR",
)


def load_cli_settings() -> Settings:
    """The settings a command uses, read from the ``WORKBOOK_*`` variables it needs."""
    from ..config import load_settings

    return load_settings({k: v for k, v in os.environ.items() if k in CLI_SETTINGS})


def open_cli_store(url: str | None, read_only: bool = False, settings: Settings | None = None):
    """Open the store at ``url`` (default: the ``WORKBOOK_DB`` setting) with the frameworks folder."""
    from ..store import open_store

    settings = settings or load_cli_settings()
    return open_store(url or settings.db_url, read_only, frameworks=settings.frameworks_dir)


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
        print(f"conflict: {printable(str(exc))}", file=sys.stderr)
        return 3
    except WorkbookError as exc:
        n = len(exc.problems)
        print(f"{n} problem{'s' if n != 1 else ''} found; nothing was done:", file=sys.stderr)
        print(printable(exc.describe()), file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:
        # a file or folder the command needed could not be read or written: one line, no traceback
        print(f"error: {printable(_describe_os_error(exc))}", file=sys.stderr)
        return 2


def printable(text: str) -> str:
    """``text`` with control characters escaped (``\\x1b``), line breaks kept: never sent raw
    to a terminal."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


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
