"""The stratified draw (workbook.draw): allocation by largest remainder, the draw within each
stratum, reproducible from its seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.draw import allocate_largest_remainder, draw_sample
from workbook.errors import SampleError


def population(n=240, seed=3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "case_id": [f"P{i:04d}" for i in range(n)],
            "sample": "case_supervision",
            "ldu": rng.choice(
                ["Warwickshire", "Worcestershire", "Shropshire, Telford and Herefordshire"], n
            ),
            "gender": rng.choice(["male", "female"], n, p=[0.88, 0.12]),
            "disposal": rng.choice(["community", "licence"], n, p=[0.67, 0.33]),
            "rosh": rng.choice(["low", "medium", "high", "very high"], n, p=[0.15, 0.5, 0.3, 0.05]),
        }
    )


@pytest.mark.parametrize(
    ("sizes", "n", "expected"),
    [
        ([5, 3, 2], 5, [3, 1, 1]),
        ([1, 1, 1], 2, [1, 1, 0]),
        ([100, 50, 50], 4, [2, 1, 1]),
        ([7, 0, 3], 10, [7, 0, 3]),
        ([214, 26], 98, [87, 11]),
    ],
)
def test_largest_remainder_allocation(sizes, n, expected):
    assert allocate_largest_remainder(sizes, n).tolist() == expected


@settings(max_examples=200, database=None, deadline=None)
@given(sizes=st.lists(st.integers(0, 300), min_size=1, max_size=12), data=st.data())
def test_allocation_is_proportional_and_sums_to_n(sizes, data):
    total = sum(sizes)
    n = data.draw(st.integers(0, total))
    alloc = allocate_largest_remainder(sizes, n)
    assert alloc.sum() == n
    for size, a in zip(sizes, alloc, strict=True):
        quota = size * n / total if total else 0
        assert 0 <= a <= size and abs(a - quota) < 1


def test_draw_is_reproducible_from_its_seed():
    pop = population()
    a = draw_sample(pop, 98, ["gender", "disposal", "rosh"], seed=7)
    b = draw_sample(pop.copy(), 98, "gender,disposal,rosh", seed=7)
    c = draw_sample(pop, 98, ["gender", "disposal", "rosh"], seed=8)
    assert a.seed == 7 and a.n == 98
    assert a.sample["case_id"].tolist() == b.sample["case_id"].tolist()
    assert a.sample["case_id"].tolist() != c.sample["case_id"].tolist()
    assert a.sample["case_id"].is_unique and set(a.sample["case_id"]) <= set(pop["case_id"])
    assert list(a.sample.columns) == list(pop.columns)
    assert (a.with_seed_column()["draw_seed"] == "7").all()


@pytest.mark.parametrize(
    ("within", "seed", "n", "first", "alloc"),
    [
        (
            None,
            7,
            98,
            ["P0000", "P0001", "P0005", "P0009", "P0010", "P0012", "P0014", "P0017"],
            [1, 0, 4, 2, 0, 4, 0, 17, 13, 31, 1, 7, 4, 12, 2],
        ),
        (
            "ldu",
            2019,
            25,
            ["P0004", "P0006", "P0031", "P0058", "P0069", "P0077", "P0081", "P0084"],
            [0, 0, 1, 0, 2, 1, 3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2]
            + [1, 3, 1, 0, 1, 1, 0, 0, 0, 1, 2, 1, 2, 0, 0, 1, 1],
        ),
    ],
)
def test_the_same_seed_gives_the_same_cases_as_it_always_has(within, seed, n, first, alloc):
    draw = draw_sample(population(), n, ["gender", "disposal", "rosh"], within=within, seed=seed)
    assert draw.sample["case_id"].tolist()[:8] == first
    assert draw.table["sample"].tolist() == alloc


def test_draw_shares_match_the_population():
    pop = population()
    draw = draw_sample(pop, 98, ["gender", "disposal", "rosh"], seed=7)
    table = draw.table
    assert table["population"].sum() == 240 and table["sample"].sum() == 98
    # every stratum gets its quota rounded by largest remainder, and the drawn cases agree
    assert ((table["sample"] - table["population"] * 98 / 240).abs() < 1).all()
    drawn = draw.sample.groupby(["gender", "disposal", "rosh"]).size()
    for _, row in table.iterrows():
        assert drawn.get((row.gender, row.disposal, row.rosh), 0) == row["sample"]
    assert table["population_share"].sum() == pytest.approx(1) and table[
        "sample_share"
    ].sum() == pytest.approx(1)
    assert draw.margins["column"].unique().tolist() == ["gender", "disposal", "rosh"]


@pytest.mark.parametrize("within", [None, "ldu"])
def test_each_columns_share_is_kept_as_well_as_rounding_allows(within):
    # the fixture: every value's count within one case of its quota (98 x population share)
    draw = draw_sample(population(), 98, ["gender", "disposal", "rosh"], within=within, seed=7)
    quota = draw.margins["population"] * 98 / 240
    assert ((draw.margins["sample"] - quota).abs() < 1).all()
    # other populations and sizes: never more than a case and a half away
    for seed in range(20):
        n = (98, 40, 25)[seed % 3]
        draw = draw_sample(
            population(240, seed), n, ["gender", "disposal", "rosh"], within=within, seed=seed
        )
        quota = draw.margins["population"] * n / 240
        assert ((draw.margins["sample"] - quota).abs() < 1.5).all()


def test_draw_within_ldu_allocates_each_ldu_its_share():
    pop = population()
    draw = draw_sample(pop, 98, ["gender", "disposal", "rosh"], within="ldu", seed=1)
    per_ldu = draw.sample["ldu"].value_counts().sort_index()
    sizes = pop["ldu"].value_counts().sort_index()
    assert per_ldu.tolist() == allocate_largest_remainder(sizes.tolist(), 98).tolist()
    assert draw.table.columns[:4].tolist() == ["ldu", "gender", "disposal", "rosh"]


def test_draw_errors():
    pop = population(50)
    with pytest.raises(SampleError) as caught:
        draw_sample(pop, 51, ["gender", "colour"], within="region", seed=7)
    assert [(p.code, p.column) for p in caught.value.problems] == [
        ("n_too_large", None),
        ("unknown_stratum", "region"),
        ("unknown_stratum", "colour"),
    ]
    assert "cannot be drawn from a population of 50" in str(caught.value)
    with pytest.raises(SampleError) as caught:
        draw_sample(pop, 10, ["gender"], seed=None)
    assert caught.value.codes == ["bad_seed"]
    lopsided = pop.assign(ldu=["Tiny"] + ["Big"] * 49)
    with pytest.raises(SampleError) as caught:
        draw_sample(lopsided, 10, ["gender"], within="ldu", seed=7)
    assert caught.value.codes == ["stratum_too_small"]
    assert "'Tiny' has 1 of 50 cases" in str(caught.value)
    with pytest.raises(SampleError) as caught:
        draw_sample(pop, 10, ["rosh"], seed=7, min_per_stratum=100)
    assert set(caught.value.codes) == {"stratum_too_small"}
    holes = pop.assign(gender=[""] + ["male"] * 49)
    with pytest.raises(SampleError) as caught:
        draw_sample(holes, 10, ["gender"], seed=7)
    assert caught.value.codes == ["empty_stratum_value"] and "P0000" in str(caught.value)


@settings(max_examples=100, database=None, deadline=None)
@given(size=st.integers(1, 300), data=st.data())
def test_any_draw_gives_n_distinct_cases_reproducibly(size, data):
    n = data.draw(st.integers(1, size))
    seed = data.draw(st.integers(0, 2**32))
    pop = population(size, seed=size)
    a = draw_sample(pop, n, ["gender", "rosh"], seed=seed)
    assert len(a.sample) == n and a.sample["case_id"].is_unique
    assert (
        a.sample["case_id"].tolist()
        == draw_sample(pop, n, ["gender", "rosh"], seed=seed).sample["case_id"].tolist()
    )


def test_draw_problems_name_columns_in_the_users_words():
    population = pd.DataFrame(
        {"case_id": [f"P{i}" for i in range(6)], "ldu": ["North"] * 5 + [""], "gender": ["m"] * 6}
    )
    with pytest.raises(SampleError) as caught:
        draw_sample(population, 3, ["ldu"], seed=7, words={"ldu": "PDU (LDU)"})
    (problem,) = caught.value.problems
    assert "has no value for the stratum column 'PDU (LDU)'" in problem.message
    assert problem.column == "PDU (LDU)"
    small = population.assign(ldu=["North"] * 5 + ["South"])
    with pytest.raises(SampleError) as caught:
        draw_sample(small, 3, ["gender"], within="ldu", seed=7)
    assert caught.value.problems[0].message.startswith("the LDU 'South' has 1 of 6 cases")
