"""Agreement of first and second raters: published worked examples, edge cases, properties."""

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.agreement import COLUMNS, ONE_CATEGORY, agreement, t975
from workbook.errors import InputError
from workbook.framework import ANSWERS
from workbook.reasons import Reason

YES_NO = ("yes", "no")


def pairs_of(table, categories=ANSWERS, question="1.1.1", raters=("Rater A", "Rater B")):
    """Rating pairs whose counts table is ``table`` (rows: the first rater's answers)."""
    rows = []
    for first, counts in zip(categories, table, strict=True):
        for second, count in zip(categories, counts, strict=True):
            for _ in range(count):
                rows.append(
                    {
                        "case_id": f"C{len(rows) + 1:04d}",
                        "question": question,
                        "first_rater": raters[0],
                        "first": first,
                        "second_rater": raters[1],
                        "second": second,
                    }
                )
    return pd.DataFrame(rows, columns=list(COLUMNS))


# -- published worked examples -------------------------------------------------------------------


def test_gwet_handbook_three_by_three_abstractors_table():
    # Gwet, K. L. (2014). Handbook of Inter-Rater Reliability, 4th ed., Advanced Analytics:
    # 100 pregnant women classified by two abstractors as ectopic, abnormal intrauterine and
    # normal intrauterine pregnancy (the irrCAC dataset "cont3x3abstractors"). The published
    # results are in Gwet's irrCAC R package, version 1.0 (CRAN, 2019), README and vignette
    # "Calculating Chance-corrected Agreement Coefficients": Cohen's kappa 0.7964094,
    # s.e. 0.05891072, 95% CI (0.68, 0.913); Gwet's AC1 0.8493305, s.e. 0.04321747, 95% CI
    # (0.764, 0.935); percent agreement 0.89. (irrCAC's kappa2.table variance is the
    # Fleiss, Cohen & Everitt (1969) large-sample variance; both leave out the finite-population
    # correction with N = Inf and use t(0.975, n - 1) for the interval.)
    table = agreement(pairs_of([[13, 0, 0], [0, 20, 7], [0, 4, 56]])).overall
    assert table.n == 100 and table.agree == 89 and table.percent == pytest.approx(89.0)
    assert table.kappa.value == pytest.approx(0.7964094, abs=1e-7)
    assert table.kappa.se == pytest.approx(0.05891072, abs=1e-8)
    assert [round(v, 3) for v in table.kappa.ci95] == [0.680, 0.913]
    assert table.ac1.value == pytest.approx(0.8493305, abs=1e-7)
    assert table.ac1.se == pytest.approx(0.04321747, abs=1e-8)
    assert [round(v, 3) for v in table.ac1.ci95] == [0.764, 0.935]


@pytest.mark.parametrize(
    ("table", "pe", "kappa", "ac1"),
    [
        # Feinstein, A. R. & Cicchetti, D. V. (1990). High agreement but low kappa: I. The
        # problems of two paradoxes. J Clin Epidemiol 43(6):543-549; the two tables as
        # reproduced in Gerstman, B. B. (2013), Epidemiology Kept Simple, 3rd ed., Wiley,
        # Table 10.6A and 10.6B (p. 227): both po = 0.85; pe = 0.50, kappa = 0.70 and
        # pe = 0.78, kappa = 0.32.
        # AC1 by hand (not published there): table A: pi_yes = (49 + 46) / 200 = 0.475,
        # pe = 2 x 0.475 x 0.525 / (2 - 1) = 0.49875, AC1 = (0.85 - 0.49875) / 0.50125
        # = 0.70075; table B: pi_yes = (90 + 85) / 200 = 0.875, pe = 2 x 0.875 x 0.125
        # = 0.21875, AC1 = (0.85 - 0.21875) / 0.78125 = 0.808.
        ([[40, 9], [6, 45]], 0.50, 0.70, 0.70075),
        ([[80, 10], [5, 5]], 0.78, 0.32, 0.808),
    ],
)
def test_feinstein_cicchetti_paradox_tables(table, pe, kappa, ac1):
    result = agreement(pairs_of(table, YES_NO)).overall
    assert result.percent == pytest.approx(85.0)
    assert result.kappa.value == pytest.approx(kappa, abs=0.005)
    assert result.ac1.value == pytest.approx(ac1, abs=1e-5)
    # the chance agreement, from kappa = (po - pe) / (1 - pe)
    assert (0.85 - result.kappa.value) / (1 - result.kappa.value) == pytest.approx(pe, abs=0.005)


