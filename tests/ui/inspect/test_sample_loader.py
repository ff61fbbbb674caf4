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
    loader.check_button.click()
    assert loader.problems.value == ""
    assert loader.cases is not None and not loader.create_button.disabled
    assert "cases ready to import" in loader.summary.value
    loader.name_text.value = "test-2026"
    loader.provider_text.value = "Test CRC"
    loader.create_button.click()
    assert loader.created == "test-2026", loader.feedback.value
    assert len(store.cases("test-2026")) == len(loader.cases)
    assert store.inspection("test-2026").provider == "Test CRC"


def test_a_malformed_case_list_shows_every_problem_and_imports_nothing(store):
    loader = SampleLoader(store)
    upload(loader, SAMPLES / "bad_values.csv")
    loader.check_button.click()
    shown = loader.problems.value
    assert "nothing was imported" in shown
    assert "bad_values.csv" in shown and "Mail" in shown and "suspended" in shown
    assert "<td>5</td>" in shown  # T00004 is on row 5, as a spreadsheet shows it
    assert loader.cases is None and loader.create_button.disabled
    loader.name_text.value = "should-not-exist"
    loader.create_inspection()  # even if called, nothing is imported
    assert "Check a case list" in loader.feedback.value
    with pytest.raises(StoreError):
        store.inspection("should-not-exist")
    assert store.inspections() == []


def test_a_sample_drawn_from_a_population_with_strata_and_seed(store):
    loader = SampleLoader(store)
    loader.file_picker.options = [("population", str(DEMO / "population.csv"))]
    loader.file_picker.value = str(DEMO / "population.csv")
    loader.population_button.click()
    assert len(loader.population) == 240
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
    assert "Population and sample by stratum" in loader.draw_table.value
    first = sorted(loader.cases["case_id"])
    loader.draw_button.click()  # the same seed draws the same cases
    assert sorted(loader.cases["case_id"]) == first
    loader.name_text.value = "drawn"
    loader.create_button.click()
    assert sorted(store.cases("drawn")["case_id"]) == first


def test_warnings_are_shown_but_do_not_block_the_import(store):
    loader = SampleLoader(store)
    upload(loader, SAMPLES / "small_ldu.csv")
    loader.check_button.click()
    assert loader.problems.value == ""
    assert "warnings (they do not stop the import)" in loader.warnings.value
    assert not loader.create_button.disabled
    loader.name_text.value = "small"
    loader.create_button.click()
    assert loader.created == "small"
    assert len(store.cases("small")) == len(loader.cases)


def test_a_read_only_loader_checks_files_but_imports_nothing(store):
    loader = SampleLoader(store, disabled=True)
    assert loader.create_button.disabled and loader.upload.disabled
    loader.file_picker.options = [("valid", str(SAMPLES / "valid.csv"))]
    loader.file_picker.value = str(SAMPLES / "valid.csv")
    loader.check_case_list()
    loader.name_text.value = "nope"
    loader.create_inspection()
    assert "read-only" in loader.feedback.value
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
    assert "appears twice" in loader.feedback.value
    assert store.inspections() == []  # not an empty inspection
    loader.cases = good
    loader.create_button.click()  # the retry does not say "already exists"
    assert loader.created == "retry-2026", loader.feedback.value
    assert len(store.cases("retry-2026")) == len(good)


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
