"""``demo``: regenerate, check or load the synthetic demo inspection."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Problem
from ..reasons import Reason
from . import open_cli_store


def register(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="the synthetic demo inspection: regenerate its files or load it into the store",
        description="The demo inspection (synthetic, modelled on the seed report).",
    )
    action = p.add_mutually_exclusive_group(required=True)
    action.add_argument(
        "--regenerate", action="store_true", help="write data/demo/*.csv from the fixed seed"
    )
    action.add_argument(
        "--check",
        action="store_true",
        help="exit 1 if data/demo differs from what the generator writes",
    )
    action.add_argument(
        "--load", action="store_true", help="load the demo inspection into the store (if missing)"
    )
    p.add_argument(
        "--out", help="folder for --regenerate/--check (default data/demo in the repository)"
    )
    p.add_argument(
        "--db", help="store URL for --load (default: WORKBOOK_DB or the embedded SQLite file)"
    )
    p.set_defaults(run=run_demo)


def run_demo(args) -> int:
    from .. import demo

    folder = Path(args.out) if args.out else demo.DEMO_DIR
    if args.regenerate:
        for path in demo.write_demo(folder):
            print(f"wrote {path.name}")
        return 0
    if args.check:
        differ = []
        for name, text in demo.generate_demo().items():
            path = folder / name
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(name)
        if differ:
            print(f"differs from the generator: {', '.join(differ)}")
            return 1
        print("data/demo is what the generator writes")
        return 0
    if args.out and not (folder / "cases.csv").exists():
        raise InputError(
            Problem(Reason.MISSING_FILE, "the folder has no cases.csv.", file=str(folder))
        )
    store = open_cli_store(args.db)
    try:
        loaded = demo.ensure_demo(store, folder)
    finally:
        store.close()
    print("demo inspection loaded" if loaded else "demo inspection already in the store")
    return 0
