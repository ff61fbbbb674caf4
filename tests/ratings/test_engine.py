"""The ratings engine: the published report reproduced, band and overall boundaries, and the
rules as properties."""

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.files import load_framework
from workbook.judgements import Decision, Judgement
from workbook.ratings import (
    overall_cut_points,
    rate,
    rate_overall,
    rate_percentage,
    round_half_up,
    update_ratings,
    with_decisions,
)

PUBLISHED = Path(__file__).resolve().parents[1] / "reference" / "wwm-crc-2019-published.csv"
CRC = load_framework("hmip-2018-crc")
RATINGS = list(CRC.ratings)

# the report's samples: 98 case-supervision cases, 83 with risk-of-harm issues, 53 needing a
# review of keeping others safe, 25 unpaid work, 18 Through the Gate
DENOMINATOR = {"2.2.3": 83, "2.3.3": 83, "2.4.3": 53}
SAMPLE_SIZE = {"case_supervision": 98, "unpaid_work": 25, "through_the_gate": 18}
DISCRETION = {
    "2.1": ("Good", "footnote 24: professional discretion, wider evidence about assessment"),
    "2.4": (
        "Requires improvement",
        "footnote 26: lifted from inadequate, wider evidence about reviewing",
    ),
    "4.1": ("Good", "footnote 27: professional discretion, wider evidence about unpaid work"),
}


