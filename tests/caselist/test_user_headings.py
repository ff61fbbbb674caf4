"""Case lists as users write them: their own headings named in every message, and a footer of
totals recognised and skipped with a warning naming its row. Real CSV and XLSX files in tmp."""

from __future__ import annotations

import openpyxl
import pytest

from workbook.caselist import heading_words, plain_name, split_footer
from workbook.errors import SampleError
from workbook.files import load_population, load_sample

HEADER = ["CRN", "Sample type", "PDU", "Sex", "Disposal", "RoSH"]
GOOD = [
    ["X1", "Case supervision", "North", "M", "Community order", "High"],
    ["X2", "Case supervision", "North", "F", "Community order", "Low"],
    ["X3", "Unpaid work", "South", "F", "Licence", "medium"],
]


def write_csv(path, rows):
    path.write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_xlsx(path, rows):
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    book.save(path)
    return path


@pytest.fixture(params=["csv", "xlsx"])
def write(request):
    def writer(tmp_path, name, rows):
        path = tmp_path / f"{name}.{request.param}"
        return (write_csv if request.param == "csv" else write_xlsx)(path, rows)

    return writer


def test_a_column_is_named_by_the_users_heading_then_its_plain_words():
    assert heading_words("CRN", "case_id") == "CRN (case id)"
    assert heading_words("Sex", "gender") == "Sex (gender)"
    assert heading_words("RoSH", "rosh") == "RoSH (risk of serious harm)"
    assert heading_words("LDU", "ldu") == "LDU"
    assert heading_words("case_id", "case_id") == "case_id"
    assert heading_words("Officer Grade", "officer_grade") == "Officer Grade"
    assert heading_words("Team", "Team") == "Team"
    assert plain_name("case_id") == "case id" and plain_name("mappa_level") == "MAPPA level"


def test_bad_cells_are_named_by_file_row_and_the_users_heading(tmp_path, write):
    rows = [
        HEADER,
        GOOD[0],
        ["X2", "Case supervision", "North", "Mail", "Community order", "High"],
        ["", "Case supervision", "North", "F", "Community order", "Low"],
        ["X4", "Supervison", "North", "F", "Community order", "meduim"],
        ["X1", "Case supervision", "South", "F", "Licence", "Low"],
    ]
    path = write(tmp_path, "midshire", rows)
    with pytest.raises(SampleError) as caught:
        load_sample(path)
    lines = str(caught.value).splitlines()
    name = path.name
    expected = [
        f"{name}, row 3, column 'Sex (gender)': 'Mail' is not a gender. Did you mean 'male'?",
        f"{name}, row 4, column 'CRN (case id)': the case id is empty.",
        f"{name}, row 5, column 'Sample type (sample)': 'Supervison' is not a sample. "
        "Did you mean 'case supervision'?",
        f"{name}, row 5, column 'RoSH (risk of serious harm)': 'meduim' is not a risk level.",
        f"{name}, row 6, column 'CRN (case id)': case 'X1' appears twice (first at row 2).",
    ]
    for line in expected:
        assert any(got.startswith(line) for got in lines), (line, lines)
    assert not any(w in str(caught.value) for w in ("'case_id'", "'gender'", "case_supervision"))


def test_a_missing_column_is_named_in_plain_words_with_the_headings_found(tmp_path, write):
    path = write(tmp_path, "short", [HEADER[:5], *[r[:5] for r in GOOD]])
    with pytest.raises(SampleError) as caught:
        load_sample(path)
    (problem,) = caught.value.problems
    assert problem.column == "risk of serious harm" and problem.row == 1
    assert problem.message.startswith("no column holds the risk of serious harm")
    assert "columns found: CRN, Sample type, PDU, Sex, Disposal" in problem.message
    assert "'risk of serious harm'" in problem.allowed


@pytest.mark.parametrize("word", ["Total", "TOTALS", "Grand total", "grand Total"])
def test_a_total_footer_is_skipped_with_a_warning_naming_its_row(tmp_path, write, word):
    rows = [["Case list, Midshire, March"], HEADER, *GOOD, [word, "3", "", "", "", ""]]
    sample = load_sample(write(tmp_path, "with-total", rows))
    assert sample.case_ids == ["X1", "X2", "X3"] and sample.rows == (3, 4, 5)
    (warning,) = sample.warnings
    assert (warning.code, warning.row, warning.value) == ("total_row", 6, word)
    assert str(warning).startswith(f"with-total.{str(warning.file).rsplit('.', 1)[1]}, row 6:")
    assert "skipped" in warning.message


def test_a_total_footer_is_still_named_when_the_list_has_problems(tmp_path, write):
    rows = [HEADER, *GOOD, ["X4", "Case supervision", "North", "F", "Community", "zzz"]]
    rows.append(["Total", "4", "", "", "", ""])
    with pytest.raises(SampleError) as caught:
        load_sample(write(tmp_path, "bad-with-total", rows))
    assert [(p.code, p.row) for p in caught.value.problems] == [("unknown_value", 5)]
    assert [(w.code, w.row) for w in caught.value.warnings] == [("total_row", 6)]


def test_a_population_with_a_totals_row_draws_from_the_cases_only(tmp_path, write):
    rows = [["CRN", "PDU", "Sex"], ["P1", "North", "m"], ["P2", "South", "f"]]
    rows += [["Grand total", "2", "1,250"]]
    population = load_population(write(tmp_path, "population", rows))
    assert population.case_ids == ["P1", "P2"]
    assert [w.row for w in population.warnings] == [4]


def test_only_a_row_of_totals_at_the_end_is_a_footer():
    data = [
        (2, ["Total", "case supervision", "North", "m", "community", "low"]),  # a case's id
        (3, ["X1", "case supervision", "North", "m", "community", "low"]),
        (4, ["Totals", "12", "3.5%", "", "", ""]),
        (5, ["", "Grand total", "15", "", "", ""]),
    ]
    kept, warnings = split_footer(data, "f.csv")
    assert [n for n, _ in kept] == [2, 3] and [w.row for w in warnings] == [4, 5]
    words = [(6, ["Total", "see the notes", "by team", "", "", "1"])]  # mostly words: a case
    assert split_footer(words, "f.csv") == (words, [])


def test_the_sample_keeps_each_users_heading(tmp_path, write):
    sample = load_sample(write(tmp_path, "ok", [HEADER, *GOOD]))
    assert sample.heading("ldu") == "PDU" and sample.heading("officer_grade") == "Officer grade"
    assert sample.headings()["case_id"] == "CRN (case id)"
    assert sample.cases["sample"].tolist()[0] == "case_supervision"  # stored as the id
