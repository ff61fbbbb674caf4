"""Tables of an inspection's ratings, as the report lays them out.

Pure builders take a framework and a :class:`~workbook.ratings.Ratings` and return pandas
DataFrames (or their plain rows, for live views); nothing here computes a rating (that is
:mod:`workbook.ratings`). The writers (:mod:`workbook.report.writers`) put any mapping of named
tables into XLSX, CSV and Markdown files; the HTML templates render the same rows.

Small numbers: the tables take ``suppress_below``. A figure over fewer cases than that is
replaced by the words "fewer than N cases" and its numbers are removed from the table (not
hidden), so no export or chart built from it can reveal them. Complementary suppression
(:func:`~workbook.disclosure.complement`): where the
hidden groups of a key question hold fewer cases than that between them, the next smallest
group is hidden as well, so no hidden figure is the whole sample's minus the others'
(:mod:`workbook.disclosure`, the one implementation of the rule). A standard
with a hidden key question shows no rating, and then the overall points (which would give it
away) are not shown either.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..disclosure import PROTECTS, complement, fewer_than, hidden_text, too_few
from ..disclosure import is_small as _suppressed
from ..framework import Framework
from ..ratings import KQResult, Ratings, StandardResult

WHOLE_SAMPLE = "All cases"
DISCRETION_MARK = "*"
MARGIN_MARK = "†"


def pct_text(pct: int | None) -> str:
    """A percentage as reports print it ("81%"), or an empty string without answers."""
    return "" if pct is None else f"{pct}%"


def hidden_standards(
    framework: Framework, ratings: Ratings, suppress_below: int | None
) -> tuple[str, ...]:
    """The case-rated standards whose whole-sample rating is not shown: a key question of theirs
    rests on fewer than ``suppress_below`` cases."""
    return tuple(
        std.id
        for std in framework.standards
        if std.rated_from == "cases"
        and any(
            _suppressed(ratings.key_questions[q.id].n, suppress_below) for q in std.key_questions
        )
    )


def overall_not_shown(hidden: Sequence[str], suppress_below: int | None) -> str:
    """Why the overall rating and points are not shown (they would reveal a hidden rating)."""
    which = ", ".join(hidden)
    return (
        f"not shown: it would reveal the rating of {which}, which rests on "
        f"{fewer_than(suppress_below)}"
    )


# -- summary of ratings ------------------------------------------------------------------------


def summary_table(
    framework: Framework, ratings: Ratings, suppress_below: int | None = None
) -> pd.DataFrame:
    """The report's "Summary of ratings": each domain's standards with their ratings, the
    overall rating last. A standard rated by professional discretion (or judged, in domain one)
    carries a footnote number in ``mark``; the footnotes are in ``table.attrs["footnotes"]``.
    With ``suppress_below``, a standard with a key question over fewer cases than that has the
    words "fewer than N cases" for its rating, and the overall rating and points are not shown.
    """
    hidden = hidden_standards(framework, ratings, suppress_below)
    rows = []
    footnotes: list[str] = []
    for domain in framework.domains:
        for std in domain.standards:
            s: StandardResult = ratings.standards[std.id]
            mark, reason = "", ""
            if s.discretion is not None:
                footnotes.append(
                    f"In arriving at the rating for {std.label}, the inspectors exercised "
                    f"professional discretion: {s.discretion.reason}"
                )
                mark, reason = str(len(footnotes)), s.discretion.reason
            elif s.judged is not None:
                reason = s.judged.reason
            rows.append(
                {
                    "domain": f"{domain.id}. {domain.name}",
                    "standard": std.id,
                    "name": std.name,
                    "rating": fewer_than(suppress_below)
                    if std.id in hidden
                    else (s.rating or "not yet rated"),
                    "mark": mark,
                    "rated_from": "judgement" if s.rated_from == "judgement" else "cases",
                    "reason": reason,
                }
            )
    overall = ratings.overall
    rows.append(
        {
            "domain": "Overall",
            "standard": "",
            "name": overall_not_shown(hidden, suppress_below)
            if hidden
            else f"{overall.points} of {overall.max_points} points over {overall.n_standards} standards",
            "rating": "not shown" if hidden else (overall.rating or "not yet rated"),
            "mark": "",
            "rated_from": "points",
            "reason": ("waiting for " + ", ".join(overall.missing)) if overall.missing else "",
        }
    )
    table = pd.DataFrame(rows)
    table.attrs["title"] = "Summary of ratings"
    table.attrs["footnotes"] = footnotes
    return table


# -- Annex 2 -----------------------------------------------------------------------------------


def annex_table(
    framework: Framework, ratings: Ratings, suppress_below: int | None = None
) -> pd.DataFrame:
    """Annex 2 style: each case-rated standard with its headline and rating, then each of its
    key questions with its text, percentage as printed, band and number of cases. With
    ``suppress_below``, a key question over fewer cases than that has the words "fewer than N
    cases" and no band or number, and its standard no rating."""
    hidden = hidden_standards(framework, ratings, suppress_below)
    rows = []
    footnotes: list[str] = []
    for std in framework.standards:
        if std.rated_from != "cases":
            continue
        s = ratings.standards[std.id]
        mark = ""
        if s.discretion is not None:
            footnotes.append(f"{std.label}: professional discretion: {s.discretion.reason}")
            mark = str(len(footnotes))
        rows.append(
            {
                "item": std.id,
                "kind": "standard",
                "text": f"{std.name}. {std.headline}",
                "rating": fewer_than(suppress_below) if std.id in hidden else (s.rating or ""),
                "pct": "",
                "band": "",
                "n": pd.NA,
                "mark": mark,
            }
        )
        for q in std.key_questions:
            r = ratings.key_questions[q.id]
            small = _suppressed(r.n, suppress_below)
            rows.append(
                {
                    "item": q.id,
                    "kind": "key question",
                    "text": q.text,
                    "rating": "",
                    "pct": fewer_than(suppress_below) if small else pct_text(r.pct_rounded),
                    "band": "" if small else (r.band or ""),
                    "n": r.n if r.n and not small else pd.NA,
                    "mark": "",
                }
            )
    table = pd.DataFrame(rows)
    table["n"] = table["n"].astype("Int64")
    table.attrs["title"] = "Inspection results (Annex 2)"
    table.attrs["footnotes"] = footnotes
    return table


