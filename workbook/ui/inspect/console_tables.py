"""The tables of the lead inspector's console (:class:`~workbook.ui.inspect.console.LeadConsole`),
built from what the store returns; no widget, no store call. Each table is a dict for the
``inspect/console/section.html.j2`` template: a key, a caption, its columns, rows of cells (the
first the row header; a flag in words where a row is flagged) and the sentence shown when it has
no rows. People are shown as :func:`person_words` does (a local assessor marked so).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

import pandas as pd

from ...rater_spread import rater_spread
from ...store.review import CASE_STANDARD
from ...store.review import NOT_ALLOCATED as NOBODY
from ...store.team import ANSWERING, label

ANSWER_WORDS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable", None: "no answer"}
NOT_ALLOCATED = "not allocated"
PROGRESS_COLUMNS = (
    "Cases|Allocated|In progress|Complete|Quality assured|Locked|Key questions answered".split("|")
)
FIGURE_COLUMNS = "Pairs|Agree|Percent|Kappa|Kappa 95% interval|AC1|AC1 95% interval".split("|")


# -- words ---------------------------------------------------------------------------------------


def person_words(person: str | None, roles: dict[str, str], empty: str = NOT_ALLOCATED) -> str:
    """A person as tables show them: ``carol (local assessor)``; ``empty`` for nobody."""
    if not person:
        return empty
    return f"{person} (local assessor)" if roles.get(person) == "local_assessor" else person


def age_words(at: datetime | None, moment: datetime) -> str:
    """How long ago ``at`` was, in words: ``just now``, ``5 minutes``, ``3 hours``, ``2 days``."""
    if at is None:
        return ""
    seconds = max(0.0, (moment - at).total_seconds())
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return "just now"


def figure(value, digits: int = 2) -> str:
    """A statistic in words ('not defined' where it is None)."""
    return "not defined" if value is None else f"{value:.{digits}f}"


def interval(coefficient) -> str:
    """A coefficient's 95% interval in words ('none' without one)."""
    if coefficient.ci95 is None:
        return "none"
    low, high = coefficient.ci95
    return f"{low:.2f} to {high:.2f}"


def _table(
    key: str, caption: str, columns: list[str], rows: list, empty: str, folded: bool = False
) -> dict:
    """A table for the section template (``folded``: inside a closed disclosure)."""
    return dict(key=key, caption=caption, columns=columns, rows=rows, empty=empty, folded=folded)


def _row(cells, flag: str | None = None) -> dict:
    return {"cells": [str(c) for c in cells], "flag": flag}


# -- progress ------------------------------------------------------------------------------------


def _counts(works) -> list:
    tally = Counter(w.status for w in works)
    answered = sum(w.answered for w in works)
    applicable = sum(w.applicable for w in works)
    return [
        len(works),
        sum(1 for w in works if w.allocated_to),
        tally["in_progress"],
        tally["complete"],
        tally["quality_assured"],
        tally["locked"],
        f"{answered} of {applicable}",
    ]


def progress_tables(framework, cases: pd.DataFrame, work: dict, roles: dict) -> list[dict]:
    """The progress tables: by inspector, LDU, sample and standard (one row per group)."""
    facts = {str(r.case_id): r for r in cases.itertuples(index=False)}
    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for case_id, w in work.items():
        case = facts.get(case_id)
        sample = str(getattr(case, "sample", "") or "")
        groups["inspector"][person_words(w.allocated_to, roles)].append(w)
        groups["ldu"][str(getattr(case, "ldu", "") or "not recorded")].append(w)
        groups["sample"][framework.samples.get(sample, sample or "not recorded")].append(w)
        for std in framework.standards_for_sample(sample) if sample else ():
            if std.rated_from == "cases":
                groups["standard"][std.label].append(w)
    order = {"inspector": [person_words(p, roles) for p in roles if roles[p] in ANSWERING]}
    order["standard"] = [s.label for s in framework.standards]
    tables = []
    for key, title, head in (
        ("inspector", "inspector", "Inspector"),
        ("ldu", "LDU", "LDU"),
        ("sample", "sample", "Sample"),
        ("standard", "standard", "Standard"),
    ):
        named = groups[key]
        wanted = order.get(key, sorted(named))
        names = [n for n in wanted if n in named] + sorted(set(named) - set(wanted))
        if key == "inspector":  # every answering member, with or without cases
            names = [n for n in wanted if n not in named] + names
        rows = [_row([n, *_counts(named.get(n, []))]) for n in names]
        caption = f"Progress by {title}: cases at each step"
        tables.append(_table(f"progress-{key}", caption, [head, *PROGRESS_COLUMNS], rows, "none"))
    return tables


# -- queries and probes ----------------------------------------------------------------------------


def query_table(queries, work: dict, roles: dict, moment: datetime) -> dict:
    """The queries not yet resolved, oldest first."""
    rows = [
        _row(
            [
                q.case_id,
                q.question or "whole case",
                q.text,
                q.state,
                q.opened_by,
                person_words(getattr(work.get(q.case_id), "allocated_to", None), roles),
                age_words(q.opened_at, moment),
            ]
        )
        for q in sorted(queries, key=lambda q: (q.opened_at, q.id))
        if q.state != "resolved"
    ]
    columns = ["Case", "Key question", "Query", "State", "Opened by", "Case of", "Age"]
    return _table("queries", "Queries not yet resolved", columns, rows, "none")


