"""The small-numbers rule: which figures an aggregate view may show.

To protect the people in a sample, no figure over fewer cases than the threshold
(``suppress_below``, the ``WORKBOOK_SUPPRESSION`` setting, 5 by default) is shown: it is
replaced by the words "fewer than 5 cases" and its numbers are removed, not hidden.

Complementary suppression (:func:`complement`): where the hidden groups of a figure hold fewer
cases than the threshold between them, the next smallest group is hidden as well (its words:
:data:`PROTECTS`), so no hidden figure is the whole sample's minus the others'. Groups with no
cases are neither hidden nor used as the complement.

This is the one implementation of the rule, used by the inspectors' board, the dashboard, the
static site and the exports. Pure: pandas in, pandas out, nothing read or written.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

PROTECTS = "not shown (protects a small group)"


def fewer_than(n: int | None) -> str:
    """The words that replace a figure over too few cases.

    Parameters
    ----------
    n : int
        The threshold.

    Returns
    -------
    str
        ``"fewer than 5 cases"`` for 5.
    """
    return f"fewer than {n} cases"


def is_small(n: int | None, suppress_below: int | None) -> bool:
    """Whether a figure over ``n`` cases is too small to show.

    Parameters
    ----------
    n : int or None
        The number of cases behind the figure (None or 0: no figure at all).
    suppress_below : int or None
        The threshold; None or 0 shows every figure.

    Returns
    -------
    bool
        True when ``0 < n < suppress_below``.
    """
    return bool(suppress_below) and n is not None and 0 < n < suppress_below


def too_few(n: int | None, suppress_below: int | None, cases: int | None = None) -> bool:
    """Whether a figure over ``n`` cases, in a group of ``cases`` cases, may not be shown.

    The one rule: a figure over fewer than ``suppress_below`` cases, and a figure over no cases
    in a group of fewer than ``suppress_below`` cases (its "no answers" would tell that every
    one of the group's cases was not applicable).

    Parameters
    ----------
    n : int or None
        The cases behind the figure.
    suppress_below : int or None
        The threshold; None or 0 shows every figure.
    cases : int or None, optional
        The cases in the group; None when not known (then only ``n`` counts).

    Returns
    -------
    bool
        True when the figure is not shown for its own sake (not as a complement).
    """
    return is_small(n, suppress_below) or (not n and is_small(cases, suppress_below))


def complement(
    sizes: Mapping[str, int | None],
    suppress_below: int | None,
    cases: Mapping[str, int | None] | None = None,
) -> set[str]:
    """Which of some groups' figures to hide, given the number of cases behind each.

    Those over fewer than ``suppress_below`` cases and, while the hidden ones hold fewer than
    that between them, the next smallest of the others (by cases, then name). So subtracting
    the shown figures from the total never reveals a figure over fewer than ``suppress_below``
    cases.

    Parameters
    ----------
    sizes : mapping of str to int or None
        Group -> cases behind its figure. Groups with no cases are neither hidden nor used as
        the complement.
    suppress_below : int or None
        The threshold; None or 0 hides nothing.
    cases : mapping of str to int or None, optional
        Group -> cases in the group. A figure over no cases in a group of fewer than
        ``suppress_below`` cases is hidden like any small figure: "no answers" there would tell
        that every one of its cases was not applicable.

    Returns
    -------
    set of str
        The groups whose figures are not shown.
    """
    cases = cases or {}
    hidden = {k for k, n in sizes.items() if too_few(n, suppress_below, cases.get(k))}
    rest = sorted((n, k) for k, n in sizes.items() if k not in hidden and n)
    while hidden and rest and sum(sizes[k] or 0 for k in hidden) < suppress_below:
        hidden.add(rest.pop(0)[1])
    return hidden


def hidden_text(n: int | None, suppress_below: int, cases: int | None = None) -> str:
    """Why a hidden figure is not shown: too few cases, or it protects another group.

    Parameters
    ----------
    n : int or None
        The cases behind the hidden figure.
    suppress_below : int
        The threshold.
    cases : int or None, optional
        The cases in the group: a figure over no cases in a small group is "fewer than".

    Returns
    -------
    str
        :func:`fewer_than` the threshold, or :data:`PROTECTS`.
    """
    return fewer_than(suppress_below) if too_few(n, suppress_below, cases) else PROTECTS


def suppress_counts(counts: pd.DataFrame, suppress_below: int) -> pd.DataFrame:
    """Counts of cases per value, with the small ones (and their complement) removed.

    Parameters
    ----------
    counts : DataFrame
        Columns ``value`` and ``cases`` (whole numbers).
    suppress_below : int
        The threshold.

    Returns
    -------
    DataFrame
        ``value``, ``cases`` (missing where suppressed), ``text`` ("12 (40%)", or why it is
        not shown) and ``suppressed``.
    """
    out = counts.copy()
    hidden = complement(
        {str(v): int(c) for v, c in zip(out["value"], out["cases"], strict=True)}, suppress_below
    )
    small = [str(v) in hidden for v in out["value"]]
    total = int(out["cases"].sum())
    texts, shown = [], []
    for hide, c in zip(small, out["cases"], strict=True):
        if hide:
            texts.append(fewer_than(suppress_below) if c < suppress_below else PROTECTS)
            shown.append(None)
        else:
            texts.append(f"{int(c)} ({100 * c / total:.0f}%)" if total else str(int(c)))
            shown.append(int(c))
    out["cases"] = pd.array(shown, dtype="Int64")
    out["text"] = texts
    out["suppressed"] = small
    return out.reset_index(drop=True)
