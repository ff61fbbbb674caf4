"""SampleLoader: a good and a malformed case list, and a draw from a population, through the
widget as a user would use it, against a real SQLite store."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from workbook.errors import StoreError
from workbook.store import open_store
from workbook.ui.inspect.sample_loader import SampleLoader

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
DEMO = Path(__file__).resolve().parents[3] / "data" / "demo"


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'loader.db'}")
    yield s
    s.close()


def upload(loader, path: Path):
    """Put a file into the FileUpload as the browser does."""
    data = path.read_bytes()
    loader.upload.value = (
        {
            "name": path.name,
            "type": "text/csv",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime(2026, 11, 1, tzinfo=UTC),
        },
    )


def test_a_good_case_list_is_checked_then_imported(store):
    loader = SampleLoader(store, data_dir=SAMPLES.parent, inspector="inspector A")
    assert ("samples/valid.csv", str(SAMPLES / "valid.csv")) in loader.file_picker.options
    loader.file_picker.value = str(SAMPLES / "valid.csv")
    assert loader.check_button.description.endswith("uses data file 'samples/valid.csv'")
    loader.check_button.click()
    assert loader.check_feedback.kind == "status"
    assert "30 cases ready to import from data file 'samples/valid.csv'" in (
        loader.check_feedback.text
    )
    assert loader.cases is not None and not loader.create_button.disabled
    assert "Imports the 30 cases from data file" in loader.create_note.value
    assert "case supervision:" in loader.summary.value and "case_supervision" not in (
        loader.summary.value
    )
    loader.name_text.value = "test-2026"
    loader.provider_text.value = "Test CRC"
    loader.create_button.click()
    assert loader.created == "test-2026", loader.feedback.value
    assert "Created inspection" in loader.feedback.text and "open_workbook" not in (
        loader.feedback.value
    )
    assert len(store.cases("test-2026")) == len(loader.cases)
    assert store.inspection("test-2026").provider == "Test CRC"


def test_a_malformed_case_list_shows_every_problem_under_its_button_and_imports_nothing(store):
    loader = SampleLoader(store)
    upload(loader, SAMPLES / "bad_values.csv")
    loader.check_button.click()
    shown = loader.check_feedback.text
    assert loader.check_feedback.kind == "problems"
    assert "5 problems in upload 'bad_values.csv': nothing was imported" in shown
    assert "bad_values.csv 5 Gender Mail" in shown  # file, row, the user's heading, value
    assert "RoSH (risk of serious harm) meduim" in shown
    assert loader.feedback.value == "" and loader.population_feedback.value == ""
    assert loader.cases is None and loader.create_button.disabled
    loader.name_text.value = "should-not-exist"
    loader.create_inspection()  # even if called, nothing is imported
    assert "Check a case list" in loader.feedback.text
    with pytest.raises(StoreError):
        store.inspection("should-not-exist")
    assert store.inspections() == []


def test_one_source_at_a_time_and_each_button_names_it(store):
    loader = SampleLoader(store, data_dir=DEMO.parent)
    assert loader.chosen == "" and loader.clear_button.disabled
    assert "choose a file first" in loader.check_button.description
    upload(loader, SAMPLES / "valid.csv")
    assert loader.chosen == "upload 'valid.csv'" and not loader.clear_button.disabled
    assert loader.check_button.description == "Check as the case list: uses upload 'valid.csv'"
    assert loader.population_button.description.endswith("uses upload 'valid.csv'")
    assert "upload &#39;valid.csv&#39;" in loader.source_note.value
    # picking a data file clears the upload: the next action uses the picked file
    loader.file_picker.value = str(DEMO / "population.csv")
    assert loader.upload.value == () and loader.clear_button.disabled
    assert loader.chosen == "data file 'demo/population.csv'"
    loader.population_button.click()
    assert len(loader.population) == 240
    assert "240 cases from data file 'demo/population.csv'" in loader.population_feedback.text
    # uploading clears the pick; Clear clears the upload
    upload(loader, SAMPLES / "valid.csv")
    assert loader.file_picker.value == "" and loader.chosen == "upload 'valid.csv'"
    loader.clear_button.click()
    assert loader.upload.value == () and loader.chosen == ""
    loader.check_button.click()
    assert "no file chosen" in loader.check_feedback.text and loader.cases is None


def test_a_sample_drawn_from_a_population_with_strata_and_seed(store):
    loader = SampleLoader(store)
    assert loader.draw_box.layout.display == "none"  # nothing to draw from yet
    loader.file_picker.options = [("none", ""), ("population", str(DEMO / "population.csv"))]
    loader.file_picker.value = str(DEMO / "population.csv")
    loader.population_button.click()
    assert loader.draw_box.layout.display is None
    assert "rounded up" in loader.size_label.value
    n = loader.sample_n.value
    assert 60 < n < 240
    loader.confidence.value = 0.95
    assert loader.sample_n.value > n
    loader.sample_n.value = 40
    loader.strata_picker.value = ("ldu", "gender")
    loader.seed_text.value = 7
    loader.draw_button.click()
    assert len(loader.cases) == 40 and loader.seed == 7
    assert "40 cases drawn with seed 7 from 240 cases" in loader.draw_feedback.text
    table = loader.draw_table.value
    assert "Population and sample by stratum" in table and "Population and sample by value" in table
    assert '<th scope="col">Share of the sample</th>' in table
    shares = [c for c in table.split("<td>") if c.split("</td>")[0].endswith("%")]
    assert shares and all(0 <= float(c.split("%")[0]) <= 100 for c in shares)
    assert "0.3" not in table.replace("0.3%", "")  # no bare share such as 0.3
    first = sorted(loader.cases["case_id"])
    loader.draw_button.click()  # the same seed draws the same cases
    assert sorted(loader.cases["case_id"]) == first
    loader.name_text.value = "drawn"
    loader.create_button.click()
    assert sorted(store.cases("drawn")["case_id"]) == first


def test_the_drawn_list_downloads_as_a_csv_that_reads_back_with_its_seed(store):
    import base64
    import re

    from workbook.files import load_sample_bytes

    loader = SampleLoader(store)
    loader.file_picker.options = [("none", ""), ("population", str(DEMO / "population.csv"))]
    loader.file_picker.value = str(DEMO / "population.csv")
    loader.population_button.click()
    loader.sample_n.value, loader.seed_text.value = 98, 7
    loader.draw_button.click()
    html = loader.draw_feedback.value
    link = re.search(r'href="data:text/csv;base64,([^"]+)" download="([^"]+)"', html)
    assert link, html
    assert link.group(2) == "population-drawn-98-seed-7.csv"
    back = load_sample_bytes(base64.b64decode(link.group(1)), link.group(2), required=("case_id",))
    assert back.seed == 7 and sorted(back.case_ids) == sorted(loader.cases["case_id"])


def test_a_draw_that_cannot_be_made_says_why_under_the_draw_button(store, tmp_path):
    path = tmp_path / "population.csv"
    rows = ["CRN,PDU,Sex"] + [f"P{i},North,m" for i in range(20)] + ["P99,South,f"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    loader = SampleLoader(store, data_dir=tmp_path)
    loader.file_picker.value = str(path)
    loader.population_button.click()
    assert [label for label, _ in loader.strata_picker.options] == ["PDU", "Sex"]
    loader.sample_n.value = 5
    loader.strata_picker.value = ("ldu",)
    loader.draw_button.click()
    assert loader.draw_feedback.kind == "status"  # South gets no case in 5, but ldu is stratum
    loader.file_picker.value = ""
    loader.population = loader.population.assign(ldu=[""] + ["North"] * 20)
    loader.draw_button.click()
    assert loader.draw_feedback.kind == "problems"
    assert "has no value for the stratum column 'PDU (LDU)'" in loader.draw_feedback.text


def test_warnings_are_shown_but_do_not_block_the_import(store):
    loader = SampleLoader(store)
    upload(loader, SAMPLES / "small_ldu.csv")
    loader.check_button.click()
    assert loader.check_feedback.kind == "status"
    assert "warning (they do not stop the import)" in loader.check_warnings.value
    assert not loader.create_button.disabled
    loader.name_text.value = "small"
    loader.create_button.click()
    assert loader.created == "small"
    assert len(store.cases("small")) == len(loader.cases)


def test_an_xlsx_in_the_users_words_with_a_total_row(store, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Case list: Midshire"])
    sheet.append(["CRN", "Sample type", "PDU", "Sex", "Disposal", "RoSH"])
    sheet.append(["M1", "Case supervision", "North", "M", "Community order", "High"])
    sheet.append(["M2", "Case supervision", "North", "F", "Licence", "Low"])
    sheet.append(["Total", 2, None, None, None, None])
    book.save(tmp_path / "midshire.xlsx")
    loader = SampleLoader(store)
    upload(loader, tmp_path / "midshire.xlsx")
    loader.check_button.click()
    assert "2 cases ready to import from upload 'midshire.xlsx'" in loader.check_feedback.text
    assert "midshire.xlsx, row 5: the row starting &#39;Total&#39; is a row of totals" in (
        loader.check_warnings.value
    )
    assert "PDU: North: 2" in loader.summary.value and "Sex: male: 1" in loader.summary.value
    assert "Sample type: case supervision: 2" in loader.summary.value
    sheet["D4"] = "Lady"
    book.save(tmp_path / "midshire.xlsx")
    upload(loader, tmp_path / "midshire.xlsx")
    loader.check_button.click()
    text = loader.check_feedback.text
    assert "midshire.xlsx 4 Sex (gender) Lady 'Lady' is not a gender" in text
    assert "row 5" in loader.check_warnings.value  # still named beside the problem


def test_a_read_only_loader_checks_files_but_imports_nothing(store):
    loader = SampleLoader(store, disabled=True)
    assert loader.create_button.disabled and loader.upload.disabled
    assert "read-only" in loader.create_note.value
    loader.file_picker.options = [("none", ""), ("valid", str(SAMPLES / "valid.csv"))]
    loader.file_picker.value = str(SAMPLES / "valid.csv")
    loader.check_case_list()
    assert loader.create_button.disabled
    loader.name_text.value = "nope"
    loader.create_inspection()
    assert "read-only" in loader.feedback.text
    assert store.inspections() == []


def test_a_failed_import_creates_no_inspection_and_a_retry_works(store):
    import pandas as pd

    loader = SampleLoader(store, data_dir=SAMPLES.parent, inspector="inspector A")
    loader.file_picker.value = str(SAMPLES / "valid.csv")
    loader.check_button.click()
    good = loader.cases
    # the store refuses the cases (two with the same id): nothing at all may be left behind
    loader.cases = pd.concat([good, good.iloc[:1]], ignore_index=True)
    loader.name_text.value = "retry-2026"
    loader.create_button.click()
    assert loader.created == ""
    assert "appears twice" in loader.feedback.text
    assert store.inspections() == []  # not an empty inspection
    loader.cases = good
    loader.create_button.click()  # the retry does not say "already exists"
    assert loader.created == "retry-2026", loader.feedback.value
    assert len(store.cases("retry-2026")) == len(good)


def test_created_is_heard_by_on_created(store):
    heard = []
    loader = SampleLoader(store, data_dir=SAMPLES.parent)
    loader.on_created(heard.append)
    loader.file_picker.value = str(SAMPLES / "valid.csv")
    loader.check_button.click()
    loader.name_text.value = "heard-2026"
    loader.create_button.click()
    assert heard == ["heard-2026"]


def test_the_history_records_the_loaders_inspector(store):
    loader = SampleLoader(store, data_dir=SAMPLES.parent, inspector="inspector A")
    loader.file_picker.value = str(SAMPLES / "valid.csv")
    loader.check_button.click()
    loader.name_text.value = "who-2026"
    loader.create_button.click()
    assert loader.created == "who-2026", loader.feedback.value
    whos = {(e.entity, e.by) for e in store.history("who-2026")}
    assert ("inspection", "inspector A") in whos
    assert {by for _, by in whos} == {"inspector A"}