def published_rows():
    with open(PUBLISHED, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def judgements_from_published():
    """Case-level judgements built from the published percentages and sample sizes."""
    rows = []
    for r in published_rows():
        if r["item_kind"] != "kq":
            continue
        q = CRC.key_question(r["item_id"])
        size = SAMPLE_SIZE[q.sample]
        n = DENOMINATOR.get(q.id, size)
        yes_counts = [k for k in range(n + 1) if round_half_up(k, n) == int(r["pct_yes"])]
        assert len(yes_counts) == 1, (q.id, yes_counts)  # the published % fixes the count
        yes = yes_counts[0]
        for i in range(size):
            answer = "yes" if i < yes else "no" if i < n else "not_applicable"
            rows.append(Judgement(f"{q.sample}-{i:03d}", q.id, answer))
    return rows


def decisions_from_published():
    out = [Decision(s, rating, reason) for s, (rating, reason) in DISCRETION.items()]
    for r in published_rows():
        if r["item_kind"] == "standard" and r["item_id"].startswith("1."):
            out.append(
                Decision(
                    r["item_id"], r["published_rating"], "judged against the rating characteristics"
                )
            )
    return out


def test_published_report_reproduced():
    ratings = rate(CRC, judgements_from_published(), decisions_from_published())
    checked = 0
    for r in published_rows():
        if r["item_kind"] == "kq":
            assert ratings.key_questions[r["item_id"]].pct_rounded == int(r["pct_yes"]), r[
                "item_id"
            ]
        elif r["item_kind"] == "standard":
            s = ratings.standards[r["item_id"]]
            assert s.rating == r["published_rating"], r["item_id"]
            assert (s.discretion is not None) == (r["discretion"] == "yes"), r["item_id"]
        else:
            assert ratings.overall.rating == r["published_rating"]
            assert (ratings.overall.points, ratings.overall.max_points) == (13, 30)
        checked += 1
    assert checked == 30
    # the lowest-band reasons the footnotes override
    assert ratings.standards["2.1"].lowest_kq_band == "Requires improvement"
    assert ratings.standards["2.4"].lowest_kq_band == "Inadequate"
    assert ratings.standards["4.1"].lowest_kq_band == "Outstanding"
    assert (
        ratings.key_questions["2.4.3"].n == 53
        and ratings.key_questions["2.4.3"].not_applicable == 45
    )


def test_without_discretion_the_lowest_band_rules():
    ratings = rate(
        CRC,
        judgements_from_published(),
        [d for d in decisions_from_published() if d.standard.startswith("1.")],
    )
    assert [ratings.standards[s].rating for s in ("2.1", "2.2", "2.3", "2.4", "4.1", "4.2")] == [
        "Requires improvement",
        "Requires improvement",
        "Requires improvement",
        "Inadequate",
        "Outstanding",
        "Good",
    ]
    assert ratings.overall.points == 4 + 1 + 1 + 1 + 0 + 3 + 2


def test_rounding_policy_matters_for_2_2_2():
    # 2.2.2 is printed as 80%: 78 of 98 = 79.6%, Outstanding when banded as printed, Good exactly
    ratings = rate(CRC, judgements_from_published())
    assert ratings.key_questions["2.2.2"].yes == 78
    assert ratings.key_questions["2.2.2"].band == "Outstanding"
    exact = rate(CRC, judgements_from_published(), rounding="exact")
    assert exact.key_questions["2.2.2"].band == "Good"


@pytest.mark.parametrize(
    "yes, n, half_up, exact",
    [
        (99, 200, "Requires improvement", "Inadequate"),  # 49.5%
        (129, 200, "Good", "Requires improvement"),  # 64.5%
        (159, 200, "Outstanding", "Good"),  # 79.5%
        (98, 200, "Inadequate", "Inadequate"),  # 49.0%
        (100, 200, "Requires improvement", "Requires improvement"),  # 50%
        (130, 200, "Good", "Good"),  # 65%
        (160, 200, "Outstanding", "Outstanding"),  # 80%
        (0, 10, "Inadequate", "Inadequate"),
        (10, 10, "Outstanding", "Outstanding"),
        (26, 53, "Inadequate", "Inadequate"),  # 2.4.3: 49.06%
        (63, 98, "Requires improvement", "Requires improvement"),  # 2.1.3: 64.3%
    ],
)
def test_band_boundaries_both_rounding_policies(yes, n, half_up, exact):
    assert rate_percentage(CRC, yes, n - yes, "half_up") == half_up
    assert rate_percentage(CRC, yes, n - yes, "exact") == exact


def test_no_answers_no_rating():
    ratings = rate(CRC, [Judgement("a", "2.4.3", "not_applicable")])
    k = ratings.key_questions["2.4.3"]
    assert (k.band, k.pct, k.pct_rounded, k.ci80, k.not_applicable) == (None, None, None, None, 1)
    assert ratings.standards["2.4"].rating is None
    assert ratings.overall.rating is None and "2.4" in ratings.overall.missing


@pytest.mark.parametrize(
    "n, table",
    [
        (
            9,
            [
                ("Inadequate", 0, 4),
                ("Requires improvement", 5, 13),
                ("Good", 14, 22),
                ("Outstanding", 23, 27),
            ],
        ),
        (
            10,
            [
                ("Inadequate", 0, 5),
                ("Requires improvement", 6, 15),
                ("Good", 16, 25),
                ("Outstanding", 26, 30),
            ],
        ),
        (
            12,
            [
                ("Inadequate", 0, 6),
                ("Requires improvement", 7, 18),
                ("Good", 19, 30),
                ("Outstanding", 31, 36),
            ],
        ),
    ],
)
def test_overall_boundaries(n, table):
    assert overall_cut_points(CRC, n) == table
    for rating, lo, hi in table:
        for points in (lo, hi):
            # build n standard ratings worth exactly `points`
            ratings, left = [], points
            for _ in range(n):
                p = min(3, left)
                ratings.append(
                    {3: "Outstanding", 2: "Good", 1: "Requires improvement", 0: "Inadequate"}[p]
                )
                left -= p
            result = rate_overall(CRC, ratings)
            assert (result.points, result.rating, result.max_points) == (points, rating, 3 * n)


def test_report_overall_by_hand():
    result = rate_overall(
        CRC,
        ["Requires improvement"] * 4
        + [
            "Good",
            "Requires improvement",
            "Requires improvement",
            "Requires improvement",
            "Good",
            "Good",
        ],
    )
    assert (result.points, result.rating) == (13, "Requires improvement")


def test_breakdowns_flag_wide_margins():
    cases = pd.DataFrame(
        {"case_id": [f"c{i}" for i in range(120)], "ldu": ["North"] * 100 + ["South"] * 20}
    )
    js = [Judgement(f"c{i}", "2.1.1", "yes" if i % 3 else "no") for i in range(120)]
    ratings = rate(CRC, js, cases=cases, by=("ldu",))
    north, south = ratings.breakdowns["ldu"]["North"], ratings.breakdowns["ldu"]["South"]
    assert north.key_questions["2.1.1"].n == 100 and south.key_questions["2.1.1"].n == 20
    assert (
        north.key_questions["2.1.1"].flagged and south.key_questions["2.1.1"].flagged
    )  # 6.4 and 14.3 points
    assert not ratings.key_questions["2.1.1"].flagged  # whole sample: not a breakdown
    assert (
        north.key_questions["2.1.1"].yes + south.key_questions["2.1.1"].yes
        == ratings.key_questions["2.1.1"].yes
    )
    wide = pd.DataFrame({"case_id": [f"c{i}" for i in range(700)], "ldu": ["A"] * 700})
    many = rate(
        CRC, [Judgement(f"c{i}", "2.1.1", "yes") for i in range(700)], cases=wide, by=("ldu",)
    )
    assert not many.breakdowns["ldu"]["A"].key_questions["2.1.1"].flagged  # 2.4 points


def test_incremental_update_equals_full_rating():
    cases = pd.DataFrame(
        {"case_id": [f"case_supervision-{i:03d}" for i in range(98)], "ldu": ["A", "B"] * 49}
    )
    js = judgements_from_published()
    ratings = rate(CRC, js, decisions_from_published(), cases=cases, by=("ldu",))
    changed = [
        j
        if j.case_id != "case_supervision-090" or j.question != "2.4.3"
        else Judgement(j.case_id, j.question, "yes")
        for j in js
    ]
    old = next(
        j.answer for j in js if j.case_id == "case_supervision-090" and j.question == "2.4.3"
    )
    updated = update_ratings(CRC, ratings, "case_supervision-090", "2.4.3", old, "yes")
    full = rate(CRC, changed, decisions_from_published(), cases=cases, by=("ldu",))
    assert updated.key_questions == full.key_questions
    assert updated.standards == full.standards and updated.overall == full.overall
    for label in ("A", "B"):
        assert (
            updated.breakdowns["ldu"][label].key_questions
            == full.breakdowns["ldu"][label].key_questions
        )
        assert updated.breakdowns["ldu"][label].standards == full.breakdowns["ldu"][label].standards
    assert (
        updated.key_questions["2.4.3"].yes == 27
        and updated.key_questions["2.4.3"].band == "Requires improvement"
    )


def test_decisions_can_be_revised():
    ratings = rate(CRC, judgements_from_published())
    revised = with_decisions(
        CRC, ratings, [Decision("2.4", "Requires improvement", "wider evidence")]
    )
    assert revised.standards["2.4"].rating == "Requires improvement"
    assert revised.standards["2.4"].discretion.reason == "wider evidence"
    assert ratings.standards["2.4"].rating == "Inadequate"  # the input is not mutated


# -- properties ----------------------------------------------------------------------------

counts = st.tuples(st.integers(0, 400), st.integers(0, 400)).filter(lambda t: sum(t) > 0)
policies = st.sampled_from(["half_up", "exact"])


@given(counts, policies)
def test_one_more_yes_never_lowers_a_band(c, policy):
    yes, no = c
    before = rate_percentage(CRC, yes, no, policy)
    after = rate_percentage(CRC, yes + 1, no, policy)
    assert CRC.rank(after) >= CRC.rank(before)
    if no:
        assert CRC.rank(rate_percentage(CRC, yes + 1, no - 1, policy)) >= CRC.rank(before)


answers = st.sampled_from(["yes", "no"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 30),
            st.sampled_from([q.id for q in CRC.standard("2.2").key_questions]),
            st.sampled_from(["yes", "no", "not_applicable"]),
        ),
        min_size=1,
        max_size=120,
    )
)
def test_without_discretion_a_standard_is_never_above_its_lowest_kq(rows):
    seen = {}
    for case, q, a in rows:
        if a == "not_applicable" and not CRC.key_question(q).allows_not_applicable:
            a = "no"
        seen[(case, q)] = a
    js = [Judgement(f"c{c}", q, a) for (c, q), a in seen.items()]
    ratings = rate(CRC, js)
    s = ratings.standards["2.2"]
    bands = [ratings.key_questions[q.id].band for q in CRC.standard("2.2").key_questions]
    rated = [b for b in bands if b]
    if rated:
        assert CRC.rank(s.rating) == min(CRC.rank(b) for b in rated)
    else:
        assert s.rating is None


