"""Sub-commands for case samples: ``check-sample``, ``sample-size`` and ``draw``.

A thin layer: the case-list rules are in :mod:`workbook.caselist`, the draw in :mod:`workbook.draw`,
the sample size in :mod:`workbook.stats` and the file formats in :mod:`workbook.files`.
"""

from __future__ import annotations

import secrets

import pandas as pd

from ..caselist import REQUIRED, SAMPLES, VOCABULARIES
from ..draw import draw_sample
from ..errors import InputError, Problem
from ..files import load_population, load_sample, write_sample
from ..reasons import Reason
from ..stats import sample_size


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "check-sample",
        help="check a case list (CSV or XLSX) and summarise it",
        description="Check a case list: print every problem (exit 2), or a short summary of the sample (exit 0).",
    )
    p.add_argument(
        "file", metavar="FILE", help="the case list: .csv (UTF-8 or Windows-1252) or .xlsx"
    )
    p.add_argument(
        "--sheet", metavar="NAME", help="the sheet of an .xlsx workbook (default: the first)"
    )
    p.set_defaults(run=run_check_sample)

    p = subparsers.add_parser(
        "sample-size",
        help="cases needed for a margin of error at a confidence level",
        description="Sample size for a proportion, with the finite-population correction.",
    )
    p.add_argument("--population", type=int, required=True, metavar="N", help="eligible cases (N)")
    p.add_argument(
        "--confidence", type=float, default=0.80, help="confidence level, 0.80 or 80 (default 0.80)"
    )
    p.add_argument(
        "--margin",
        type=float,
        default=0.05,
        help="margin of error, 0.05 or 5 points (default 0.05)",
    )
    p.add_argument(
        "--proportion",
        type=float,
        default=0.5,
        help="expected proportion (default 0.5, the largest sample)",
    )
    p.set_defaults(run=run_sample_size)

    p = subparsers.add_parser(
        "draw",
        help="draw a stratified random sample from an eligible population",
        description="Proportional stratified draw (largest remainder), random within strata, reproducible from the seed, which is written into the output.",
    )
    p.add_argument(
        "population",
        metavar="POPULATION",
        help="the eligible population: .csv or .xlsx with case_id and the stratum columns",
    )
    p.add_argument("--n", type=int, required=True, help="cases to draw")
    p.add_argument(
        "--strata",
        required=True,
        help="stratum columns, comma-separated, such as gender,disposal,rosh",
    )
    p.add_argument(
        "--within", metavar="COLUMN", help="allocate across this column's groups first, such as ldu"
    )
    p.add_argument(
        "--seed", type=int, help="random seed (default: a new one, printed and recorded)"
    )
    p.add_argument(
        "--out", required=True, metavar="SAMPLE.csv", help="where to write the sample (CSV UTF-8)"
    )
    p.add_argument("--sheet", metavar="NAME", help="the sheet of an .xlsx population")
    p.add_argument(
        "--sample",
        default="case_supervision",
        help="sample id for rows without one (default case_supervision)",
    )
    p.set_defaults(run=run_draw)


def _percent_or_fraction(value: float) -> float:
    return value / 100 if value >= 1 else value


def run_check_sample(args) -> int:
    sample = load_sample(args.file, sheet=args.sheet)
    where = f"{sample.source}" + (f" (sheet '{sample.sheet}')" if sample.sheet else "")
    print(f"{where}: {len(sample)} cases, no problems found.")
    if sample.seed is not None:
        print(f"Drawn with seed {sample.seed}.")
    for title, table in sample.summary().items():
        shown = table.copy()
        if title == "Sample":
            shown.iloc[:, 0] = shown.iloc[:, 0].map(lambda s: SAMPLES.get(s, s))
        shown.columns = [title, "cases", "share"]
        print()
        print(format_share_table(shown))
    extra = [c for c in sample.cases.columns if c not in REQUIRED]
    if extra:
        print()
        print("Other columns: " + ", ".join(extra))
    if sample.warnings:
        print()
        print(
            f"{len(sample.warnings)} warning{'s' if len(sample.warnings) != 1 else ''} (the sample can still be imported):"
        )
        for w in sample.warnings:
            print(f"- {w}")
    return 0


def run_sample_size(args) -> int:
    confidence = _percent_or_fraction(args.confidence)
    margin = _percent_or_fraction(args.margin)
    try:
        size = sample_size(
            args.population, confidence=confidence, margin=margin, proportion=args.proportion
        )
    except ValueError as exc:
        raise InputError(
            Problem(
                Reason.BAD_ARGUMENT,
                f"{exc}.",
                allowed="--population 1 or more; --confidence, --margin and --proportion between 0 and 1",
            )
        ) from None
    print(
        f"Sample size: {size.n} cases of {args.population} ({confidence:.0%} confidence, margin of error {margin * 100:g} points, proportion {args.proportion:g})."
    )
    print(f"Formula: {size.formula}")
    return 0


def run_draw(args) -> int:
    population = load_population(args.population, sheet=args.sheet)
    cases = population.cases
    if "sample" not in cases.columns:
        if VOCABULARIES["sample"].normalise(args.sample) is None:
            raise InputError(
                Problem(
                    Reason.UNKNOWN_VALUE,
                    f"'{args.sample}' is not a sample.",
                    column="sample",
                    value=args.sample,
                    allowed=VOCABULARIES["sample"].allowed,
                )
            )
        cases = cases.assign(sample=VOCABULARIES["sample"].normalise(args.sample))
        cases = cases[
            ["case_id", "sample"] + [c for c in cases.columns if c not in ("case_id", "sample")]
        ]
    seed = args.seed if args.seed is not None else secrets.randbelow(2**31)
    draw = draw_sample(cases, args.n, args.strata, within=args.within, seed=seed)
    write_sample(draw.sample, args.out, seed=draw.seed)
    print(
        f"Drew {draw.n} of {draw.population} cases with seed {draw.seed} (recorded in the draw_seed column of {args.out})."
    )
    print()
    print("Share of each stratum in the population and in the sample:")
    print(format_share_table(draw.table))
    print()
    print("Share of each value:")
    print(format_share_table(draw.margins))
    return 0


def format_share_table(table: pd.DataFrame) -> str:
    """A table as aligned text: words left, numbers right, shares as percentages (one decimal)."""
    shown = table.copy()
    numeric = {c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c])}
    for c in shown.columns:
        if c in ("population_share", "sample_share", "share"):
            shown[c] = (shown[c] * 100).map(lambda v: f"{v:.1f}%")
        else:
            shown[c] = shown[c].astype(str)
    headers = [str(c).replace("_", " ") for c in shown.columns]
    widths = [
        max([len(h)] + [len(v) for v in shown[c]])
        for h, c in zip(headers, shown.columns, strict=True)
    ]
    lines = []
    for cells in [headers, *shown.itertuples(index=False, name=None)]:
        parts = [
            str(v).rjust(w) if c in numeric or c.endswith("share") else str(v).ljust(w)
            for v, w, c in zip(cells, widths, map(str, shown.columns), strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