# -- groups (LDUs) -----------------------------------------------------------------------------


def _groups(ratings: Ratings, attribute: str | None):
    """(label, key-question results, standard results, cases) for the whole sample, then each group."""
    yield WHOLE_SAMPLE, ratings.key_questions, ratings.standards, None
    if attribute:
        if attribute not in ratings.breakdowns:
            raise ValueError(
                f"the ratings have no breakdown by {attribute!r}; rate with by=({attribute!r},)"
            )
        for label in sorted(ratings.breakdowns[attribute]):
            g = ratings.breakdowns[attribute][label]
            yield label, g.key_questions, g.standards, g.n_cases


def hidden_figures(
    framework: Framework,
    ratings: Ratings,
    attribute: str | None = "ldu",
    suppress_below: int | None = None,
) -> dict[tuple[str, str], str]:
    """(key question, group) -> why its figure is not shown ("fewer than 5 cases", or
    :data:`PROTECTS` for the complement), for the whole sample and each group. The whole sample
    is never the complement: it is the published figure. A figure over no cases in a group of
    fewer cases than the threshold is hidden like any small figure, with its complement
    (:func:`~workbook.disclosure.too_few`, the rule the dashboard's figures follow)."""
    if not suppress_below:
        return {}
    groups = list(_groups(ratings, attribute))
    cases = {label: n for label, _k, _s, n in groups if label != WHOLE_SAMPLE}
    whole_cases = sum(cases.values()) if cases else None
    out: dict[tuple[str, str], str] = {}
    for q in framework.rated_key_questions:
        whole = ratings.key_questions[q.id]
        if too_few(whole.n, suppress_below, whole_cases):
            out[q.id, WHOLE_SAMPLE] = fewer_than(suppress_below)
        sizes = {label: kqs[q.id].n for label, kqs, _s, _n in groups if label != WHOLE_SAMPLE}
        for label in complement(sizes, suppress_below, cases):
            out[q.id, label] = hidden_text(sizes[label], suppress_below, cases[label])
    return out


