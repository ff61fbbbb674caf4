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


@dataclass(frozen=True)
class _Coded:
    """A column factorized once: a code per row (-1: missing) and its distinct values."""

    codes: np.ndarray
    uniques: np.ndarray  # as Python objects: only the distinct values are converted

    @classmethod
    def of(cls, values: pd.Series) -> _Coded:
        # factorize hashes each string in its own storage (numpy objects, Python strings or
        # Arrow); nothing is converted back to Python objects row by row
        codes, uniques = pd.factorize(values)
        return cls(codes.astype(np.int64, copy=False), np.asarray(uniques, dtype=object))

    def lookup(self, known: Sequence[str] | pd.Index) -> np.ndarray:
        """The position in ``known`` of each distinct value, -1 for one not in it."""
        return pd.Index(known, dtype=object).get_indexer(pd.Index(self.uniques, dtype=object))


@dataclass(frozen=True)
class _Pairs:
    """Each judgement's (question, answer) as one code over the distinct pairs in the column."""

    codes: np.ndarray
    q_pos: np.ndarray  # the framework's row of each distinct question
    a_pos: np.ndarray  # the answer's column of each distinct answer

    @property
    def n(self) -> int:
        return len(self.q_pos) * len(self.a_pos)

    def fold(self, raw: np.ndarray, nq: int) -> np.ndarray:
        """Counts per distinct pair (last axis) as counts per key question and answer."""
        lead = raw.shape[:-1]
        out = np.zeros(lead + (nq, len(ANSWERS)), dtype=np.int64)
        raw = raw.reshape(lead + (len(self.q_pos), len(self.a_pos)))
        index = (slice(None),) * len(lead) + (self.q_pos[:, None], self.a_pos[None, :])
        np.add.at(out, index, raw)
        return out


def _pairs(frame: pd.DataFrame, kq_ids: Sequence[str]) -> _Pairs:
    q, a = _Coded.of(frame["question"]), _Coded.of(frame["answer"])
    q_pos, a_pos = q.lookup(kq_ids), a.lookup(ANSWERS)
    if _any_unknown(q, q_pos) or _any_unknown(a, a_pos):
        q_rows, a_rows = _take(q_pos, q.codes), _take(a_pos, a.codes)
        bad = (
            frame["question"][q_rows < 0].head(3).tolist()
            + frame["answer"][a_rows < 0].head(3).tolist()
        )
        raise ValueError(f"unknown key question or answer in judgements: {bad}")
    return _Pairs(q.codes * len(a_pos) + a.codes, q_pos, a_pos)


def _any_unknown(column: _Coded, pos: np.ndarray) -> bool:
    """Whether a row is missing or holds a value that is not known (checked on the few
    distinct values, and on the codes only for a missing value)."""
    return bool((pos < 0).any() or (len(column.codes) and column.codes.min() < 0))


def _take(lookup: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``lookup[codes]`` as int64, with -1 where the code is -1."""
    lookup = np.append(lookup.astype(np.int64), -1)  # code -1 picks the appended -1
    return lookup[codes]


def _group_counts(
    values: pd.Series, case: _Coded, case_pos: np.ndarray, pairs: _Pairs, nq: int
) -> GroupCounts:
    """The counts per group of one attribute (``values``: one per listed case)."""
    g_codes_case, labels = pd.factorize(values, sort=True)
    labels = tuple(str(x) for x in labels)
    g_of_id = np.append(_take(g_codes_case, case_pos), -1)  # the last: a missing id
    if _any_unknown(case, g_of_id[:-1]):
        labels = labels + (NOT_RECORDED,) if NOT_RECORDED not in labels else labels
        g_of_id[g_of_id < 0] = labels.index(NOT_RECORDED)
    ng = len(labels)
    raw = np.bincount(g_of_id[case.codes] * pairs.n + pairs.codes, minlength=ng * pairs.n)
    gcounts = pairs.fold(raw.reshape(ng, pairs.n), nq)
    case_counts = np.bincount(g_codes_case, minlength=ng)
    return GroupCounts(labels, gcounts, tuple(int(c) for c in case_counts))


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
    pairs = _pairs(frame, kq_ids)
    breakdowns: dict[str, GroupCounts] = {}
    case_groups: dict[str, dict[str, str]] = {}
    if by:
        if cases is None:
            raise ValueError("a breakdown needs the cases and their attributes")
        case_index = pd.Index(cases["case_id"].astype(str))
        case = _Coded.of(frame["case_id"])
        # the ids compared as text, as astype(str) renders them; a missing id is not listed
        case_pos = case_index.get_indexer(pd.Index([str(x) for x in case.uniques], dtype=object))
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
            breakdowns[attr] = _group_counts(values, case, case_pos, pairs, nq)
            case_groups[attr] = dict(zip(case_index.tolist(), values.tolist(), strict=True))
    if breakdowns:  # every judgement is in one group of a breakdown: no second count
        counts = next(iter(breakdowns.values())).counts.sum(axis=0)
    else:
        counts = pairs.fold(np.bincount(pairs.codes, minlength=pairs.n), nq)
    return Tally(kq_ids, counts, breakdowns, case_groups)