def query_count_table(counts: pd.DataFrame, framework, roles: dict) -> dict:
    """Open, answered and resolved queries per inspector (the case's allocated person) and
    standard, from the store's ``query_counts``: the team's members in their order, then the
    standards in the framework's order, a query on a whole case last."""
    names = {s.id: s.label for s in framework.standards}
    team = {p: i for i, p in enumerate(roles)}
    places = {s.id: i for i, s in enumerate(framework.standards)}

    def order(r):
        person = None if r.inspector == NOBODY else r.inspector
        return (team.get(person, len(team)), person is None, str(person)) + (
            places.get(r.standard, len(places)),
            r.standard == CASE_STANDARD,
            r.standard,
        )

    rows = [
        _row(
            [
                person_words(None if r.inspector == NOBODY else r.inspector, roles),
                "whole case" if r.standard == CASE_STANDARD else names.get(r.standard, r.standard),
                int(r.open),
                int(r.answered),
                int(r.resolved),
            ]
        )
        for r in sorted(counts.itertuples(index=False), key=order)
    ]
    columns = ["Inspector", "Standard", "Open", "Answered", "Resolved"]
    return _table(
        "query-counts", "Queries by inspector and standard", columns, rows, "no queries yet"
    )


def probe_table(work: dict, roles: dict) -> dict:
    """The cases flagged "probe further", with the note."""
    rows = [
        _row([cid, person_words(w.allocated_to, roles), label(w.status), w.probe_note or ""])
        for cid, w in work.items()
        if w.probe
    ]
    columns = ["Case", "Inspector", "Status", "Note"]
    return _table("probes", 'Cases flagged "probe further"', columns, rows, "none flagged")


# -- rater spread and agreement ----------------------------------------------------------------------


def spread_tables(judgements: pd.DataFrame, work: dict, roles: dict) -> list[dict]:
    """Each inspector's share of Yes per key question (the flagged rows, then every row)."""
    frame = judgements[["case_id", "question", "answer", "inspector"]].copy()
    allocated = {cid: w.allocated_to for cid, w in work.items() if w.allocated_to}
    frame["inspector"] = [
        allocated.get(str(c), who)
        for c, who in zip(frame["case_id"], frame["inspector"], strict=True)
    ]
    spread = rater_spread(frame)
    columns = ["Key question", "Inspector", "Yes", "Share of Yes", "95% interval"]
    columns += ["Rest of the team", "Finding"]

    def row(r):
        share = "" if r.share is None else f"{r.share:.0f}%"
        ci = "" if r.ci95 is None else f"{r.ci95[0]:.0f}% to {r.ci95[1]:.0f}%"
        rest = "" if r.rest_share is None else f"{r.rest_share:.0f}% of {r.rest_n}"
        who = person_words(r.inspector, roles)
        finding = r.words.split(":")[0]
        return _row([r.question, who, f"{r.yes} of {r.n}", share, ci, rest, finding], r.flag)

    flagged = [row(r) for r in spread.flagged]
    every = [row(r) for r in spread.rows]
    return [
        _table(
            "spread-flagged",
            "Inspectors whose share of Yes lies outside the rest of the team's",
            columns,
            flagged,
            "nobody is flagged",
        ),
        _table(
            "spread",
            "Each inspector's share of Yes per key question",
            columns,
            every,
            "no answers",
            folded=True,
        ),
    ]


def _figures(name: str, t) -> dict:
    percent = "" if t.percent is None else f"{t.percent:.0f}%"
    return _row(
        [name, t.n, t.agree, percent, figure(t.kappa.value), interval(t.kappa)]
        + [figure(t.ac1.value), interval(t.ac1)]
    )


def agreement_tables(result, finals: dict) -> list[dict]:
    """The agreement per key question and overall, per rater pair, and the disagreements."""
    rows = [_figures(t.question, t) for t in result.questions]
    if result.questions:
        rows.append(_figures("All key questions", result.overall))
    pairs = [_figures(" and ".join(t.raters), t) for t in result.pairs]
    wrong = [
        _row(
            [
                d.case_id,
                d.question,
                f"{d.first_rater}: {ANSWER_WORDS.get(d.first, d.first)}",
                f"{d.second_rater}: {ANSWER_WORDS.get(d.second, d.second)}",
                _final_words(finals.get((d.case_id, d.question))),
            ]
        )
        for d in result.overall.disagreements
    ]
    return [
        _table(
            "agreement",
            "Second-rating agreement per key question",
            ["Key question", *FIGURE_COLUMNS],
            rows,
            "no second ratings yet",
        ),
        _table(
            "agreement-pairs",
            "Second-rating agreement per pair of raters",
            ["Raters", *FIGURE_COLUMNS],
            pairs,
            "no second ratings yet",
        ),
        _table(
            "disagreements",
            "Disagreements between first and second ratings",
            ["Case", "Key question", "First rating", "Second rating", "Adjudicated"],
            wrong,
            "none",
        ),
    ]


def _final_words(final) -> str:
    if final is None:
        return "not yet"
    answer, by, reason = final
    return f"{ANSWER_WORDS.get(answer, answer)}, by {by}: {reason}"


def adjudicated_finals(adjudications: pd.DataFrame) -> dict:
    """(case, question) -> (final answer, by, reason) of the last adjudication."""
    return {
        (str(r.case_id), str(r.question)): (r.final, r.by, r.reason)
        for r in adjudications.itertuples(index=False)
    }
