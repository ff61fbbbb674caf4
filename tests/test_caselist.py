"""Case-list rules (workbook.caselist): the column table, the header, the value checks, the
Sample; every problem collected, in row order."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.caselist import (
    CHECKS,
    COLUMN_ALIASES,
    COLUMN_TABLE,
    COLUMNS,
    REQUIRED,
    VOCABULARIES,
    Checked,
    check_case_rows,
    column_labels,
    find_header,
    ldu_key,
    sample_from_rows,
)
from workbook.errors import Problem, SampleError
from workbook.files import load_sample
from workbook.judgements import check_case_ids

DATA = Path(__file__).resolve().parent / "data" / "samples"
HEADER = ["case_id", "sample", "ldu", "gender", "disposal", "rosh"]


def rows_of(*rows):
    """(spreadsheet row, cells) as the readers give them, header on row 1."""
    return [(i, list(r)) for i, r in enumerate(rows, start=1)]


def good(n=3, ldu="Warwickshire", sample="case supervision", start=1):
    return [[f"C{start + i}", sample, ldu, "male", "community", "low"] for i in range(n)]


# -- the column table --------------------------------------------------------------------------


def test_each_column_is_one_row_of_the_table():
    names = [c.name for c in COLUMN_TABLE]
    assert len(names) == len(set(names))
    assert REQUIRED == ("case_id", "sample", "ldu", "gender", "disposal", "rosh")
    assert COLUMNS == REQUIRED + (
        "officer_grade",
        "age",
        "ethnicity",
        "disability",
        "mappa_level",
        "sentence_date",
        "inspector",
    )
    assert set(VOCABULARIES) == {c.name for c in COLUMN_TABLE if c.vocabulary is not None}
    for column in COLUMN_TABLE:
        assert column.label and column.full_label
        assert not (column.vocabulary and column.parser), column.name
        for alias in column.aliases:  # an alias names one column only
            assert COLUMN_ALIASES[alias.replace(" ", "").lower()] == column.name


def test_labels_for_the_form_the_summary_and_the_dashboard_come_from_the_table():
    assert column_labels("summary") == (
        ("sample", "Sample"),
        ("ldu", "LDU"),
        ("gender", "Gender"),
        ("disposal", "Disposal"),
        ("rosh", "Risk of serious harm"),
    )
    assert [c for c, _ in column_labels("fact")] == [
        "sample",
        "ldu",
        "gender",
        "disposal",
        "rosh",
        "officer_grade",
        "inspector",
    ]
    assert dict(column_labels("composition", full=True)) == {
        "gender": "Gender",
        "disposal": "Disposal",
        "rosh": "Risk of serious harm level",
        "officer_grade": "Officer grade",
    }
    assert dict(column_labels("stratum", full=True))["ldu"] == "Local delivery unit"
    assert "case_id" in dict(column_labels("private"))


def test_the_checks_are_small_functions_each_giving_what_it_found():
    problems, sample = check_case_rows(rows_of(HEADER, *good(2)))
    assert not problems and len(sample) == 2
    assert len(CHECKS) >= 5
    assert all(callable(check) for check in CHECKS)
    from workbook.caselist import CaseTable

    table = CaseTable("c.csv", REQUIRED, sample.cases.index.to_numpy() + 2, {})
    assert all(isinstance(check(table), Checked) for check in CHECKS)  # no column: nothing found


def test_case_ids_follow_the_one_rule():
    rows = rows_of(HEADER, *good(2), ["C1", *good(1)[0][1:]], ["", *good(1)[0][1:]])
    problems, _ = check_case_rows(rows, file="cases.csv")
    expected = check_case_ids([(2, "C1"), (3, "C2"), (4, "C1"), (5, "")], file="cases.csv")
    assert [str(p) for p in problems] == [str(p) for p in expected]


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
    shown = "rosh (risk of serious harm)" if column == "rosh" else column  # the user's heading
    assert (problem.code, problem.row, problem.column, problem.value) == (
        "unknown_value",
        2,
        shown,
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
        "cases.csv, row 14, column 'rosh (risk of serious harm)': 'meduim' is not a risk level. "
        "Did you mean 'medium'? Allowed: low, medium, high, very high."
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
        ("missing_column", 1, "risk of serious harm"),
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


def test_problem_rows_are_spreadsheet_rows():
    assert (
        str(Problem("error", "m.", file="f.csv", row=2, column="c"))
        == "f.csv, row 2, column 'c': m."
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


def test_a_value_of_nul_characters_is_reported_on_its_row():
    # numpy drops trailing NUL characters when it compares, so '\x00' matched no row
    problems, _ = check_case_rows(rows_of(["draw_seed"], ["\x00"]), file="cases.csv")
    assert ("bad_seed", 2) in [(p.code, p.row) for p in problems]
    rows = rows_of(HEADER, *good(2), *good(1, ldu="Warwickshire\x00", start=3))
    problems, _ = check_case_rows(rows, file="cases.csv")
    assert [(p.code, p.row) for p in problems] == [("ldu_spelling", 4)]