def standard_rows(
    framework: Framework,
    ratings: Ratings,
    attribute: str | None = "ldu",
    suppress_below: int | None = None,
) -> list[dict]:
    """The rows of :func:`standards_by_group_table` as plain dicts (for live views). A standard's
    cell is not shown in a group where any of its key questions' figures is not shown
    (:func:`hidden_figures`, complementary suppression included)."""
    hidden = hidden_figures(framework, ratings, attribute, suppress_below)
    rows = []
    for label, kqs, stds, n_cases in _groups(ratings, attribute):
        for std in framework.standards:
            if std.rated_from != "cases":
                continue
            s = stds[std.id]
            results = [kqs[q.id] for q in std.key_questions]
            answered = [r for r in results if r.n]
            deciding = [r for r in answered if r.band == s.lowest_kq_band] or answered
            low = min(deciding, key=lambda r: (r.pct, r.id)) if deciding else None
            discretion = label == WHOLE_SAMPLE and s.discretion is not None
            why = [hidden[q.id, label] for q in std.key_questions if (q.id, label) in hidden]
            suppressed = bool(why)
            row = {
                "standard": std.id,
                "name": std.name,
                "group": label,
                "rating": s.rating,
                "pct": None if low is None else low.pct_rounded,
                "n": None if low is None else low.n,
                "discretion": DISCRETION_MARK if discretion else "",
                "margin_flag": bool(any(r.flagged for r in answered)),
                "suppressed": suppressed,
                "cases": n_cases,
            }
            if suppressed:
                row.update(
                    rating=None,
                    pct=None,
                    n=None,
                    margin_flag=False,
                    text=fewer_than(suppress_below)
                    if fewer_than(suppress_below) in why
                    else PROTECTS,
                )
            elif s.rating is None:
                row["text"] = "no answers yet"
            else:
                row["text"] = (
                    f"{s.rating}{row['discretion']} {pct_text(row['pct'])} (n={row['n']})"
                    + (f" {MARGIN_MARK}" if row["margin_flag"] else "")
                )
            rows.append(row)
    return rows


def standards_by_group_table(
    framework: Framework,
    ratings: Ratings,
    attribute: str | None = "ldu",
    suppress_below: int | None = None,
) -> pd.DataFrame:
    """One row per case-rated standard and group (the whole sample first, then each LDU):
    rating, the percentage and number of cases of the key question that sets it, the discretion
    mark (whole sample only) and the margin flag (a breakdown whose margin of error exceeds five
    points). ``text`` is the cell as the board shows it. Suppressed figures carry no numbers."""
    return standards_frame(
        standard_rows(framework, ratings, attribute, suppress_below), attribute, suppress_below
    )


def standards_frame(
    rows: list[dict], attribute: str | None, suppress_below: int | None
) -> pd.DataFrame:
    """Standard rows as the standards-by-group DataFrame, with its title and footnotes."""
    table = pd.DataFrame(rows)
    for col in ("pct", "n", "cases"):
        table[col] = pd.array(table[col].tolist(), dtype="Int64")
    table["rating"] = table["rating"].astype("object").where(table["rating"].notna(), None)
    table.attrs["title"] = f"Standards by {attribute or 'sample'}"
    table.attrs["footnotes"] = standards_notes(suppress_below)
    return table


def standards_notes(suppress_below: int | None = None) -> list[str]:
    """The legend of the standards-by-group table."""
    notes = [f"{DISCRETION_MARK} rated by professional discretion"]
    notes.append(f"{MARGIN_MARK} margin of error above 5 percentage points: read with care")
    if suppress_below:
        notes.append(f"figures over {fewer_than(suppress_below)} are not shown")
    return notes


def group_grid(table: pd.DataFrame) -> pd.DataFrame:
    """The standards-by-group table laid out wide: one row per standard, one column of cell
    text per group (the whole sample first)."""
    order = list(dict.fromkeys(table["group"]))
    grid = table.pivot(index=["standard", "name"], columns="group", values="text")[order]
    grid = grid.reset_index()
    grid.columns.name = None
    grid.attrs = dict(table.attrs)
    return grid


def _kq_row(r: KQResult, label: str, hidden: str | None) -> dict:
    row = {
        "kq": r.id,
        "standard": r.standard,
        "group": label,
        "yes": r.yes,
        "no": r.no,
        "not_applicable": r.not_applicable,
        "n": r.n,
        "pct": r.pct_rounded,
        "pct_exact": r.pct,
        "band": r.band,
        "ci80_lo": None if r.ci80 is None else r.ci80[0],
        "ci80_hi": None if r.ci80 is None else r.ci80[1],
        "flagged": bool(r.flagged),
        "suppressed": False,
        "note": "" if r.n else "no answers yet",
    }
    if hidden:
        for key in (
            "yes",
            "no",
            "not_applicable",
            "n",
            "pct",
            "pct_exact",
            "band",
            "ci80_lo",
            "ci80_hi",
        ):
            row[key] = None
        row.update(suppressed=True, flagged=False, note=hidden)
    return row


def kq_rows(
    framework: Framework,
    ratings: Ratings,
    attribute: str | None = "ldu",
    suppress_below: int | None = None,
) -> list[dict]:
    """The rows of :func:`kq_figures` as plain dicts (for live views)."""
    hidden = hidden_figures(framework, ratings, attribute, suppress_below)
    return [
        _kq_row(kqs[q.id], label, hidden.get((q.id, label)))
        for label, kqs, _stds, _n in _groups(ratings, attribute)
        for q in framework.rated_key_questions
    ]