@given(st.lists(st.sampled_from(RATINGS), min_size=1, max_size=14), st.data())
def test_overall_never_falls_when_a_standard_rises(ratings, data):
    i = data.draw(st.integers(0, len(ratings) - 1))
    better = [r for r in RATINGS if CRC.rank(r) > CRC.rank(ratings[i])]
    if not better:
        return
    raised = list(ratings)
    raised[i] = data.draw(st.sampled_from(better))
    assert CRC.rank(rate_overall(CRC, raised).rating) >= CRC.rank(rate_overall(CRC, ratings).rating)
    assert rate_overall(CRC, raised).points > rate_overall(CRC, ratings).points


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 20),
            st.sampled_from(["2.1.1", "2.4.3", "4.2.1"]),
            st.sampled_from(["yes", "no"]),
        ),
        min_size=1,
        max_size=60,
    ),
    st.integers(0, 20),
    st.sampled_from(["2.1.1", "2.4.3"]),
    st.sampled_from(["yes", "no", "not_applicable", None]),
)
def test_incremental_update_matches_full_rate(rows, case, question, new):
    current = {(f"c{c}", q): a for c, q, a in rows}
    cases = pd.DataFrame(
        {
            "case_id": [f"c{i}" for i in range(21)],
            "ldu": [["N", "S", "E"][i % 3] for i in range(21)],
        }
    )
    if new == "not_applicable" and not CRC.key_question(question).allows_not_applicable:
        new = "no"

    def frame(d):
        return pd.DataFrame(
            [(c, q, a) for (c, q), a in d.items()], columns=["case_id", "question", "answer"]
        )

    ratings = rate(CRC, frame(current), cases=cases, by=("ldu",))
    old = current.get((f"c{case}", question))
    after = dict(current)
    if new is None:
        after.pop((f"c{case}", question), None)
    else:
        after[(f"c{case}", question)] = new
    updated = update_ratings(CRC, ratings, f"c{case}", question, old, new)
    full = rate(CRC, frame(after), cases=cases, by=("ldu",))
    assert updated.key_questions == full.key_questions
    assert updated.standards == full.standards and updated.overall == full.overall
    for label, g in full.breakdowns["ldu"].items():
        assert updated.breakdowns["ldu"][label].key_questions == g.key_questions
