"""Case-list rules, sample size and the stratified draw (workbook.samples), and their
command-line layer (``check-sample``, ``sample-size``, ``draw``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.cli import main
from workbook.errors import Problem, SampleError
from workbook.files import load_sample
from workbook.samples import (
    allocate_largest_remainder,
    check_case_rows,
    draw_sample,
    find_header,
    ldu_key,
    sample_from_rows,
    sample_size,
)

DATA = Path(__file__).resolve().parent / "data" / "samples"
REPO = Path(__file__).resolve().parents[1]
HEADER = ["case_id", "sample", "ldu", "gender", "disposal", "rosh"]


def rows_of(*rows):
    """(spreadsheet row, cells) as the readers give them, header on row 1."""
    return [(i, list(r)) for i, r in enumerate(rows, start=1)]


def good(n=3, ldu="Warwickshire", sample="case supervision", start=1):
    return [[f"C{start + i}", sample, ldu, "male", "community", "low"] for i in range(n)]


# -- sample size -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "n"),
    [(240, 98), (236, 98), (241, 98), (28, 25), (29, 25), (19, 18), (20, 18), (27, 24), (30, 26)],
)
def test_sample_size_at_80_percent_and_5_points(population, n):
    assert sample_size(population).n == n


def test_the_reports_samples_and_their_eligible_populations():
    # 98 case-supervision cases: an eligible population of about 240 (236 to 241 give 98)
    assert [N for N in range(200, 300) if sample_size(N).n == 98] == list(range(236, 242))
    # 25 unpaid-work cases and 18 Through the Gate cases: populations of 28-29 and 19-20
    assert [N for N in range(1, 100) if sample_size(N).n == 25] == [28, 29]
    assert [N for N in range(1, 100) if sample_size(N).n == 18] == [19, 20]
    size = sample_size(240)
    assert size.formula.endswith("rounded up: 98")
    assert "1.2816" in size.formula and "/ 240" in size.formula
    assert sample_size(None).n == 165  # no finite-population correction


# -- the case-list rules -----------------------------------------------------------------------


def test_header_found_below_a_title():
    rows = rows_of(
        ["Case list, March 2019"], ["exported by the case-management system"], HEADER, *good(2)
    )
    assert find_header(rows) == 2
    sample = sample_from_rows(rows, file="cases.csv")
    assert sample.rows == (4, 5)


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("CRN", "case_id"),
        ("Case ID", "case_id"),
        ("case-id", "case_id"),
        ("Local delivery unit", "ldu"),
        ("LOCAL_DELIVERY_UNIT", "ldu"),
        ("L.D.U.", "ldu"),
        ("Risk of serious harm", "rosh"),
        ("RoSH", "rosh"),
        ("Sex", "gender"),
        ("Officer grade", "officer_grade"),
        ("MAPPA level", "mappa_level"),
        ("Sentence date", "sentence_date"),
    ],
)
def test_column_aliases_ignore_case_spaces_and_punctuation(written, canonical):
    header = ["CRN", "sample", "Local delivery unit", "gender", "disposal", "rosh"]
    index = {"case_id": 0, "ldu": 2, "rosh": 5, "gender": 3}.get(canonical)
    if index is None:
        header.append(written)
        extra = {"officer_grade": "PO", "mappa_level": "Level 2", "sentence_date": "18/03/2019"}[
            canonical
        ]
        data = [r + [extra] for r in good(1)]
    else:
        header[index] = written
        data = good(1)
    sample = sample_from_rows(rows_of(header, *data))
    assert canonical in sample.cases.columns


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("case supervision", "case_supervision"),
        ("Case Supervision", "case_supervision"),
        ("case_supervision", "case_supervision"),
        ("unpaid work", "unpaid_work"),
        ("UNPAID  WORK", "unpaid_work"),
        ("Through the Gate", "through_the_gate"),
        ("through the gate", "through_the_gate"),
        ("court reports", "court_reports"),
        ("Victims", "victims"),
    ],
)
def test_sample_column_stores_the_sample_id(written, stored):
    sample = sample_from_rows(rows_of(HEADER, *good(1, sample=written)))
    assert sample.cases["sample"].tolist() == [stored]


@pytest.mark.parametrize(
    ("column", "written", "stored"),
    [
        ("rosh", "Very High", "very high"),
        ("rosh", "VH", "very high"),
        ("rosh", "Medium", "medium"),
        ("gender", "F", "female"),
        ("gender", "Male", "male"),
        ("disposal", "Licence", "licence"),
        ("disposal", "license", "licence"),
        ("disposal", "Community order", "community"),
    ],
)
def test_values_are_normalised(column, written, stored):
    row = good(1)[0]
    row[HEADER.index(column)] = written
    sample = sample_from_rows(rows_of(HEADER, row))
    assert sample.cases[column].tolist() == [stored]


@pytest.mark.parametrize(
    ("column", "written", "suggestion"),
    [
        ("rosh", "meduim", "medium"),
        ("rosh", "very hihg", "very high"),
        ("gender", "femail", "female"),
        ("disposal", "licnece", "licence"),
        ("sample", "unpaid wrok", "unpaid work"),
        ("rosh", "zzz", None),
    ],
)
def test_unknown_values_suggest_the_nearest_allowed(column, written, suggestion):
    row = good(1)[0]
    row[HEADER.index(column)] = written
    problems, sample = check_case_rows(rows_of(HEADER, row), file="cases.csv")
    assert sample is None
    (problem,) = problems
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "unknown_value",
        2,
        column,
        written,
    )
    if suggestion:
        assert f"Did you mean '{suggestion}'?" in problem.message
    else:
        assert "Did you mean" not in problem.message


def test_the_message_template():
    row = good(1)[0]
    row[5] = "meduim"
    rows = (
        [(1, HEADER)]
        + [(i, r) for i, r in enumerate(good(12), start=2)]
        + [(14, row[:0] + ["C99", *row[1:]])]
    )
    with pytest.raises(SampleError) as caught:
        sample_from_rows(rows, file="cases.csv")
    assert str(caught.value.problems[0]) == (
        "cases.csv, row 14, column 'rosh': 'meduim' is not a risk level. Did you mean 'medium'? "
        "Allowed: low, medium, high, very high."
    )


def test_every_problem_is_collected_before_failing():
    rows = good(4)
    rows[1][0] = ""
    rows[2][0] = "C1"
    rows[3][3] = "unknown"
    rows[3][4] = ""
    problems, sample = check_case_rows(
        rows_of(HEADER[:5] + ["Team"], *[r[:5] + ["T"] for r in rows]), file="x.csv"
    )
    assert sample is None
    assert [(p.code, p.row, p.column) for p in problems] == [
        ("missing_column", 1, "rosh"),
        ("empty_case_id", 3, "case_id"),
        ("duplicate_case_id", 4, "case_id"),
        ("unknown_value", 5, "gender"),
        ("empty_value", 5, "disposal"),
    ]
    assert "first at row 2" in problems[2].message


def test_duplicate_columns_are_a_problem():
    problems, _ = check_case_rows(rows_of(["CRN", *HEADER], *[[r[0], *r] for r in good(2)]))
    assert [p.code for p in problems] == ["duplicate_column"]


def test_empty_and_blank_input():
    assert [p.code for p in check_case_rows([])[0]] == ["empty_file"]
    assert [p.code for p in check_case_rows(rows_of([], ["", "  "]))[0]] == ["empty_file"]
    assert [p.code for p in check_case_rows(rows_of(HEADER, ["", ""]))[0]] == ["no_cases"]


def test_blank_rows_are_skipped_and_rows_keep_their_numbers():
    rows = rows_of(HEADER, good(1)[0], ["", " ", ""], good(1, start=2)[0])
    sample = sample_from_rows(rows)
    assert sample.rows == (2, 4)


@pytest.mark.parametrize(
    ("a", "b", "error", "warning"),
    [
        (
            "Shropshire, Telford & Herefordshire",
            "Shropshire, Telford and Herefordshire",
            "ldu_spelling",
            None,
        ),
        ("Warwickshire", "warwickshire", "ldu_spelling", None),
        ("Warwickshire", "Warwick-shire", "ldu_spelling", None),
        ("Worcestershire", "Worcestershre", None, "ldu_similar"),
        ("Hampshire North East", "Hampshire North West", None, "ldu_similar"),
        ("Warwickshire", "Worcestershire", None, None),
        ("North", "South", None, None),
    ],
)
def test_ldu_spelling_variants_are_flagged(a, b, error, warning):
    rows = good(10, ldu=a) + good(10, ldu=b, start=100)
    if error:
        rows = rows[:12]  # the variant, on rows 12 and 13, is the less used spelling
    problems, sample = check_case_rows(rows_of(HEADER, *rows), file="cases.csv")
    if error:
        assert [(p.code, p.row, p.value) for p in problems] == [(error, 12, b)]
        assert f"'{a}'" in problems[0].allowed
        assert ldu_key(a) == ldu_key(b)
    else:
        assert problems == [] and sample is not None
        assert [w.code for w in sample.warnings] == ([warning] if warning else [])
        assert ldu_key(a) != ldu_key(b)


def test_small_ldus_give_warnings_not_errors():
    rows = (
        good(20, ldu="Warwickshire")
        + good(4, ldu="Worcestershire", start=50)
        + good(5, ldu="Warwickshire", sample="unpaid work", start=80)
        + good(3, ldu="Worcestershire", sample="unpaid work", start=90)
    )
    sample = sample_from_rows(rows_of(HEADER, *rows), file="cases.csv")
    # 4 of 24 case-supervision cases is lopsided; 3 of 8 unpaid-work cases is all 8 allow
    assert [(w.code, w.value) for w in sample.warnings] == [("small_ldu", "Worcestershire")]
    assert "4 cases in the case supervision sample" in str(sample.warnings[0])


def test_extra_columns_are_kept_as_attributes():
    rows = rows_of([*HEADER, "Team", "Court"], *[r + ["A", "Leamington"] for r in good(2)])
    sample = sample_from_rows(rows)
    assert list(sample.cases.columns) == [*HEADER, "Team", "Court"]
    assert sample.attributes == [*HEADER[1:], "Team", "Court"]
    assert sample.cases["Team"].tolist() == ["A", "A"]


def test_optional_columns_are_checked():
    header = [*HEADER, "age", "sentence_date", "officer_grade", "mappa_level"]
    rows = [r + ["34", "2019-03-18", "PSO", "2"] for r in good(3)]
    rows[1][6:] = ["", "", "", ""]
    rows[2][6:] = ["old", "yesterday", "manager", "4"]
    problems, _ = check_case_rows(rows_of(header, *rows))
    assert [(p.code, p.column) for p in problems] == [
        ("bad_age", "age"),
        ("bad_date", "sentence_date"),
        ("unknown_value", "officer_grade"),
        ("unknown_value", "mappa_level"),
    ]
    sample = sample_from_rows(rows_of(header, *rows[:2]))
    optional = ["age", "sentence_date", "officer_grade", "mappa_level"]
    assert list(sample.cases.columns[6:]) == [
        "officer_grade",
        "age",
        "mappa_level",
        "sentence_date",
    ]
    assert sample.cases.iloc[0][optional].tolist() == [
        "34",
        "2019-03-18",
        "probation services officer",
        "2",
    ]
    assert sample.cases.iloc[1][optional].tolist() == ["", "", "", ""]


def test_the_draw_seed_is_read_back():
    header = [*HEADER, "draw_seed"]
    sample = sample_from_rows(rows_of(header, *[r + ["7"] for r in good(3)]))
    assert sample.seed == 7 and "draw_seed" not in sample.cases.columns
    problems, _ = check_case_rows(rows_of(header, good(1)[0] + ["7"], good(1, start=2)[0] + ["8"]))
    assert [p.code for p in problems] == ["mixed_seeds"]


def test_summary_counts_the_sample():
    sample = load_sample(DATA / "valid.csv")
    summary = sample.summary()
    assert list(summary) == ["Sample", "LDU", "Gender", "Disposal", "Risk of serious harm"]
    gender = summary["Gender"].set_index("gender")["cases"].to_dict()
    assert gender == {"male": 26, "female": 4}
    assert summary["LDU"]["share"].sum() == pytest.approx(1.0)


# -- the stratified draw ----------------------------------------------------------------------


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


# -- command line -----------------------------------------------------------------------------


def test_check_sample_prints_a_summary(capsys):
    assert main(["check-sample", str(DATA / "valid.csv")]) == 0
    out = capsys.readouterr().out
    assert "valid.csv: 30 cases, no problems found." in out
    for word in (
        "case supervision",
        "Warwickshire",
        "female",
        "licence",
        "very high",
        "Risk of serious harm",
    ):
        assert word in out


def test_check_sample_prints_every_problem_and_exits_2(capsys):
    assert main(["check-sample", str(DATA / "bad_values.csv")]) == 2
    err = capsys.readouterr().err
    assert "5 problems found" in err
    assert "bad_values.csv, row 14, column 'rosh': 'meduim' is not a risk level." in err


def test_check_sample_sheet_and_warnings(capsys):
    assert main(["check-sample", str(DATA / "empty_sheet.xlsx"), "--sheet", "Cases"]) == 0
    assert "(sheet 'Cases'): 30 cases" in capsys.readouterr().out
    assert main(["check-sample", str(DATA / "small_ldu.csv")]) == 0
    assert "1 warning (the sample can still be imported)" in capsys.readouterr().out


def test_sample_size_command(capsys):
    assert main(["sample-size", "--population", "240"]) == 0
    out = capsys.readouterr().out
    assert "Sample size: 98 cases of 240" in out
    assert "n = n0 / (1 + (n0 - 1) / N)" in out
    assert main(["sample-size", "--population", "28", "--confidence", "80", "--margin", "5"]) == 0
    assert "Sample size: 25 cases" in capsys.readouterr().out
    assert main(["sample-size", "--population", "240", "--confidence", "0.95"]) == 0
    assert "Sample size: 148 cases" in capsys.readouterr().out
    assert main(["sample-size", "--population", "0"]) == 2


def test_draw_command_writes_a_sample_that_reads_back(tmp_path, capsys):
    pop_path = tmp_path / "population.csv"
    population().drop(columns="sample").to_csv(pop_path, index=False)
    out = tmp_path / "sample.csv"
    args = [
        "draw",
        str(pop_path),
        "--n",
        "98",
        "--strata",
        "gender,disposal,rosh",
        "--within",
        "ldu",
        "--seed",
        "7",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "Drew 98 of 240 cases with seed 7" in printed
    assert "population share" in printed and "sample share" in printed
    sample = load_sample(out)
    assert len(sample) == 98 and sample.seed == 7
    assert set(sample.cases["sample"]) == {"case_supervision"}
    expected = draw_sample(population(), 98, ["gender", "disposal", "rosh"], within="ldu", seed=7)
    assert sample.case_ids == expected.sample["case_id"].tolist()
    assert main([*args[:-1], str(tmp_path / "again.csv")]) == 0
    assert (tmp_path / "again.csv").read_bytes() == out.read_bytes()


def test_draw_command_errors(tmp_path, capsys):
    pop_path = tmp_path / "population.csv"
    population(20).to_csv(pop_path, index=False)
    code = main(
        [
            "draw",
            str(pop_path),
            "--n",
            "98",
            "--strata",
            "gender,colour",
            "--seed",
            "7",
            "--out",
            str(tmp_path / "s.csv"),
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "a sample of 98 cases cannot be drawn from a population of 20" in err
    assert "'colour' is not a column of the population" in err
    assert not (tmp_path / "s.csv").exists()


def test_module_entry_point_from_any_folder(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "workbook", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    ok = run("check-sample", str(DATA / "title_row.xlsx"))
    assert ok.returncode == 0, ok.stderr
    assert "30 cases, no problems found" in ok.stdout
    bad = run("check-sample", str(DATA / "not_a_table.csv"))
    assert bad.returncode == 2
    assert "not_a_table.csv: the file is a PNG image, not a table." in bad.stderr
    population().to_csv(tmp_path / "population.csv", index=False)
    drawn = run(
        "draw",
        "population.csv",
        "--n",
        "98",
        "--strata",
        "gender,disposal,rosh",
        "--seed",
        "7",
        "--out",
        "sample.csv",
    )
    assert drawn.returncode == 0, drawn.stderr
    assert load_sample(tmp_path / "sample.csv").seed == 7
    size = run("sample-size", "--population", "20")
    assert "Sample size: 18 cases" in size.stdout


def test_benchmark_runs_and_prints_its_figures(tmp_path, capsys):
    from workbook.bench.samples import main as bench

    assert bench(["--rows", "3000", "--folder", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "read + validate (load_sample):" in out and "stratified draw of 98" in out


def test_problem_rows_are_spreadsheet_rows():
    assert (
        str(Problem("error", "m.", file="f.csv", row=2, column="c")) == "f.csv, row 2, column 'c': m."
    )


# -- property tests ---------------------------------------------------------------------------

VALUES = [
    "",
    "C1",
    "C2",
    "case supervision",
    "victims",
    "Warwickshire",
    "Warwickshire ",
    "male",
    "f",
    "licence",
    "low",
    "meduim",
    "34",
    "x",
]
any_cell = st.one_of(
    st.sampled_from(VALUES), st.text(max_size=8), st.integers(), st.floats(), st.none()
)


@settings(max_examples=300, database=None, deadline=None)
@given(
    header=st.lists(
        st.sampled_from([*HEADER, "CRN", "age", "draw_seed", "Team", "", "x"]), max_size=9
    ),
    body=st.lists(st.lists(any_cell, max_size=9), max_size=20),
)
def test_any_rows_give_problems_or_a_valid_sample(header, body):
    rows = [(1, header)] + [(i + 2, r) for i, r in enumerate(body)]
    problems, sample = check_case_rows(rows, file="cases.csv")
    assert (sample is None) == bool(problems)
    for p in problems:
        assert p.file == "cases.csv" and str(p)
        assert p.row is None or p.row >= 1
    if sample is not None:
        assert sample.cases["case_id"].is_unique
        assert len(sample.rows) == len(sample.cases)


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
