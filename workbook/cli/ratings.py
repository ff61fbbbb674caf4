"""``rate`` and ``overall``: the ratings table from files or from the store.

The rows are the report's (:func:`workbook.report.tables.ratings_rows`); Markdown is the one
writer the exports use too (:func:`workbook.render.markdown.ratings_markdown`).
"""

from __future__ import annotations

import csv
import io
import json
import sys

from ..errors import InputError, Problem
from ..files import (
    load_framework,
    read_case_attributes,
    read_decisions,
    read_judgements,
)
from ..framework import ROUNDING_POLICIES, Framework
from ..judgements import check_breakdown, normalise_rating
from ..ratings import Ratings, rate, rate_overall, ratings_to_dict
from ..reasons import Reason
from ..render.cells import safe_row
from ..render.markdown import ratings_markdown
from ..report.tables import breakdown_rows, ratings_rows
from . import load_cli_settings, open_cli_store

FORMATS = ("table", "csv", "json", "markdown")


def register(sub) -> None:
    p = sub.add_parser(
        "rate",
        help="rate an inspection from judgement files or from the store",
        description="Rate an inspection: every key question, standard and the overall rating.",
    )
    p.add_argument("judgements", nargs="?", help="JUDGEMENTS.csv with case_id,question,answer")
    p.add_argument("--inspection", help="rate an inspection held in the store instead of files")
    p.add_argument("--db", help="store URL (default: WORKBOOK_DB or the embedded SQLite file)")
    p.add_argument(
        "--framework",
        default=None,
        help="framework id or YAML path (default hmip-2018-crc, or the inspection's)",
    )
    p.add_argument("--cases", help="CASES.csv: case_id and attributes (ldu, gender, ...) for --by")
    p.add_argument(
        "--decisions",
        help="DECISIONS.csv: standard,rating,reason (discretion and domain-one ratings)",
    )
    p.add_argument(
        "--by",
        default=None,
        help="breakdown by a case attribute, e.g. ldu (comma-separated for several)",
    )
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument(
        "--rounding",
        choices=ROUNDING_POLICIES,
        default=None,
        help="override the framework's rounding policy",
    )
    p.set_defaults(run=run_rate)

    o = sub.add_parser(
        "overall",
        help="overall points and rating for a list of standard ratings",
        description="Overall points and rating for standard ratings, e.g. 'Good' 'Requires improvement' ...",
    )
    o.add_argument("ratings", nargs="+", metavar="RATING")
    o.add_argument("--framework", default="hmip-2018-crc")
    o.add_argument("--format", choices=("table", "json"), default="table")
    o.set_defaults(run=run_overall)


def _by(args) -> tuple[str, ...]:
    return tuple(b.strip() for b in args.by.split(",") if b.strip()) if args.by else ()


def _ratings_from_store(args, by: tuple[str, ...]) -> tuple[Framework, Ratings]:
    """The inspection read and rated by the store's one reader, with its pinned framework."""
    from ..store import load_rated

    if args.judgements or args.cases or args.decisions:
        raise InputError(
            Problem(Reason.BAD_ARGUMENTS, "give either --inspection or files, not both.")
        )
    store = open_cli_store(args.db, read_only=True)
    try:
        rated = load_rated(store, args.inspection, by=by, rounding=args.rounding)
    finally:
        store.close()
    if args.framework and args.framework != rated.framework.id:
        raise InputError(
            Problem(
                Reason.BAD_ARGUMENTS,
                f"inspection '{args.inspection}' is rated with the framework it is pinned to, "
                f"{rated.framework.id} version {rated.framework.version}, not '{args.framework}'.",
                value=args.framework,
                allowed=f"no --framework, or --framework {rated.framework.id}",
            )
        )
    return rated.framework, rated.ratings


def _ratings_from_files(args, by: tuple[str, ...]) -> tuple[Framework, Ratings]:
    if not args.judgements:
        raise InputError(
            Problem(Reason.BAD_ARGUMENTS, "give a JUDGEMENTS.csv file or --inspection NAME.")
        )
    settings = load_cli_settings()
    framework = load_framework(args.framework or "hmip-2018-crc", extra=settings.frameworks_dir)
    problems: list[Problem] = []
    judgements = cases = None
    decisions = []
    for reader in ("judgements", "cases", "decisions"):
        try:
            if reader == "judgements":
                judgements = read_judgements(args.judgements, framework)
            elif reader == "cases" and args.cases:
                cases = read_case_attributes(args.cases)
            elif reader == "decisions" and args.decisions:
                decisions = read_decisions(args.decisions, framework)
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    if by and cases is None:
        raise InputError(
            Problem(
                Reason.BAD_ARGUMENTS, f"--by {args.by} needs --cases CASES.csv with that column."
            )
        )
    problems = check_breakdown(cases.columns, by) if by else []
    if problems:
        raise InputError(problems)
    return framework, rate(
        framework, judgements, decisions, cases=cases, by=by, rounding=args.rounding
    )


def _ratings_from_args(args) -> tuple[Framework, Ratings]:
    by = _by(args)
    if args.inspection:
        return _ratings_from_store(args, by)
    return _ratings_from_files(args, by)


def run_rate(args) -> int:
    framework, ratings = _ratings_from_args(args)
    out = {
        "table": format_table,
        "csv": format_csv,
        "json": format_json,
        "markdown": format_markdown,
    }[args.format](framework, ratings)
    sys.stdout.write(out)
    return 0


