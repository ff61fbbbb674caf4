"""Counting answers: per key question and per breakdown group."""

import pandas as pd

from workbook.files import load_framework
from workbook.judgements import Judgement
from workbook.ratings.tally import NOT_RECORDED, tally_judgements

CRC = load_framework("hmip-2018-crc")


def test_tally_counts_per_group_add_up():
    cases = pd.DataFrame({"case_id": ["a", "b", "c"], "ldu": ["X", "Y", None]})
    js = [
        Judgement("a", "2.1.1", "yes"),
        Judgement("b", "2.1.1", "no"),
        Judgement("c", "2.1.1", "yes"),
        Judgement("z", "2.1.1", "no"),
    ]
    tally = tally_judgements(CRC, js, cases, by=("ldu",))
    gc = tally.breakdowns["ldu"]
    assert set(gc.labels) == {"X", "Y", NOT_RECORDED} == {"X", "Y", "not recorded"}
    assert gc.counts.sum(axis=0).tolist() == tally.counts.tolist()


def test_a_changed_judgement_gives_the_tally_a_recount_would():
    cases = pd.DataFrame({"case_id": ["a", "b"], "ldu": ["X", "Y"]})
    before = [Judgement("a", "2.1.1", "yes"), Judgement("b", "2.1.1", "no")]
    after = [Judgement("a", "2.1.1", "no"), Judgement("b", "2.1.1", "no")]
    tally = tally_judgements(CRC, before, cases, by=("ldu",))
    changed = tally.with_change("a", "2.1.1", "yes", "no")
    recount = tally_judgements(CRC, after, cases, by=("ldu",))
    assert changed.counts.tolist() == recount.counts.tolist()
    assert changed.breakdowns["ldu"].counts.tolist() == recount.breakdowns["ldu"].counts.tolist()
    assert tally.counts[tally.index["2.1.1"]].tolist() == [1, 1, 0]  # the input is not mutated
