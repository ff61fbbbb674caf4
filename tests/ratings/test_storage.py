"""The tally does not depend on how pandas stores strings: numpy objects, Python strings and
Arrow strings give the same counts, and Arrow strings are not turned back into Python objects
row by row."""

from collections import Counter

import numpy as np
import pandas as pd
import pyarrow  # noqa: F401  (a test dependency: the Arrow storage is tested, never skipped)
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas.core.arrays.arrow.array import ArrowExtensionArray

from workbook.files import load_framework
from workbook.framework import ANSWERS
from workbook.ratings.tally import NOT_RECORDED, tally_judgements

CRC = load_framework("hmip-2018-crc")
KQS = [q.id for q in CRC.rated_key_questions]
STORAGES = (
    object,
    "string[python]",
    "string[pyarrow]",
    "category",
)  # category: codes a store can hand over

case_ids = st.sampled_from(["a", "b", "c", "d", "zz"])  # "zz" is not in the case list
judgement = st.tuples(case_ids, st.sampled_from(KQS[:6]), st.sampled_from(ANSWERS))
ldu = st.sampled_from(["North", "South", " North ", "", None])


def _frames(rows, ldus, storage):
    judgements = pd.DataFrame(rows, columns=["case_id", "question", "answer"], dtype=object)
    cases = pd.DataFrame({"case_id": ["a", "b", "c", "d"], "ldu": ldus}, dtype=object)
    return judgements.astype(storage), cases.astype(storage)


def _as_plain(tally):
    gc = tally.breakdowns["ldu"]
    return (
        tally.counts.tolist(),
        gc.labels,
        gc.counts.tolist(),
        gc.case_counts,
        {k: str(v) for k, v in tally.case_groups["ldu"].items()},
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(judgement, max_size=40), st.lists(ldu, min_size=4, max_size=4))
def test_every_string_storage_gives_the_same_tally(rows, ldus):
    tallies = [
        _as_plain(tally_judgements(CRC, *_frames(rows, ldus, s), by=("ldu",))) for s in STORAGES
    ]
    assert all(t == tallies[0] for t in tallies)
    counts = Counter((q, a) for _, q, a in rows)
    expected = [[counts[(q, a)] for a in ANSWERS] for q in KQS]
    assert tallies[0][0] == expected
    groups = {c: (v or "").strip() or NOT_RECORDED for c, v in zip("abcd", ldus, strict=True)}
    per_group = Counter((groups.get(c, NOT_RECORDED), q, a) for c, q, a in rows)
    labels = tallies[0][1]
    assert tallies[0][2] == [[[per_group[(g, q, a)] for a in ANSWERS] for q in KQS] for g in labels]


@pytest.mark.parametrize("storage", STORAGES)
def test_an_unknown_answer_is_refused_in_every_storage(storage):
    judgements, cases = _frames([("a", KQS[0], "yes"), ("a", KQS[1], "maybe")], [None] * 4, storage)
    with pytest.raises(ValueError, match="unknown key question or answer in judgements"):
        tally_judgements(CRC, judgements, cases, by=("ldu",))


def test_arrow_strings_are_not_converted_row_by_row(monkeypatch):
    n = 20_000
    rng = np.random.default_rng(3)
    judgements = pd.DataFrame(
        {
            "case_id": [f"C{i % 500:04d}" for i in range(n)],
            "question": rng.choice(KQS, n),
            "answer": rng.choice(ANSWERS, n),
        }
    ).astype("string[pyarrow]")
    cases = pd.DataFrame(
        {"case_id": [f"C{i:04d}" for i in range(500)], "ldu": ["North", "South"] * 250}
    ).astype("string[pyarrow]")
    converted = []
    to_numpy = ArrowExtensionArray.to_numpy

    def counting(self, *args, **kwargs):
        converted.append(len(self))
        return to_numpy(self, *args, **kwargs)

    monkeypatch.setattr(ArrowExtensionArray, "to_numpy", counting)
    tally = tally_judgements(CRC, judgements, cases, by=("ldu",))
    assert int(tally.counts.sum()) == n
    assert max(converted, default=0) <= 500, converted  # the distinct values, never the rows
