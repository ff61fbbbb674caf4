"""The review from the command line: ``qa draw|list`` (the quality lead's dip sample),
``query open|reply|resolve|list|counts``, ``agreement`` (blind second ratings against the
first) and ``adjudicate`` (the lead inspector's final answer where the two differ).

The options are the team's commands' (:mod:`workbook.cli.team`): ``--db URL``, ``--inspector
WHO``; a refusal exits 2 naming its rule, a conflict exits 3.
"""

from __future__ import annotations

import dataclasses
import json

from ..errors import InputError, Problem
from ..reasons import Reason
from . import load_cli_settings
from .store import shown
from .team import (
    common,
    count,
    format_option,
    in_store,
    marked,
    refusals_named,
    table,
    team_roles,
    when,
    who,
    words,
)

QUERY_STATES = ("open", "answered", "resolved")


def register(sub) -> None:
    _register_qa(sub)
    _register_queries(sub)
    _register_agreement(sub)


def _register_qa(sub) -> None:
    qa = sub.add_parser(
        "qa",
        help="the quality lead's dip sample of complete cases: draw, list",
        description="Draw a dip sample of complete cases (seeded; at least --per-inspector of "
        "each inspector's where they have them, the rest spread across LDUs), or list it.",
    )
    qsub = qa.add_subparsers(dest="qa_command", metavar="ACTION", required=True)
    p = qsub.add_parser("draw", help="draw complete cases not yet in the dip sample")
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("--seed", type=int, required=True, metavar="S", help="the draw's seed")
    p.add_argument(
        "--size", type=int, default=None, metavar="N", help="cases to draw (WORKBOOK_QA_SIZE)"
    )
    p.add_argument(
        "--per-inspector",
        type=int,
        default=None,
        metavar="K",
        help="fewest of each inspector's cases (WORKBOOK_QA_PER_INSPECTOR)",
    )
    common(p)
    p.set_defaults(run=run_qa_draw)

    p = qsub.add_parser("list", help="the dip sample's cases, who has them and their status")
    p.add_argument("inspection", metavar="NAME")
    format_option(p)
    common(p, who=False)
    p.set_defaults(run=run_qa_list)


def _register_queries(sub) -> None:
    query = sub.add_parser(
        "query",
        help="quality-assurance queries: open, reply, resolve, list, counts",
        description="A query attaches to one judgement (--question) or a whole case. A quality "
        "lead or the lead inspector opens and resolves it; the case's inspector replies.",
    )
    qsub = query.add_subparsers(dest="query_command", metavar="ACTION", required=True)
    p = qsub.add_parser("open", help="open a query on a case or one of its judgements")
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("case_id", metavar="CASE")
    p.add_argument("--question", default=None, metavar="KQ", help="the key question queried")
    p.add_argument("--text", required=True, metavar="T", help="the query")
    common(p)
    p.set_defaults(run=run_query_open)

    p = qsub.add_parser("reply", help="reply to an open query")
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("query_id", metavar="ID")
    p.add_argument("--text", required=True, metavar="T", help="the reply")
    common(p)
    p.set_defaults(run=run_query_reply)

    p = qsub.add_parser("resolve", help="resolve an open or answered query")
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("query_id", metavar="ID")
    p.add_argument("--text", default="", metavar="T", help="the resolution")
    common(p)
    p.set_defaults(run=run_query_resolve)

    p = qsub.add_parser("list", help="the inspection's queries")
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("--state", choices=QUERY_STATES, default=None)
    p.add_argument("--case", default=None, metavar="ID", help="only this case's queries")
    format_option(p)
    common(p, who=False)
    p.set_defaults(run=run_query_list)

    p = qsub.add_parser(
        "counts",
        help="open, answered and resolved queries per inspector and standard",
        description="The queries counted per inspector (the case's allocated person) and "
        "standard (a query on a whole case counts under 'whole case').",
    )
    p.add_argument("inspection", metavar="NAME")
    format_option(p)
    common(p, who=False)
    p.set_defaults(run=run_query_counts)


def _register_agreement(sub) -> None:
    p = sub.add_parser(
        "agreement",
        help="second ratings against the first: per key question and per pair of raters",
        description="Percent agreement, Cohen's kappa and Gwet's AC1 with their 95% intervals, "
        "per key question and per pair of raters, and the list of disagreements.",
    )
    p.add_argument("inspection", metavar="NAME")
    format_option(p)
    common(p, who=False)
    p.set_defaults(run=run_agreement)

    p = sub.add_parser(
        "adjudicate",
        help="the lead inspector's final answer where the first and second ratings differ",
        description="Write the final answer of a key question where the first and second "
        "ratings differ; both originals and the reason are kept.",
    )
    p.add_argument("inspection", metavar="NAME")
    p.add_argument("case_id", metavar="CASE")
    p.add_argument("question", metavar="KQ")
    p.add_argument("answer", metavar="ANSWER", help="yes, no or not_applicable")
    p.add_argument("--reason", required=True, metavar="R", help="why this answer")
    common(p)
    p.set_defaults(run=run_adjudicate)


