"""Counting answers: a tally per key question, overall and per breakdown group.

:func:`tally_judgements` counts every answer once into numpy arrays: Yes, No and Not
applicable per key question, and the same per group of each case attribute a breakdown is by
(LDU, gender, ...). A case with no value for the attribute counts as *not recorded*.
:meth:`Tally.with_change` returns a new tally with one judgement changed, so the ratings can
be updated without counting again (:func:`workbook.ratings.update_ratings`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ..framework import ANSWERS, Framework
from ..judgements import Judgement

__all__ = ["NOT_RECORDED", "GroupCounts", "Tally", "tally_judgements"]

NOT_RECORDED = "not recorded"  # the group of a case with no value for the attribute


@dataclass(frozen=True)
class GroupCounts:
    """Answer counts of every group of one breakdown, with the groups' case counts."""

    labels: tuple[str, ...]
    counts: np.ndarray  # (groups, key questions, 3 answers)
    case_counts: tuple[int, ...]


@dataclass(frozen=True)
class Tally:
    """Answer counts per key question, overall and per breakdown group."""

    kq_ids: tuple[str, ...]
    counts: np.ndarray  # (key questions, 3): yes, no, not_applicable
    breakdowns: Mapping[str, GroupCounts] = field(default_factory=dict)
    case_groups: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def index(self) -> dict[str, int]:
        """The row of each key question in ``counts``."""
        return {k: i for i, k in enumerate(self.kq_ids)}

    def with_change(self, case_id: str, question: str, old: str | None, new: str | None) -> Tally:
        """A new tally with one judgement changed from ``old`` to ``new`` (None: no answer)."""
        if old == new:
            return self
        q = self.kq_ids.index(question)
        counts = self.counts.copy()
        delta = np.zeros(3, dtype=counts.dtype)
        if old is not None:
            delta[ANSWERS.index(old)] -= 1
        if new is not None:
            delta[ANSWERS.index(new)] += 1
        counts[q] += delta
        breakdowns = {}
        for attr, gc in self.breakdowns.items():
            label = self.case_groups.get(attr, {}).get(case_id, NOT_RECORDED)
            labels, gcounts, case_counts = gc.labels, gc.counts, gc.case_counts
            if label not in labels:
                labels = labels + (label,)
                gcounts = np.concatenate(
                    [gcounts, np.zeros((1,) + gcounts.shape[1:], gcounts.dtype)]
                )
                case_counts = case_counts + (1,)
            else:
                gcounts = gcounts.copy()
            gcounts[labels.index(label), q] += delta
            breakdowns[attr] = GroupCounts(labels, gcounts, case_counts)
        return replace(self, counts=counts, breakdowns=breakdowns)


def _judgement_frame(judgements) -> pd.DataFrame:
    if isinstance(judgements, pd.DataFrame):
        return judgements
    rows = list(judgements)
    return pd.DataFrame(
        {
            "case_id": [j.case_id for j in rows],
            "question": [j.question for j in rows],
            "answer": [j.answer for j in rows],
        }
    )


def _codes(values: pd.Series, known: Sequence[str]) -> np.ndarray:
    """The position of each value in ``known``, -1 for a value not in it (or missing).

    The column is factorized once (hashing each string in its own storage: numpy objects,
    Python strings or Arrow), and only its few distinct values are looked up in ``known``, so
    no storage is converted back to Python objects row by row.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    lookup = pd.Index(list(known), dtype=object).get_indexer(
        pd.Index(np.asarray(uniques, dtype=object), dtype=object)
    )
    return _take(lookup, codes)


def _positions(case_ids: pd.Series, case_index: pd.Index) -> np.ndarray:
    """The row in ``case_index`` of each judgement's case, -1 for a case not listed.

    The ids are compared as text, as ``astype(str)`` renders them, after one factorize.
    """
    codes, uniques = pd.factorize(case_ids, use_na_sentinel=False)
    as_text = pd.Series(uniques).astype(str)
    lookup = case_index.get_indexer(pd.Index(np.asarray(as_text, dtype=object), dtype=object))
    return _take(lookup, codes)


def _take(lookup: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``lookup[codes]`` as int64, with -1 where the code is -1."""
    lookup = np.append(lookup.astype(np.int64), -1)  # code -1 picks the appended -1
    return lookup[codes]


def tally_judgements(
    framework: Framework,
    judgements: pd.DataFrame | Iterable[Judgement],
    cases: pd.DataFrame | None = None,
    by: Sequence[str] = (),
) -> Tally:
    """Count answers per key question, and per group of each case attribute in ``by``.

    Parameters
    ----------
    framework : Framework
        The framework whose case-rated key questions are counted.
    judgements : DataFrame or iterable of Judgement
        Columns case_id, question, answer (canonical answers, already validated).
    cases : DataFrame, optional
        case_id and the attributes named in ``by``; needed for a breakdown.
    by : sequence of str
        Case attributes to count by group, such as ``("ldu",)``.

    Returns
    -------
    Tally
        The counts.

    Raises
    ------
    ValueError
        If a judgement names an unknown key question or answer, a breakdown has no cases,
        or the cases lack an attribute of ``by``.
    """
    frame = _judgement_frame(judgements)
    kq_ids = tuple(q.id for q in framework.rated_key_questions)
    nq = len(kq_ids)
    q_codes = _codes(frame["question"], kq_ids)
    a_codes = _codes(frame["answer"], ANSWERS)
    if len(frame) and (q_codes.min() < 0 or a_codes.min() < 0):
        bad = (
            frame["question"][q_codes < 0].head(3).tolist()
            + frame["answer"][a_codes < 0].head(3).tolist()
        )
        raise ValueError(f"unknown key question or answer in judgements: {bad}")
    flat = q_codes * 3 + a_codes
    counts = np.bincount(flat, minlength=nq * 3).reshape(nq, 3)
    breakdowns: dict[str, GroupCounts] = {}
    case_groups: dict[str, dict[str, str]] = {}
    if by:
        if cases is None:
            raise ValueError("a breakdown needs the cases and their attributes")
        case_index = pd.Index(cases["case_id"].astype(str))
        pos = _positions(frame["case_id"], case_index)
        for attr in by:
            if attr not in cases.columns:
                raise ValueError(f"the cases have no attribute {attr!r}")
            values = (
                cases[attr]
                .astype("string")
                .fillna(NOT_RECORDED)
                .str.strip()
                .replace("", NOT_RECORDED)
            )
            g_codes_case, labels = pd.factorize(values, sort=True)
            labels = tuple(str(x) for x in labels)
            g = _take(g_codes_case, pos)
            if (g < 0).any():
                labels = labels + (NOT_RECORDED,) if NOT_RECORDED not in labels else labels
                g = np.where(g < 0, labels.index(NOT_RECORDED), g)
            ng = len(labels)
            gcounts = np.bincount(g * (nq * 3) + flat, minlength=ng * nq * 3).reshape(ng, nq, 3)
            case_counts = np.bincount(g_codes_case, minlength=ng)
            breakdowns[attr] = GroupCounts(labels, gcounts, tuple(int(c) for c in case_counts))
            case_groups[attr] = dict(zip(case_index.tolist(), values.tolist(), strict=True))
    return Tally(kq_ids, counts, breakdowns, case_groups)