def run_overall(args) -> int:
    framework = load_framework(args.framework, extra=load_cli_settings().frameworks_dir)
    names, problems = [], []
    for i, value in enumerate(args.ratings, start=1):
        name = normalise_rating(framework, value)
        if name is None:
            problems.append(
                Problem(
                    Reason.UNKNOWN_RATING,
                    f"rating {i}: '{value}' is not a rating.",
                    value=value,
                    allowed=", ".join(framework.ratings),
                )
            )
        names.append(name)
    if problems:
        raise InputError(problems)
    result = rate_overall(framework, names)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "points": result.points,
                    "max_points": result.max_points,
                    "rating": result.rating,
                    "standards": result.n_standards,
                }
            )
        )
    else:
        print(
            f"{result.n_standards} standards: {result.points} of {result.max_points} points: {result.rating}"
        )
    return 0


# -- renderers -------------------------------------------------------------------------------


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def format_table(framework: Framework, ratings: Ratings) -> str:
    rows, notes = ratings_rows(framework, ratings)
    buf = io.StringIO()
    buf.write(
        f"Ratings: {framework.name} ({framework.id}, version {framework.version}; bands on percentages rounded {'half-up to whole numbers' if ratings.rounding == 'half_up' else 'exactly'})\n\n"
    )
    buf.write(
        f"{'Standard / key question':<62} {'Yes':>4} {'No':>4} {'N/A':>4} {'n':>4} {'%':>4}  Band / rating\n"
    )
    for kind, ident, text, y, n, na, tot, pct, band in rows:
        if kind == "domain":
            buf.write(f"\n{ident}. {text}\n")
        elif kind == "standard":
            buf.write(
                f"{_truncate(ident + ' ' + text, 62):<62} {'':>4} {'':>4} {'':>4} {'':>4} {'':>4}  {band}\n"
            )
        elif kind == "kq":
            buf.write(
                f"  {_truncate(ident + ' ' + text, 60):<60} {y:>4} {n:>4} {na:>4} {tot:>4} {pct:>4}  {band}\n"
            )
        else:
            buf.write(f"\n{text}: {band}\n")
    for i, note in enumerate(notes, start=1):
        buf.write(f"[{i}] {note}\n")
    for attr, labels, body in breakdown_rows(framework, ratings):
        buf.write(f"\nBy {attr} (* margin of error above 5 points at 80% confidence)\n")
        widths = [10] + [max(30, len(label)) for label in labels]
        buf.write(
            "  ".join(h.ljust(w) for h, w in zip(["", *labels], widths, strict=True)).rstrip()
            + "\n"
        )
        for row in body:
            buf.write(
                "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n"
            )
    return buf.getvalue()


def format_markdown(framework: Framework, ratings: Ratings) -> str:
    return ratings_markdown(framework, ratings)


def _kq_csv_row(group_by: str, group: str, k, reason: str) -> list:
    pct = "" if k.pct_rounded is None else k.pct_rounded
    return [
        group_by,
        group,
        k.id,
        "kq",
        k.yes,
        k.no,
        k.not_applicable,
        k.n,
        pct,
        k.band or "",
        "",
        "",
        reason,
    ]


def _write(rows: list, row) -> None:
    """One CSV row through the one cell writer: no cell reads as a formula in a spreadsheet."""
    rows.append(safe_row(row))


def _csv(rows: list) -> str:
    """The rows as CSV text. The csv module quotes a cell holding a line feed but not one holding
    a lone carriage return, which readers take for the end of a row: then every cell is quoted."""
    lone_cr = any("\r" in str(cell) for row in rows for cell in row)
    buf = io.StringIO()
    quoting = csv.QUOTE_ALL if lone_cr else csv.QUOTE_MINIMAL
    csv.writer(buf, lineterminator="\n", quoting=quoting).writerows(rows)
    return buf.getvalue()


def format_csv(framework: Framework, ratings: Ratings) -> str:
    w: list = []
    _write(
        w,
        [
            "group_by",
            "group",
            "item_id",
            "item_kind",
            "yes",
            "no",
            "not_applicable",
            "n",
            "pct",
            "band",
            "rating",
            "discretion",
            "reason",
        ],
    )
    for k in ratings.key_questions.values():
        _write(w, _kq_csv_row("", "", k, ""))
    for s in ratings.standards.values():
        d = s.discretion or s.judged
        _write(
            w,
            [
                "",
                "",
                s.id,
                "standard",
                "",
                "",
                "",
                "",
                "",
                s.lowest_kq_band or "",
                s.rating or "",
                "yes" if s.discretion else "no",
                d.reason if d else "",
            ],
        )
    _write(
        w,
        [
            "",
            "",
            "overall",
            "overall",
            "",
            "",
            "",
            "",
            ratings.overall.points,
            "",
            ratings.overall.rating or "",
            "",
            "",
        ],
    )
    for attr, groups in ratings.breakdowns.items():
        for label, g in groups.items():
            for k in g.key_questions.values():
                _write(w, _kq_csv_row(attr, label, k, "margin above 5 points" if k.flagged else ""))
            for s in g.standards.values():
                _write(
                    w,
                    [
                        attr,
                        label,
                        s.id,
                        "standard",
                        "",
                        "",
                        "",
                        "",
                        "",
                        s.lowest_kq_band or "",
                        s.rating or "",
                        "no",
                        "",
                    ],
                )
    return _csv(w)


def format_json(framework: Framework, ratings: Ratings) -> str:
    return json.dumps(ratings_to_dict(framework, ratings), indent=2) + "\n"