# -- the dip sample ------------------------------------------------------------------------------


@refusals_named
def run_qa_draw(args) -> int:
    settings = load_cli_settings()
    by = args.inspector or settings.inspector
    size = settings.qa_size if args.size is None else args.size
    per = settings.qa_per_inspector if args.per_inspector is None else args.per_inspector
    drawn = in_store(
        args,
        lambda s: s.draw_dip_sample(args.inspection, by, args.seed, size=size, per_inspector=per),
    )
    if not drawn:
        print(
            "0 cases drawn: every complete case is in the dip sample already, or none is complete"
        )
        return 0
    print(f"{count(len(drawn), 'case')} drawn: {', '.join(shown(c) for c in drawn)}")
    return 0


@refusals_named
def run_qa_list(args) -> int:
    def read(store):
        work = store.case_work(args.inspection)
        drawn = [work[c] for c in store.dip_sample(args.inspection) if c in work]
        return drawn, team_roles(store, args.inspection)

    works, roles = in_store(args, read, read_only=True)
    if args.format == "json":
        rows = [
            {
                "case_id": w.case_id,
                "allocated_to": w.allocated_to,
                "status": w.status,
                "open_queries": w.open_queries,
            }
            for w in works
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    table(
        ["case", "allocated to", "status", "open queries"],
        [
            [w.case_id, marked(w.allocated_to, roles), words(w.status), w.open_queries]
            for w in works
        ],
    )
    print(f"{count(len(works), 'case')} in the dip sample")
    return 0


# -- queries -------------------------------------------------------------------------------------


def query_number(value: str) -> int:
    """The query number ``value`` names; ``unknown_query`` when it is not a whole number."""
    try:
        return int(str(value).strip())
    except ValueError:
        raise InputError(
            Problem(
                Reason.UNKNOWN_QUERY,
                f"'{shown(value)}' is not a query number.",
                value=shown(value),
                allowed="the number `query list` shows, such as 1",
            )
        ) from None


def query_row(q) -> dict:
    """A query as plain values (the JSON of ``query list``)."""
    return {
        "id": q.id,
        "case_id": q.case_id,
        "question": q.question,
        "state": q.state,
        "text": q.text,
        "opened_by": q.opened_by,
        "opened_at": when(q.opened_at),
        "reply": q.reply,
        "replied_by": q.replied_by,
        "replied_at": when(q.replied_at),
        "resolution": q.resolution,
        "resolved_by": q.resolved_by,
        "resolved_at": when(q.resolved_at),
    }


def _on(q) -> str:
    return f"case {shown(q.case_id)}" + (f" {shown(q.question)}" if q.question else "")


@refusals_named
def run_query_open(args) -> int:
    by = who(args)
    q = in_store(
        args,
        lambda s: s.open_query(
            args.inspection, args.case_id, by, args.text, question=args.question
        ),
    )
    print(f"query {q.id} opened on {_on(q)}")
    return 0


@refusals_named
def run_query_reply(args) -> int:
    by, number = who(args), query_number(args.query_id)
    q = in_store(args, lambda s: s.reply_query(args.inspection, number, by, args.text))
    print(f"query {q.id} on {_on(q)}: {q.state}")
    return 0


@refusals_named
def run_query_resolve(args) -> int:
    by, number = who(args), query_number(args.query_id)
    q = in_store(args, lambda s: s.resolve_query(args.inspection, number, by, args.text or ""))
    print(f"query {q.id} on {_on(q)}: {q.state}")
    return 0


@refusals_named
def run_query_list(args) -> int:
    queries = in_store(
        args,
        lambda s: s.queries(args.inspection, case_id=args.case, state=args.state),
        read_only=True,
    )
    if args.format == "json":
        print(json.dumps([query_row(q) for q in queries], indent=2, ensure_ascii=False))
        return 0
    table(
        ["id", "case", "key question", "state", "opened by", "query", "reply", "resolution"],
        [
            [
                q.id,
                q.case_id,
                q.question or "(whole case)",
                q.state,
                q.opened_by,
                q.text,
                q.reply or "",
                q.resolution or "",
            ]
            for q in queries
        ],
    )
    print(count(len(queries), "query", "queries"))
    return 0


def query_count_rows(frame) -> list[dict]:
    """The store's ``query_counts`` as plain values (the JSON of ``query counts``): inspector
    (None for a case not allocated), standard (its id; None for a query on a whole case),
    open, answered, resolved; by inspector (a case not allocated last), then standard (a whole
    case last)."""
    from ..store.review import CASE_STANDARD, NOT_ALLOCATED

    rows = [
        {
            "inspector": None if r.inspector == NOT_ALLOCATED else r.inspector,
            "standard": None if r.standard == CASE_STANDARD else r.standard,
            **{state: int(getattr(r, state)) for state in QUERY_STATES},
        }
        for r in frame.itertuples(index=False)
    ]

    def order(row):
        person, standard = row["inspector"], row["standard"]
        return (person is None, person or "", standard is None, standard or "")

    return sorted(rows, key=order)


@refusals_named
def run_query_counts(args) -> int:
    def read(store):
        counts = store.query_counts(args.inspection)
        return query_count_rows(counts), team_roles(store, args.inspection)

    rows, roles = in_store(args, read, read_only=True)
    if args.format == "json":
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("0 queries: none has been opened (query open NAME CASE --text T)")
        return 0
    table(
        ["inspector", "standard", *QUERY_STATES],
        [
            [
                marked(r["inspector"], roles, "(not allocated)"),
                r["standard"] or "(whole case)",
                *(r[state] for state in QUERY_STATES),
            ]
            for r in rows
        ],
    )
    totals = [sum(r[state] for r in rows) for state in QUERY_STATES]
    print(
        f"{count(sum(totals), 'query', 'queries')}: "
        + ", ".join(f"{n} {state}" for n, state in zip(totals, QUERY_STATES, strict=True))
    )
    return 0


# -- agreement and adjudication ------------------------------------------------------------------


def agreement_json(store, name: str) -> dict:
    """The agreement of the inspection's second ratings as plain values: ``{"questions":
    [...], "raters": [...], "disagreements": [...]}``, each figure row ``question`` (or
    ``raters``), ``n``, ``agree``, ``percent``, ``kappa``, ``ac1``, ``kappa_ci95``,
    ``ac1_ci95``."""
    from ..agreement import agreement

    framework = store.framework(name)
    allowed = {q.id: q.allowed_answers for q in framework.rated_key_questions}
    result = agreement(store.rating_pairs(name), allowed)
    return {
        "questions": [t.as_json() for t in result.questions],
        "raters": [t.as_json() for t in result.pairs],
        "disagreements": [dataclasses.asdict(d) for d in result.overall.disagreements],
    }


def figure(value, digits: int = 3) -> str:
    """A statistic for the table: ``n/a`` where it is undefined."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def interval(value) -> str:
    if not value or value[0] is None or value[1] is None:
        return "n/a"
    return f"{value[0]:.3f} to {value[1]:.3f}"


def raters_words(value) -> str:
    if isinstance(value, (list, tuple)):
        return " and ".join(str(v) for v in value)
    return str(value)


def _figures(row: dict) -> list[str]:
    return [
        figure(row.get("n")),
        figure(row.get("agree")),
        figure(row.get("percent"), 1),
        figure(row.get("kappa")),
        interval(row.get("kappa_ci95")),
        figure(row.get("ac1")),
        interval(row.get("ac1_ci95")),
    ]


UNDEFINED = (
    "n/a: the figure cannot be computed (kappa where both raters put every case in one and "
    "the same category; an interval from fewer than two pairs)"
)
FIGURES = ["n", "agree", "percent", "kappa", "kappa 95% CI", "AC1", "AC1 95% CI"]


def _disagreement(d) -> str:
    if isinstance(d, dict) and {"case_id", "question", "first", "second"} <= set(d):
        return (
            f"case {shown(d['case_id'])} {shown(d['question'])}: "
            f"{shown(d.get('first_rater', 'first'))} {shown(d['first'])}, "
            f"{shown(d.get('second_rater', 'second'))} {shown(d['second'])}"
        )
    if isinstance(d, dict):
        return ", ".join(f"{k} {shown(v)}" for k, v in d.items())
    return shown(d, None)


@refusals_named
def run_agreement(args) -> int:
    result = in_store(args, lambda s: agreement_json(s, args.inspection), read_only=True)
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    questions, pairs = result["questions"], result["raters"]
    disagreements = result["disagreements"]
    if not questions:
        print("no second ratings yet: give a case a second rater (second-rater NAME CASE PERSON)")
        return 0
    table(["key question", *FIGURES], [[q["question"], *_figures(q)] for q in questions])
    print()
    table(["raters", *FIGURES], [[raters_words(p["raters"]), *_figures(p)] for p in pairs])
    print(UNDEFINED)
    print()
    print(count(len(disagreements), "disagreement"))
    for d in disagreements:
        print(f"- {_disagreement(d)}")
    return 0


@refusals_named
def run_adjudicate(args) -> int:
    by = who(args)
    result = in_store(
        args,
        lambda s: s.adjudicate(
            args.inspection, args.case_id, args.question, args.answer, args.reason, by
        ),
    )
    j = result.judgement
    print(
        f"case {shown(j.case_id)} {shown(j.question)}: final answer {words(j.answer)} "
        f"(version {j.version})"
    )
    return 0