def kq_figures(
    framework: Framework,
    ratings: Ratings,
    attribute: str | None = "ldu",
    suppress_below: int | None = None,
) -> pd.DataFrame:
    """Tidy figures: one row per key question and group (the whole sample, then each LDU) with
    counts, the percentage as printed, the exact percentage, band and 80% interval. A figure over
    fewer than ``suppress_below`` cases, and its complement (:func:`hidden_figures`), has its
    numbers removed and ``suppressed`` set."""
    return figures_frame(kq_rows(framework, ratings, attribute, suppress_below))


def figures_frame(rows: list[dict]) -> pd.DataFrame:
    """Key-question rows as the tidy figures DataFrame."""
    table = pd.DataFrame(rows)
    for col in ("yes", "no", "not_applicable", "n", "pct"):
        table[col] = pd.array(table[col].tolist(), dtype="Int64")
    for col in ("pct_exact", "ci80_lo", "ci80_hi"):
        table[col] = pd.array(table[col].tolist(), dtype="Float64")
    table["band"] = table["band"].astype("object").where(table["band"].notna(), None)
    table.attrs["title"] = "Key questions"
    return table


# -- the ratings table (command line and Markdown) -----------------------------------------------


def ratings_rows(framework: Framework, ratings: Ratings) -> tuple[list[list[str]], list[str]]:
    """Rows of the ratings table and its footnotes.

    Each row is (kind, id, text, yes, no, n/a, n, %, band or rating) as text, kind one of
    ``domain``, ``standard``, ``kq`` and ``overall``; a standard rated by professional
    discretion carries its footnote number ("Good [1]"), one judged from evidence "(judged)".
    """
    rows: list[list[str]] = []
    notes: list[str] = []
    for domain in framework.domains:
        rows.append(["domain", domain.id, domain.name, "", "", "", "", "", ""])
        for s in domain.standards:
            rows.append(_standard_row(s, ratings.standards[s.id], notes))
            if s.rated_from != "cases":
                continue
            for q in s.key_questions:
                rows.append(_ratings_kq_row(q, ratings.key_questions[q.id]))
    o = ratings.overall
    overall = o.rating or f"not rated yet (missing: {', '.join(o.missing)})"
    text = f"Overall: {o.points} of {o.max_points} points"
    rows.append(["overall", "overall", text, "", "", "", "", "", overall])
    return rows, notes


def _standard_row(std, r: StandardResult, notes: list[str]) -> list[str]:
    rating = r.rating or "not rated yet"
    if r.discretion:
        notes.append(
            f"{std.id}: professional discretion (lowest key-question band: "
            f"{r.lowest_kq_band or 'none'}): {r.discretion.reason}"
        )
        rating += f" [{len(notes)}]"
    elif r.judged:
        rating += " (judged)"
    return ["standard", std.id, std.name, "", "", "", "", "", rating]


def _ratings_kq_row(q, k: KQResult) -> list[str]:
    pct = "" if k.pct_rounded is None else str(k.pct_rounded)
    counts = [str(k.yes), str(k.no), str(k.not_applicable), str(k.n)]
    return ["kq", q.id, q.text, *counts, pct, k.band or "no answers"]


def breakdown_rows(
    framework: Framework, ratings: Ratings
) -> list[tuple[str, list[str], list[list[str]]]]:
    """For each breakdown of ``ratings``: (attribute, column labels "LDU (31 cases)", rows).

    A row is a case-rated standard (its rating in each group, "-" without one) or one of its
    key questions, indented ("62% Good (n=31)", " *" where the margin of error is above five
    points, "-" without answers).
    """
    out = []
    for attr, groups in ratings.breakdowns.items():
        labels = list(groups)
        body = []
        for s in framework.standards:
            if s.rated_from != "cases":
                continue
            body.append([s.id, *[(groups[g].standards[s.id].rating or "-") for g in labels]])
            for q in s.key_questions:
                cells = [_group_cell(groups[g].key_questions[q.id]) for g in labels]
                body.append([f"  {q.id}", *cells])
        out.append((attr, [f"{g} ({groups[g].n_cases} cases)" for g in labels], body))
    return out


def _group_cell(k: KQResult) -> str:
    if k.n == 0:
        return "-"
    return f"{k.pct_rounded}% {k.band} (n={k.n}){' *' if k.flagged else ''}"
