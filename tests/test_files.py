"""Files at the edge (workbook.files): frameworks by id, judgements and decisions through the
one rule, and case lists (formats, encodings, sheets, malformed files).

Every file in tests/data/samples/ maps to the problems (reason code, spreadsheet row, column)
it must produce; a property test feeds the reader random bytes and random tables.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.caselist import RISK_LEVELS, SAMPLES, Sample
from workbook.errors import FrameworkError, InputError, SampleError
from workbook.files import (
    PROGRESS_ROWS,
    framework_folders,
    list_frameworks,
    load_framework,
    load_population,
    load_sample,
    load_sample_bytes,
    read_case_attributes,
    read_decisions,
    read_judgements,
    write_sample,
)
from workbook.judgements import check_case_ids

DATA = Path(__file__).resolve().parent / "data" / "samples"
MAKER = Path(__file__).resolve().parent / "data" / "make_samples.py"

FRAMEWORKS = Path(__file__).resolve().parents[1] / "workbook" / "frameworks"


# -- frameworks ------------------------------------------------------------------------------


def test_a_bad_dashboard_setting_does_not_stop_loading_a_framework(monkeypatch):
    # bug: files.py read every setting, so WORKBOOK_SUPPRESSION=abc broke `rate` from files
    monkeypatch.setenv("WORKBOOK_SUPPRESSION", "abc")
    monkeypatch.setenv("WORKBOOK_MODE", "nonsense")
    assert load_framework("hmip-2018-crc").id == "hmip-2018-crc"
    assert "hmip-2018-nps" in list_frameworks()


def test_the_extra_folder_is_passed_in(tmp_path):
    folder = tmp_path / "frameworks"
    folder.mkdir()
    text = (FRAMEWORKS / "hmip-2018-crc.yaml").read_text(encoding="utf-8")
    (folder / "team-copy.yaml").write_text(
        text.replace("id: hmip-2018-crc", "id: team-copy", 1), encoding="utf-8"
    )
    assert framework_folders(folder) == [FRAMEWORKS, folder]
    assert "team-copy" in list_frameworks(extra=folder)
    assert load_framework("team-copy", extra=folder).id == "team-copy"
    with pytest.raises(FrameworkError) as caught:
        load_framework("team-copy")
    assert caught.value.codes == ["unknown_framework"]


# -- judgements and decisions ----------------------------------------------------------------


def test_a_decision_file_accepts_a_rating_as_the_store_does(tmp_path):
    fw = load_framework()
    path = tmp_path / "decisions.csv"
    path.write_text(
        "standard,rating,reason\n2.1,requires-improvement,x\n2.2,,y\n2.3,GOOD,z\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_decisions(path, fw)
    assert [(p.code, p.row) for p in caught.value.problems] == [("missing_rating", 3)]
    path.write_text("standard,rating,reason\n2.1,requires-improvement,x\n2.3,GOOD,z\n")
    assert [d.rating for d in read_decisions(path, fw)] == ["Requires improvement", "Good"]


def test_judgements_and_case_lists_check_case_ids_with_the_one_rule(tmp_path):
    fw = load_framework()
    path = tmp_path / "judgements.csv"
    path.write_text("case_id,question,answer\n,2.1.1,yes\nA1,2.1.1,N/A\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_judgements(path, fw)
    assert str(caught.value.problems[0]) == str(check_case_ids([(2, "")], file="judgements.csv")[0])
    assert caught.value.codes == ["empty_case_id", "answer_not_allowed"]
    cases = tmp_path / "cases.csv"
    cases.write_text("case_id,ldu\nA1,x\nA1,y\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_case_attributes(cases)
    expected = check_case_ids([(2, "A1"), (3, "A1")], file="cases.csv")
    assert [str(p) for p in caught.value.problems] == [str(p) for p in expected]


def test_binary_files_have_their_own_reason(tmp_path):
    path = tmp_path / "judgements.csv"
    path.write_bytes(b"case_id,question,answer\nA1,2.1.1,\x00yes\n")
    with pytest.raises(InputError) as caught:
        read_judgements(path, load_framework())
    assert caught.value.codes == ["binary_file"]
    for data in (b"case_id,ldu\n\x81\x8d\x8f\n", b"case_id,ldu\n" + b"\x00\x01" * 40):
        with pytest.raises(SampleError) as caught:
            load_sample_bytes(data, "cases.csv")
        assert caught.value.codes == ["binary_file"]


# -- case lists ------------------------------------------------------------------------------

# file, sheet -> the problems expected, in the order reported: (code, row, column), the column
# named by the file's own heading (then its plain words when they differ)
RISK = "RoSH (risk of serious harm)"
LDU = "Local delivery unit (LDU)"
MALFORMED = {
    ("missing_column.csv", None): [("missing_column", 1, "risk of serious harm")],
    ("duplicates.csv", None): [
        ("duplicate_case_id", 7, "CRN (case id)"),
        ("empty_case_id", 11, "CRN (case id)"),
    ],
    ("bad_values.csv", None): [
        ("unknown_value", 5, "Gender"),
        ("unknown_value", 6, "Disposal"),
        ("unknown_value", 8, "Sample"),
        ("empty_value", 9, RISK),
        ("unknown_value", 14, RISK),
    ],
    ("ldu_spelling.csv", None): [("ldu_spelling", 4, LDU), ("ldu_spelling", 6, LDU)],
    ("bad_age_date.csv", None): [("bad_age", 6, "Age"), ("bad_date", 7, "Sentence date")],
    ("header_only.csv", None): [("no_cases", 1, None)],
    ("empty.csv", None): [("empty_file", None, None)],
    ("not_a_table.csv", None): [("not_table", None, None)],
    ("old_excel.xls", None): [("old_excel", None, None)],
    ("empty_sheet.xlsx", None): [("empty_file", None, None)],
    ("empty_sheet.xlsx", "Summary"): [("unknown_sheet", None, None)],
    ("valid.csv", "Cases"): [("sheet_for_csv", None, None)],
}

# file, sheet -> (cases, seed, warning codes)
VALID = {
    ("valid.csv", None): (30, None, []),
    ("bom.csv", None): (30, None, []),
    ("cp1252.csv", None): (30, None, []),
    ("semicolon.csv", None): (30, None, []),
    ("title_row.csv", None): (30, None, []),
    ("title_row.xlsx", None): (30, None, []),
    ("empty_sheet.xlsx", "Cases"): (30, None, []),
    ("empty_sheet.xlsx", "cases"): (30, None, []),
    ("drawn.csv", None): (30, 7, []),
    ("small_ldu.csv", None): (30, None, ["small_ldu"]),
}


@pytest.mark.parametrize(("name", "sheet"), list(MALFORMED), ids=lambda v: str(v))
def test_each_malformed_file_gives_its_problems(name, sheet):
    with pytest.raises(SampleError) as caught:
        load_sample(DATA / name, sheet=sheet)
    got = [(p.code, p.row, p.column) for p in caught.value.problems]
    assert got == MALFORMED[(name, sheet)]
    for problem in caught.value.problems:
        assert problem.file == name
        assert str(problem).startswith(name)
        assert problem.allowed, f"{problem.code} says what is allowed"


@pytest.mark.parametrize(("name", "sheet"), list(VALID), ids=lambda v: str(v))
def test_each_valid_file_reads_to_the_same_cases(name, sheet):
    n, seed, warnings = VALID[(name, sheet)]
    sample = load_sample(DATA / name, sheet=sheet)
    assert isinstance(sample, Sample)
    assert len(sample) == n
    assert sample.seed == seed
    assert [w.code for w in sample.warnings] == warnings
    assert sample.source == name
    reference = load_sample(DATA / "valid.csv").cases.head(n)
    core = ["case_id", "sample", "ldu", "gender", "disposal", "rosh", "officer_grade"]
    if name == "small_ldu.csv":  # the same cases, some moved to another LDU
        core.remove("ldu")
    assert sample.cases[core].equals(reference[core])
    assert "draw_seed" not in sample.cases.columns


def test_the_issue_example_message_follows_the_template():
    with pytest.raises(SampleError) as caught:
        load_sample(DATA / "bad_values.csv")
    text = str(caught.value)
    assert (
        "bad_values.csv, row 14, column 'RoSH (risk of serious harm)': 'meduim' is not a risk "
        "level. Did you mean 'medium'? Allowed: low, medium, high, very high." in text.splitlines()
    )
    assert "'Mail' is not a gender. Did you mean 'male'?" in text
    assert "'case supervison' is not a sample. Did you mean 'case supervision'?" in text


def test_missing_column_lists_the_columns_found():
    with pytest.raises(SampleError) as caught:
        load_sample(DATA / "missing_column.csv")
    (problem,) = caught.value.problems
    assert (
        "columns found: CRN, Sample, Local delivery unit, Gender, Disposal, Officer grade, Team"
        in problem.message
    )


def test_ldu_spelling_variants_name_both_spellings():
    with pytest.raises(SampleError) as caught:
        load_sample(DATA / "ldu_spelling.csv")
    first = caught.value.problems[0]
    assert first.value == "Shropshire, Telford & Herefordshire"
    assert "'Shropshire, Telford and Herefordshire'" in first.message
    assert "confirm" in first.message


def test_encodings_keep_the_text():
    cp = load_sample(DATA / "cp1252.csv")
    assert cp.cases["Team"].iloc[0] == "Équipe 1 – Telford’s"
    bom = load_sample(DATA / "bom.csv")
    assert bom.cases.columns[0] == "case_id"  # the BOM is not part of the first column's name


def test_aliases_and_extra_columns_are_recorded():
    sample = load_sample(DATA / "valid.csv")
    found = dict(sample.columns_found)
    assert found["CRN"] == "case_id"
    assert found["Local delivery unit"] == "ldu"
    assert found["Team"] == "Team"  # unknown columns are kept as attributes
    assert list(sample.cases.columns) == [
        "case_id",
        "sample",
        "ldu",
        "gender",
        "disposal",
        "rosh",
        "officer_grade",
        "Team",
    ]
    assert set(sample.cases["officer_grade"]) == {
        "probation officer",
        "probation services officer",
        "trainee",
    }
    assert sample.rows[:2] == (2, 3)


def test_bytes_and_path_read_the_same(tmp_path):
    for name in ("valid.csv", "title_row.xlsx", "cp1252.csv"):
        a = load_sample(DATA / name)
        b = load_sample_bytes((DATA / name).read_bytes(), name)
        assert a.cases.equals(b.cases)
    with pytest.raises(SampleError) as caught:
        load_sample_bytes((DATA / "not_a_table.csv").read_bytes(), "upload.csv")
    assert caught.value.codes == ["not_table"]
    # an XLSX renamed .csv is still read as a workbook
    renamed = tmp_path / "cases.csv"
    renamed.write_bytes((DATA / "title_row.xlsx").read_bytes())
    assert len(load_sample(renamed)) == 30


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(SampleError) as caught:
        load_sample(tmp_path / "nowhere.csv")
    assert caught.value.codes == ["missing_file"]
    with pytest.raises(SampleError) as caught:
        load_sample(tmp_path)
    assert caught.value.codes == ["not_a_file"]


def _xlsx(path: Path, rows) -> Path:
    book = openpyxl.Workbook()
    for r in rows:
        book.active.append(r)
    book.save(path)
    return path


def test_xlsx_numbers_and_dates_become_text_and_rows_are_the_sheet_rows(tmp_path):
    header = [
        "Case ID",
        "Sample",
        "LDU",
        "Sex",
        "Disposal type",
        "Risk of serious harm",
        "Age",
        "Sentence date",
    ]
    rows = [
        ["Inspection case list"],
        header,
        [1001, "Unpaid work", "Warwickshire", "M", "Community", "Low", 34, datetime(2019, 3, 18)],
        [1002, "TTG", "Warwickshire", "F", "Licence", "VH", 41.0, date(2018, 11, 2)],
    ]
    sample = load_sample(_xlsx(tmp_path / "cases.xlsx", rows))
    assert sample.cases["case_id"].tolist() == ["1001", "1002"]
    assert sample.cases["sample"].tolist() == ["unpaid_work", "through_the_gate"]
    assert sample.cases["rosh"].tolist() == ["low", "very high"]
    assert sample.cases["age"].tolist() == ["34", "41"]
    assert sample.cases["sentence_date"].tolist() == ["2019-03-18", "2018-11-02"]
    assert sample.rows == (3, 4)
    rows[3][5] = "meduim"
    with pytest.raises(SampleError) as caught:
        load_sample(_xlsx(tmp_path / "bad.xlsx", rows))
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "Risk of serious harm")]


def test_row_numbers_count_spreadsheet_rows_not_text_lines(tmp_path):
    text = (
        "case_id,sample,ldu,gender,disposal,rosh,note\n"
        'A1,case supervision,Warwickshire,male,community,low,"two\nlines"\n'
        "A2,case supervision,Warwickshire,male,community,meduim,\n"
    )
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SampleError) as caught:
        load_sample(path)
    assert [(p.code, p.row) for p in caught.value.problems] == [("unknown_value", 3)]


def test_progress_bar_only_for_long_lists(tmp_path, capsys):
    header = "case_id,sample,ldu,gender,disposal,rosh\n"
    short = tmp_path / "short.csv"
    short.write_text(
        header
        + "".join(f"C{i},case supervision,Warwickshire,male,community,low\n" for i in range(20))
    )
    load_sample(short)
    assert "Reading" not in capsys.readouterr().err
    long = tmp_path / "long.csv"
    long.write_text(
        header
        + "".join(
            f"C{i},case supervision,Warwickshire,male,community,low\n"
            for i in range(PROGRESS_ROWS + 1)
        )
    )
    sample = load_sample(long)
    assert len(sample) == PROGRESS_ROWS + 1
    assert "Reading long.csv" in capsys.readouterr().err
    load_sample(long, progress=False)
    assert "Reading" not in capsys.readouterr().err


def test_population_needs_only_case_ids(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("CRN,gender,ldu\nP1,female,Warwickshire\nP2,m,Worcestershire\n")
    population = load_population(path)
    assert population.cases["gender"].tolist() == ["female", "male"]
    with pytest.raises(SampleError) as caught:
        load_sample(path)
    assert [p.column for p in caught.value.problems] == [
        "sample",
        "disposal",
        "risk of serious harm",
    ]


def test_write_sample_records_the_seed_and_reads_back(tmp_path):
    sample = load_sample(DATA / "valid.csv")
    out = write_sample(sample.cases, tmp_path / "out" / "sample.csv", seed=42)
    again = load_sample(out)
    assert again.seed == 42
    assert again.cases.equals(sample.cases)


def test_the_test_files_are_what_the_script_makes(tmp_path):
    spec = importlib.util.spec_from_file_location("make_samples", MAKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(tmp_path)
    committed = sorted(p.name for p in DATA.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        if name.endswith(".xlsx"):  # workbooks carry a timestamp; compare what they hold
            assert load_sample_bytes((tmp_path / name).read_bytes(), name, "Cases").cases.equals(
                load_sample_bytes((DATA / name).read_bytes(), name, "Cases").cases
            )
        else:
            assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


# -- property tests: the reader never fails with anything but a SampleError --------------------

KNOWN_HEADERS = [
    "case_id",
    "CRN",
    "Sample",
    "Local delivery unit",
    "ldu",
    "Gender",
    "disposal",
    "RoSH",
    "age",
    "sentence date",
    "draw_seed",
    "Team",
    "",
]
KNOWN_VALUES = [
    "",
    " ",
    "case supervision",
    "Unpaid Work",
    "through the gate",
    "victims",
    "Warwickshire",
    "Shropshire, Telford & Herefordshire",
    "Shropshire, Telford and Herefordshire",
    "male",
    "F",
    "community",
    "licence",
    "low",
    "meduim",
    "very high",
    "34",
    "-1",
    "1e400",
    "nan",
    "18/03/2019",
    "2019-02-31",
    "7",
    "x",
]
cell = st.one_of(st.sampled_from(KNOWN_VALUES), st.text(max_size=12))
table = st.lists(st.lists(cell, min_size=0, max_size=9), min_size=0, max_size=25).flatmap(
    lambda rows: st.tuples(
        st.lists(st.sampled_from(KNOWN_HEADERS), min_size=0, max_size=9), st.just(rows)
    )
)


def _outcome(data: bytes, filename: str, sheet=None):
    try:
        sample = load_sample_bytes(data, filename, sheet)
    except SampleError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
        assert str(exc)
        return None
    cases = sample.cases
    assert cases["case_id"].is_unique and (cases["case_id"] != "").all()
    assert set(cases["sample"]) <= set(SAMPLES)
    assert set(cases["rosh"]) <= set(RISK_LEVELS)
    assert set(cases["disposal"]) <= {"community", "licence"}
    return sample


@settings(
    max_examples=300, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    data=st.binary(max_size=3000),
    filename=st.sampled_from(["cases.csv", "cases.xlsx", "cases.txt", "cases"]),
)
def test_random_bytes_give_a_sample_error_or_a_sample(data, filename):
    _outcome(data, filename)


@settings(max_examples=100, database=None, deadline=None)
@given(data=st.binary(max_size=2000))
def test_damaged_workbooks_give_a_sample_error(data):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", data)
        archive.writestr("xl/workbook.xml", data[::-1])
    _outcome(buffer.getvalue(), "cases.xlsx")
    _outcome(b"PK\x03\x04" + data, "cases.csv")


@settings(
    max_examples=300, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    spec=table,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    title=st.booleans(),
)
def test_random_tables_give_a_sample_error_or_a_sample(spec, delimiter, encoding, title):
    header, rows = spec
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if title:
        writer.writerow(["Case list"])
    writer.writerow(header)
    writer.writerows(rows)
    _outcome(buffer.getvalue().encode(encoding, errors="replace"), "cases.csv")


printable = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FFF, exclude_categories=("Cs",)),
    max_size=10,
)


@settings(
    max_examples=30,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    header=st.lists(st.sampled_from(KNOWN_HEADERS), max_size=8),
    rows=st.lists(
        st.lists(
            st.one_of(st.sampled_from(KNOWN_VALUES), printable, st.integers(-5, 10**6), st.none()),
            max_size=8,
        ),
        max_size=12,
    ),
)
def test_random_workbooks_give_a_sample_error_or_a_sample(header, rows):
    book = openpyxl.Workbook()
    book.active.append(header)
    for r in rows:
        book.active.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    _outcome(buffer.getvalue(), "cases.xlsx")


# -- readers with limits: open quotes, mixed encodings, XLSX bombs, framework YAML -------------


def _case_list(rows: int) -> str:
    """A valid case list of ``rows`` cases, as CSV text (header on row 1)."""
    lines = (DATA / "valid.csv").read_text(encoding="utf-8").splitlines()
    body = lines[1:]
    out = [lines[0]]
    for i in range(rows):
        cells = body[i % len(body)].split(",")
        cells[0] = f"Q{i + 1:05d}"
        out.append(",".join(cells))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("tail", [200, 5000])
def test_an_open_quote_is_reported_where_it_opens_and_nothing_is_read(tmp_path, tail):
    lines = _case_list(tail).splitlines()
    lines[6] = lines[6].rsplit(",", 1)[0] + ',"Team 6'  # row 7: a quote never closed
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SampleError) as caught:
        load_sample(path)
    assert caught.value.codes == ["open_quote"]
    problem = caught.value.problems[0]
    assert problem.row == 7
    assert str(problem).startswith("cases.csv, row 7: a quote opens in this row")


def test_a_quote_closed_rows_later_is_reported_where_it_opens(tmp_path):
    lines = _case_list(40).splitlines()
    lines[9] = lines[9].replace(",Team", ',"Team', 1)
    lines[30] = lines[30].replace("Team", 'Team"', 1)
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SampleError) as caught:
        load_sample(path)
    assert [(p.code, p.row) for p in caught.value.problems] == [("open_quote", 10)]


def test_a_cell_with_a_line_break_is_still_a_cell(tmp_path):
    lines = _case_list(10).splitlines()
    lines[3] = lines[3].replace("Team 3", '"Team 3\nnorth, east"')
    path = tmp_path / "cases.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sample = load_sample(path)
    assert len(sample.cases) == 10


def test_one_windows_byte_in_a_utf8_file_names_its_row(tmp_path):
    text = _case_list(12).replace("Q00002,", "Q00002 Zoë,", 1)
    data = text.encode("utf-8").replace(b"Q00009,", b"Q00009 Ren\xe9e,", 1)
    path = tmp_path / "cases.csv"
    path.write_bytes(data)
    with pytest.raises(SampleError) as caught:
        load_sample(path)
    assert caught.value.codes == ["mixed_encoding"]
    assert caught.value.problems[0].row == 10
    assert "row 10 holds bytes of another encoding" in str(caught.value)
    assert load_sample(DATA / "cp1252.csv").cases is not None  # one encoding throughout reads


def _bomb(size: int) -> bytes:
    """A small XLSX whose shared strings expand to ``size`` bytes (declared honestly)."""
    good = io.BytesIO()
    book = openpyxl.Workbook()
    book.active.append(["CRN", "Sample"])
    book.save(good)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good.getvalue())) as src:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                if item.filename != "xl/sharedStrings.xml":
                    dst.writestr(item, src.read(item))
            with dst.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
                part.write(
                    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                )
                part.write(b"<si><t>")
                chunk = b"A" * 2**20
                for _ in range(size // len(chunk)):
                    part.write(chunk)
                part.write(b"</t></si></sst>")
    return out.getvalue()


def test_a_shared_strings_bomb_is_refused_before_it_is_opened():
    import resource
    import time as clock

    data = _bomb(300 * 2**20)
    assert len(data) < 2 * 2**20
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = clock.perf_counter()
    with pytest.raises(SampleError) as caught:
        load_sample_bytes(data, "bomb.xlsx")
    assert clock.perf_counter() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KiB
    assert caught.value.codes == ["file_too_large"]
    assert "bomb.xlsx: the workbook expands to 300 MiB" in str(caught.value)


def test_a_part_that_expands_too_many_times_is_refused():
    with pytest.raises(SampleError) as caught:
        load_sample_bytes(_bomb(20 * 2**20), "bomb.xlsx")
    assert caught.value.codes == ["zip_bomb"]
    assert "expands" in str(caught.value) and "xl/sharedStrings.xml" in str(caught.value)


def test_a_cell_longer_than_excel_allows_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["CRN", "Sample", "LDU"])
    book.active.append(["T1", "case supervision", "x" * 40])
    saved = io.BytesIO()
    book.save(saved)
    path = tmp_path / "long.xlsx"
    with zipfile.ZipFile(saved) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():  # openpyxl cuts a cell at 32,767: write a longer one
            dst.writestr(item, src.read(item).replace(b"x" * 40, b"x" * 40_000))
    with pytest.raises(SampleError) as caught:
        load_sample(path)
    assert [(p.code, p.row, p.column) for p in caught.value.problems] == [("cell_too_long", 2, "C")]


def test_a_sheet_with_too_many_rows_is_refused(tmp_path, monkeypatch):
    from workbook.caselist import limits

    monkeypatch.setattr(limits, "MAX_ROWS", 50)  # the rule, not the 1,048,576 rows
    path = tmp_path / "many.xlsx"
    book = openpyxl.Workbook()
    for i in range(60):
        book.active.append([f"T{i}", "case supervision"])
    book.save(path)
    with pytest.raises(SampleError) as caught:
        load_sample(path)
    assert caught.value.codes == ["too_many_rows"]
    assert "more than 50 rows" in str(caught.value)


def test_deep_yaml_and_endless_files_are_framework_errors(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(deep)
    assert caught.value.codes == ["too_deep"]
    assert "deep.yaml, row 1: the document is nested more than 32 levels deep." in str(caught.value)
    with pytest.raises(FrameworkError) as caught:
        load_framework("/dev/zero")
    assert caught.value.codes == ["binary_file"]
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * (5 * 2**20) + "\n", encoding="utf-8")
    with pytest.raises(FrameworkError) as caught:
        load_framework(big)
    assert caught.value.codes == ["file_too_large"]
