"""``python -m workbook snapshot [NAME]``: render the dashboard's snapshot of an inspection.

The dashboard server runs it whenever the store changes (``workbook.app.dashboard_server``);
it can be run by hand too, e.g. after a restore. The store is opened read-only; the snapshot is
written atomically to the snapshots folder (``WORKBOOK_SNAPSHOTS``), so a visitor's kernel
reading it sees the old one or the new one, never part of one.
"""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "snapshot",
        help="render the stakeholders' dashboard of an inspection for the dashboard server",
        description=(
            "Render every fragment of the stakeholders' dashboard of inspection NAME (aggregated, "
            "small figures suppressed) into the snapshots folder, where the dashboard's visitors' "
            "kernels read it. The store is opened read-only."
        ),
    )
    parser.add_argument(
        "name",
        nargs="?",
        default=None,
        help="the inspection (default: the WORKBOOK_INSPECTION setting)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..app.dashboard import write_inspection_snapshot
    from ..config import load_settings
    from ..errors import InputError, Problem
    from ..reasons import Reason

    settings = load_settings()
    try:
        path = write_inspection_snapshot(settings, args.name)
    except OSError as exc:
        raise InputError(
            Problem(
                Reason.CANNOT_WRITE_SITE,
                f"the dashboard's snapshot cannot be written to the folder "
                f"'{settings.snapshots_dir}' ({exc.strerror or exc}); any snapshot already there "
                "is unchanged.",
                file=str(settings.snapshots_dir),
                value=str(exc),
                allowed="a folder that may be written (WORKBOOK_SNAPSHOTS)",
            )
        ) from None
    print(f"wrote {path}")
    return 0