def test_gerstman_x_ray_example():
    # Gerstman, B. B. (2013). Epidemiology Kept Simple, 3rd ed., Wiley, Illustrative Example
    # 10.1 (the X-ray data of Table 10.3, p. 227): a = 1467, d = 16232, N = 19790, first
    # rater's positives f1 = 2249, second's g1 = 2776 (so b = 782, c = 1309): pobs = 0.8943,
    # pexp = 0.7780, kappa = 0.524.
    result = agreement(pairs_of([[1467, 782], [1309, 16232]], YES_NO)).overall
    assert result.n == 19790
    assert result.percent == pytest.approx(89.43, abs=0.005)
    assert result.kappa.value == pytest.approx(0.524, abs=0.0005)


def test_kappa_variance_of_fleiss_cohen_everitt_by_hand():
    # Fleiss, J. L., Cohen, J. & Everitt, B. S. (1969). Large sample standard errors of kappa
    # and weighted kappa. Psychol Bull 72(5):323-327: var = [sum_i p_ii((1 - pe)
    # - (p.i + pi.)(1 - po))^2 + (1 - po)^2 sum_{i != j} p_ij (p.i + pj.)^2
    # - (po pe - 2 pe + po)^2] / (n (1 - pe)^4). For Feinstein & Cicchetti's table A
    # (40 9 / 6 45, n = 100): rows 0.49, 0.51; columns 0.46, 0.54; po = 0.85, pe = 0.5008.
    #   diagonal: 0.40 x (0.4992 - 0.95 x 0.15)^2 + 0.45 x (0.4992 - 1.05 x 0.15)^2
    #           = 0.40 x 0.3567^2 + 0.45 x 0.3417^2 = 0.0508940 + 0.0525415 = 0.1034355
    #   off the diagonal: 0.15^2 x (0.09 x (0.46 + 0.51)^2 + 0.06 x (0.54 + 0.49)^2)
    #           = 0.0225 x (0.084681 + 0.063654) = 0.0033375
    #   last: (0.85 x 0.5008 - 2 x 0.5008 + 0.85)^2 = 0.27408^2 = 0.0751198
    #   var = (0.1034355 + 0.0033375 - 0.0751198) / (100 x 0.4992^4) = 0.0316532 / 6.2100959
    #       = 0.0050971, s.e. = 0.071394
    result = agreement(pairs_of([[40, 9], [6, 45]], YES_NO)).overall
    assert result.kappa.se == pytest.approx(0.071394, abs=2e-6)
    half = t975(99) * result.kappa.se
    assert result.kappa.ci95 == pytest.approx(
        (result.kappa.value - half, result.kappa.value + half)
    )


def test_t_quantiles_of_the_tables():
    # Student's t at 0.975 as printed in every table: 12.706 (1 df), 2.228 (10), 1.984 (99)
    assert t975(1) == pytest.approx(12.706, abs=5e-4)
    assert t975(10) == pytest.approx(2.228, abs=5e-4)
    assert t975(99) == pytest.approx(1.984, abs=5e-4)
    with pytest.raises(ValueError, match="degrees of freedom"):
        t975(0)


# -- tables, pairs, disagreements -----------------------------------------------------------------


