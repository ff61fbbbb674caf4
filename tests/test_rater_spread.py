"""Each inspector's share of Yes against the rest of the team: flags that must and must not be."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.errors import InputError
from workbook.rater_spread import COLUMNS, HARSHER, KINDER, MIN_N, rater_spread
from workbook.reasons import Reason


def answers(*groups):
    """Judgements from (inspector, question, yes, no, not applicable) counts."""
    rows = []
    for inspector, question, yes, no, na in groups:
        for answer in ["yes"] * yes + ["no"] * no + ["not_applicable"] * na:
            rows.append((f"C{len(rows) + 1:04d}", question, answer, inspector))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def test_a_much_harsher_inspector_is_flagged():
    spread = rater_spread(
        answers(("Ann", "1.1.1", 2, 18, 0), ("Bo", "1.1.1", 15, 5, 0), ("Cy", "1.1.1", 16, 4, 0))
    )
    ann = spread.share("1.1.1", "Ann")
    assert (ann.yes, ann.n, ann.share) == (2, 20, 10.0)
    # Wilson by hand, p = 0.1, n = 20, z = 1.96: centre (0.1 + 3.8415/40) / 1.19207 = 0.16445,
    # half-width 1.96 x sqrt(0.0045 + 0.0024009) / 1.19207 = 0.13659: 2.79% to 30.10%
    assert ann.ci95 == pytest.approx((2.79, 30.10), abs=0.01)
    assert (ann.rest_yes, ann.rest_n, ann.rest_share) == (31, 40, 77.5)
    assert ann.flag == HARSHER
    assert ann.words.startswith("harsher than the rest of the team (fewer Yes): 10% Yes of 20")
    assert spread.flagged[0] is ann


def test_a_much_kinder_inspector_is_flagged():
    spread = rater_spread(
        answers(("Ann", "2.1.1", 19, 1, 0), ("Bo", "2.1.1", 30, 20, 0), ("Cy", "2.1.1", 30, 20, 0))
    )
    ann = spread.share("2.1.1", "Ann")
    # 19 of 20: 76.4% to 99.1%, wholly above the rest's 60 of 100; Bo and Cy (30 of 50:
    # 46.2% to 72.4%) reach their rest's 49 of 70 = 70%
    assert ann.flag == KINDER and ann.ci95[0] > ann.rest_share == 60.0
    assert "kinder than the rest of the team (more Yes)" in ann.words
    assert [r.inspector for r in spread.flagged] == ["Ann"]


def test_an_inspector_whose_interval_reaches_the_rest_is_not_flagged():
    # Ann 10 Yes of 20: 29.9% to 70.1%, the rest 26 of 40 = 65%: inside; Bo 26 of 40:
    # 49.5% to 77.9%, the rest 50%: inside, so no flag either way
    spread = rater_spread(answers(("Ann", "1.1.1", 10, 10, 0), ("Bo", "1.1.1", 26, 14, 0)))
    ann = spread.share("1.1.1", "Ann")
    assert ann.ci95[0] < ann.rest_share == 65.0 < ann.ci95[1]
    assert ann.flag is None and ann.words.startswith("in line with the rest of the team")
    assert spread.flagged == ()


def test_nothing_is_flagged_below_the_minimum_n():
    # none of 4 is far from 40 of 40 (Wilson upper 49%), but 4 is below the minimum of 5
    judgements = answers(("Ann", "1.1.1", 0, 4, 3), ("Bo", "1.1.1", 40, 0, 0))
    assert MIN_N == 5
    ann = rater_spread(judgements).share("1.1.1", "Ann")
    assert ann.n == 4 and ann.ci95[1] < ann.rest_share and ann.flag is None
    assert ann.words.startswith("too few answers to compare (fewer than 5): 0% Yes of 4")
    assert rater_spread(judgements, min_n=4).share("1.1.1", "Ann").flag == HARSHER
    # the rest's n counts too: Bo's 40 of 40 (91.2% to 100%) is wholly above the rest's
    # 0 of 4, but the rest's 4 is below the minimum of 5
    bo = rater_spread(judgements).share("1.1.1", "Bo")
    assert bo.n == 40 and bo.ci95[0] > bo.rest_share == 0.0 and bo.flag is None
    assert rater_spread(judgements, min_n=4).share("1.1.1", "Bo").flag == KINDER


def test_not_applicable_and_missing_answers_count_in_neither_yes_nor_n():
    judgements = answers(("Ann", "1.1.1", 3, 1, 2), ("Bo", "1.1.1", 0, 0, 5))
    judgements.loc[len(judgements)] = ("C0099", "1.1.1", None, "Cy")
    spread = rater_spread(judgements)
    assert [r.inspector for r in spread.rows] == ["Ann", "Bo"]
    ann, bo = spread.rows
    assert (ann.yes, ann.n, ann.rest_n, ann.rest_share) == (3, 4, 0, None)
    assert ann.flag is None and "no answers from the rest of the team" in ann.words
    assert (bo.n, bo.share, bo.ci95, bo.flag) == (0, None, None, None)
    assert bo.words == "no Yes or No answers"


def test_rows_by_key_question_in_number_order_then_inspector():
    spread = rater_spread(
        answers(("Bo", "1.2.10", 1, 0, 0), ("Ann", "1.2.9", 1, 0, 0), ("Ann", "1.2.10", 0, 1, 0))
    )
    assert [(r.question, r.inspector) for r in spread.rows] == [
        ("1.2.9", "Ann"),
        ("1.2.10", "Ann"),
        ("1.2.10", "Bo"),
    ]
    frame = spread.frame()
    assert list(frame.columns[:4]) == ["question", "inspector", "yes", "n"]
    assert frame["words"].str.len().min() > 0
    first = spread.as_json()[1]
    assert first["question"] == "1.2.10" and first["rest_share"] == 100.0
    assert isinstance(first["ci95"], list) and spread.share("9.9.9", "Ann") is None


def test_bad_input_names_the_column_and_the_rule():
    with pytest.raises(InputError) as missing:
        rater_spread(pd.DataFrame({"case_id": ["C1"], "answer": ["yes"]}))
    assert {p.column for p in missing.value.problems} == {"question", "inspector"}
    assert set(missing.value.codes) == {Reason.MISSING_COLUMN}
    judgements = answers(("Ann", "1.1.1", 2, 0, 0))
    judgements.loc[0, "answer"] = "perhaps"
    judgements.loc[1, "inspector"] = ""
    with pytest.raises(InputError) as bad:
        rater_spread(judgements)
    assert bad.value.codes == [Reason.UNKNOWN_ANSWER, Reason.EMPTY_VALUE]
    assert {p.column for p in bad.value.problems} == {"answer", "inspector"}
    for min_n in (0, 2.5, True):
        with pytest.raises(InputError) as wrong:
            rater_spread(answers(("Ann", "1.1.1", 1, 0, 0)), min_n=min_n)
        assert wrong.value.codes == [Reason.BAD_ARGUMENT]


counts = st.tuples(st.integers(0, 30), st.integers(0, 30), st.integers(0, 3))
team = st.lists(counts, min_size=1, max_size=4)


@settings(max_examples=80, deadline=None)
@given(team, st.integers(1, 10))
def test_a_flag_means_the_interval_lies_wholly_outside_the_rest(groups, min_n):
    names = ["Ann", "Bo", "Cy", "Di"]
    spread = rater_spread(
        answers(*[(names[i], "1.1.1", *g) for i, g in enumerate(groups)]), min_n=min_n
    )
    total_yes = sum(g[0] for g in groups)
    total_n = sum(g[0] + g[1] for g in groups)
    for row in spread.rows:
        assert (row.yes + row.rest_yes, row.n + row.rest_n) == (total_yes, total_n)
        if row.n:
            assert row.ci95[0] <= row.share <= row.ci95[1]
        outside = (
            row.n >= min_n
            and row.rest_n >= min_n
            and (row.ci95[1] < row.rest_share or row.ci95[0] > row.rest_share)
        )
        assert (row.flag is not None) == outside
        if row.flag == HARSHER:
            assert row.share < row.rest_share
        if row.flag == KINDER:
            assert row.share > row.rest_share
