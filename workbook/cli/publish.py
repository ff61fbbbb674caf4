"""``python -m workbook publish NAME --out site/ [--db URL]``: a static HTML dashboard."""

from __future__ import annotations

import argparse


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="write a static, self-contained HTML dashboard of an inspection",
        description=(
            "Write OUT/index.html: the stakeholders' dashboard of inspection NAME as one static page "
            "(inline SVG charts and HTML tables, no case ids or notes, figures over too few cases "
            "suppressed) that any web server can host. The store is opened read-only."
        ),
    )
    parser.add_argument(
        "name",
        nargs="?",
        default=None,
        help="the inspection (default: the WORKBOOK_INSPECTION setting)",
    )
    parser.add_argument(
        "--out", default="site", help="folder to write index.html into (default: site)"
    )
    parser.add_argument(
        "--db", default=None, help="SQLAlchemy URL of the store (default: the WORKBOOK_DB setting)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..app.publish import publish_dashboard
    from ..config import load_settings
    from ..errors import InputError, Problem
    from ..reasons import Reason

    settings = load_settings()
    try:
        path = publish_dashboard(
            args.name or settings.inspection,
            args.out,
            args.db or settings.db_url,
            suppress_below=settings.suppression,
            frameworks=settings.frameworks_dir,
        )
    except OSError as exc:
        raise InputError(
            Problem(
                Reason.CANNOT_WRITE_SITE,
                f"the dashboard cannot be written to the folder '{args.out}' ({exc.strerror or exc}); "
                "any page already there is unchanged.",
                file=args.out,
                value=str(exc),
                allowed="a folder whose parent folders exist as folders (not files) and may be written",
            )
        ) from None
    print(f"wrote {path}")
    return 0