def test_per_question_per_pair_and_overall():
    rows = pd.concat(
        [
            pairs_of([[3, 1], [0, 2]], YES_NO, question="1.2.10", raters=("Ann", "Bo")),
            pairs_of([[2, 0], [1, 3]], YES_NO, question="1.2.9", raters=("Bo", "Ann")),
            pairs_of([[4, 0], [0, 1]], YES_NO, question="1.2.9", raters=("Cy", "Ann")),
        ],
        ignore_index=True,
    ).assign(case_id=lambda f: [f"C{i}" for i in range(len(f))])
    result = agreement(rows)
    assert [t.question for t in result.questions] == ["1.2.9", "1.2.10"]  # number order
    assert [t.raters for t in result.pairs] == [("Ann", "Bo"), ("Ann", "Cy")]
    ann_bo = result.pair("Bo", "Ann")
    # rows: Ann's answers, whichever of them rated first: on 1.2.10 Ann (first) said yes
    # where Bo said no once; on 1.2.9 Bo (first) said no where Ann said yes once: both are
    # Ann yes / Bo no
    assert ann_bo.counts == ((5, 2), (0, 5)) and ann_bo.n == 12 and ann_bo.agree == 10
    assert ann_bo.table().loc["yes", "no"] == 2
    assert ann_bo.table().index.name == "Ann" and ann_bo.table().columns.name == "Bo"
    assert result.question("1.2.9").n == 11 and result.question("1.2.10").n == 6
    assert result.question("9.9.9") is None and result.pair("Ann", "Zed") is None
    assert result.overall.n == 17 and result.overall.agree == 15
    assert [
        (d.question, d.first_rater, d.first, d.second) for d in result.overall.disagreements
    ] == [
        ("1.2.9", "Bo", "no", "yes"),
        ("1.2.10", "Ann", "yes", "no"),
    ]


def test_missing_answers_are_left_out_and_no_pairs_give_no_figures():
    rows = pairs_of([[1, 0], [0, 1]], YES_NO)
    rows.loc[0, "second"] = None
    rows.loc[1, "first"] = float("nan")
    rows = pd.concat([rows, pairs_of([[1]], ("yes",)).assign(second=pd.NA)], ignore_index=True)
    result = agreement(rows)
    assert result.overall.n == 0 and result.overall.percent is None
    assert result.overall.kappa.value is None and result.overall.ac1.value is None
    assert result.overall.kappa.reason and result.overall.kappa.ci95 is None
    assert result.questions == () and result.pairs == ()
    empty = agreement(pd.DataFrame(columns=list(COLUMNS)))
    assert empty.as_json()["overall"]["n"] == 0 and empty.as_json()["questions"] == []


def test_kappa_undefined_when_every_answer_is_in_one_category():
    result = agreement(pairs_of([[6, 0], [0, 0]], YES_NO)).overall
    assert result.kappa.value is None and result.kappa.reason == ONE_CATEGORY
    assert not any(isinstance(v, float) and math.isnan(v) for v in result.as_json().values())
    assert result.ac1.value == 1.0 and result.percent == 100.0


def test_one_pair_has_figures_but_no_interval():
    result = agreement(pairs_of([[0, 1], [0, 0]], YES_NO)).overall
    assert result.kappa.value == 0.0 and result.ac1.value == -1.0
    assert result.kappa.ci95 is None and result.ac1.ci95 is None and result.ac1.reason


def test_categories_a_question_allows_count_for_ac1():
    rows = pairs_of([[8, 1], [1, 2]], YES_NO)
    two = agreement(rows).overall.ac1.value
    three = agreement(rows, categories={"1.1.1": ANSWERS}).overall
    assert three.categories == ANSWERS and len(three.counts) == 3
    # pi = (0.75, 0.25, 0): pe = 0.375 with q = 2, 0.1875 with q = 3; pa = 10/12
    assert two == pytest.approx((10 / 12 - 0.375) / 0.625)
    assert three.ac1.value == pytest.approx((10 / 12 - 0.1875) / 0.8125)
    assert agreement(rows).overall.kappa.value == pytest.approx(three.kappa.value)


def test_json_has_the_documented_keys():
    result = agreement(pairs_of([[3, 1], [1, 3]], YES_NO)).as_json()
    figures = {"n", "agree", "percent", "kappa", "ac1", "kappa_ci95", "ac1_ci95"}
    assert set(result["questions"][0]) == figures | {"question"}
    assert set(result["pairs"][0]) == figures | {"raters"}
    assert result["pairs"][0]["raters"] == ["Rater A", "Rater B"]
    assert len(result["questions"][0]["kappa_ci95"]) == 2


