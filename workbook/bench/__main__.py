"""python -m workbook.bench AREA [options]: run one area's benchmark and print its figures."""

import importlib
import sys

AREAS = ("ratings", "samples", "store", "ui", "dashboard", "site")


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in AREAS:
        print(f"usage: python -m workbook.bench {{{','.join(AREAS)}}} [options]", file=sys.stderr)
        return 2
    module = importlib.import_module(f"workbook.bench.{argv[0]}")
    return int(module.main(argv[1:]) or 0)


raise SystemExit(main())
