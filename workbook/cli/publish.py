"""``python -m workbook publish NAME --out site/ [--db URL] [--watch [--interval S]]``: a static
HTML dashboard, published once or kept in step with the store."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from datetime import datetime
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "publish",
        help="write a static HTML dashboard of an inspection (once, or kept up to date with --watch)",
        description=(
            "Write OUT/index.html and its script OUT/dashboard.js: the stakeholders' dashboard of "
            "inspection NAME as one static page (inline SVG charts and HTML tables, no case ids or "
            "notes, figures over too few cases suppressed) that any ordinary web server can host "
            "for any number of readers. The store is opened read-only. Every file is replaced "
            "atomically: a reader never gets half a page. With --watch, the site is rebuilt within "
            "seconds of any change in the store, until Ctrl-C or SIGTERM."
        ),
    )
    parser.add_argument(
        "name",
        nargs="?",
        default=None,
        help="the inspection (default: the WORKBOOK_INSPECTION setting)",
    )
    parser.add_argument(
        "--out",
        default=None,
        help="folder to write the site into (default: site/ in the WORKBOOK_HOME folder)",
    )
    parser.add_argument(
        "--db", default=None, help="SQLAlchemy URL of the store (default: the WORKBOOK_DB setting)"
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="keep running and rebuild the site whenever the inspection changes in the store",
    )
    parser.add_argument(
        "--interval",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="with --watch: how often to look for a change (default: 1)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="with --watch: print the traceback of a problem that is retried",
    )
    parser.set_defaults(run=run)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not 0.05 <= value <= 3600:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a number of seconds between 0.05 and 3600"
        )
    return value


def run(args: argparse.Namespace) -> int:
    from ..config import load_settings

    settings = load_settings()
    name = args.name or settings.inspection
    db_url = args.db or settings.db_url
    if args.out is None:  # a default is anchored, never taken from the current folder
        args.out = str(settings.home / "site")
    if args.watch:
        return _watch(args, name, db_url, settings)
    from ..app.publish import publish_dashboard

    try:
        path = publish_dashboard(
            name,
            args.out,
            db_url,
            suppress_below=settings.suppression,
            frameworks=settings.frameworks_dir,
        )
    except OSError as exc:
        raise _cannot_write(args.out, exc) from None
    print(f"wrote {path}")
    return 0


def _cannot_write(out: str, exc: OSError):
    from ..errors import InputError, Problem
    from ..reasons import Reason

    where = exc.filename or out
    return InputError(
        Problem(
            Reason.CANNOT_WRITE_SITE,
            f"the dashboard cannot be written to '{where}' ({exc.strerror or exc}); "
            "any page already there is unchanged.",
            file=str(where),
            value=str(exc),
            allowed="a folder that may be written, whose parent folders are folders (not files), on a disk with room for the site",
        )
    )


def _watch(args: argparse.Namespace, name: str, db_url: str, settings) -> int:
    """Publish, then rebuild on every change until SIGINT or SIGTERM (exit 0). A problem at the
    start exits 2 as the one-shot publish does; later problems are logged and retried."""
    from ..app.publish import publish_from_store
    from ..app.watch import watch

    stop = threading.Event()

    def rebuild(store, why: str) -> None:
        path = publish_from_store(store, name, args.out, settings.suppression)
        _say(f"Published {path} ({why})")

    def log(line: str) -> None:
        _say(line, sys.stderr)

    def on_signal(_signum, _frame) -> None:
        # set from another thread: the main thread may be inside stop.wait() holding its lock
        threading.Thread(target=stop.set, daemon=True).start()

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        watch(
            db_url,
            name,
            rebuild,
            interval=args.interval,
            stop=stop,
            frameworks=settings.frameworks_dir,
            log=log,
            verbose=args.verbose,
        )
    except OSError as exc:
        raise _cannot_write(args.out, exc) from None
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    _say(f"Stopped watching; the site in {Path(args.out)} stays as last published")
    return 0


def _say(line: str, stream=None) -> None:
    """One line with the time in front, control characters escaped."""
    from . import printable

    print(f"{datetime.now():%H:%M:%S} {printable(line)}", file=stream or sys.stdout, flush=True)