def test_bad_input_names_the_column_and_the_rule():
    with pytest.raises(InputError) as missing:
        agreement(pd.DataFrame({"case_id": ["C1"], "question": ["1.1.1"]}))
    assert set(missing.value.codes) == {Reason.MISSING_COLUMN}
    assert {p.column for p in missing.value.problems} == {
        "first_rater",
        "first",
        "second_rater",
        "second",
    }
    rows = pairs_of([[1, 0], [0, 1]], YES_NO)
    rows.loc[0, "first"] = "maybe"
    rows.loc[1, "second_rater"] = ""
    with pytest.raises(InputError) as bad:
        agreement(rows)
    assert bad.value.codes == [Reason.UNKNOWN_ANSWER, Reason.EMPTY_VALUE]
    assert "'maybe' is not an answer" in str(bad.value) and "no second rater" in str(bad.value)
    with pytest.raises(InputError, match="DataFrame"):
        agreement([("C1", "1.1.1", "A", "yes", "B", "yes")])


# -- properties ----------------------------------------------------------------------------------

answer = st.sampled_from(ANSWERS)
rater = st.sampled_from(["Ann", "Bo", "Cy"])
pair_rows = st.lists(
    st.tuples(st.sampled_from(["1.1.1", "1.1.2", "2.1.1"]), rater, answer, rater, answer).filter(
        lambda t: t[1] != t[3]  # the store never lets the first rater be the second
    ),
    min_size=1,
    max_size=40,
)


def frame(rows):
    return pd.DataFrame(
        [(f"C{i}", q, r1, a1, r2, a2) for i, (q, r1, a1, r2, a2) in enumerate(rows)],
        columns=list(COLUMNS),
    )


def every_table(result):
    return [*result.questions, *result.pairs, result.overall]


@settings(max_examples=60, deadline=None)
@given(pair_rows)
def test_perfect_agreement_gives_100_percent_kappa_1_and_ac1_1(rows):
    same = frame([(q, r1, a, r2, a) for q, r1, a, r2, _ in rows])
    for table in every_table(agreement(same)):
        assert table.percent == 100.0 and table.agree == table.n
        assert table.ac1.value == pytest.approx(1.0)
        if table.kappa.value is None:
            assert table.kappa.reason == ONE_CATEGORY
        else:
            assert table.kappa.value == pytest.approx(1.0)
        assert table.disagreements == ()


@settings(max_examples=60, deadline=None)
@given(pair_rows)
def test_swapping_the_raters_changes_nothing(rows):
    pairs = frame(rows)
    swapped = pairs.rename(
        columns={
            "first_rater": "second_rater",
            "second_rater": "first_rater",
            "first": "second",
            "second": "first",
        }
    )[list(COLUMNS)]
    before, after = agreement(pairs), agreement(swapped)
    for a, b in zip(every_table(before), every_table(after), strict=True):
        assert (a.question, a.raters, a.n, a.agree) == (b.question, b.raters, b.n, b.agree)
        assert a.percent == b.percent
        for x, y in ((a.kappa, b.kappa), (a.ac1, b.ac1)):
            assert (x.value is None) == (y.value is None) and x.reason == y.reason
            if x.value is not None:
                assert x.value == pytest.approx(y.value, abs=1e-12)
                assert x.se == pytest.approx(y.se, abs=1e-9)
            if x.ci95:
                assert x.ci95 == pytest.approx(y.ci95, abs=1e-9)
        if a.raters:  # a pair's table is oriented by name, not by who rated first
            assert a.counts == b.counts
        else:
            assert a.counts == tuple(zip(*b.counts, strict=True))


@settings(max_examples=80, deadline=None)
@given(pair_rows)
def test_figures_lie_in_minus_one_to_one_and_intervals_contain_them(rows):
    for table in every_table(agreement(frame(rows))):
        assert 0 <= table.percent <= 100
        for coefficient in (table.kappa, table.ac1):
            if coefficient.value is None:
                continue
            assert -1 <= coefficient.value <= 1 and coefficient.se >= 0
            if coefficient.ci95:
                lo, hi = coefficient.ci95
                assert -1 <= lo <= coefficient.value <= hi <= 1
            else:
                assert table.n == 1
