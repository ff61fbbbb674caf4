"""Export and import: identical round trips, damaged exports refused, folders written all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from workbook.errors import StoreError
from workbook.store import open_store

from .sample import NAME


def _fill(store):
    store.save_judgement(
        NAME, "C001", "2.1.1", "yes", "inspector-1", note='a note, with "quotes"\nand a new line'
    )
    store.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-2", expect_version=1)
    store.save_judgement(NAME, "C002", "2.1.2", "yes", "inspector-1", note="")
    store.save_judgement(NAME, "C003", "2.1.3", "yes", "inspector-1")
    store.save_judgement(NAME, "C003", "2.1.3", None, "inspector-1")
    store.save_decision(NAME, "1.1", "Good", "Evidence: leaders, staff, partners.", "lead")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_export_then_import_gives_identical_inspection(store, other_url, tmp_path):
    _fill(store)
    folder = store.export_inspection(NAME, tmp_path / "export")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == {
        "inspection.csv",
        "cases.csv",
        "judgements.csv",
        "decisions.csv",
        "history.csv",
        "members.csv",
        "case_work.csv",
        "queries.csv",
        "second_judgements.csv",
        "adjudications.csv",
    }
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())
    target = open_store(other_url)
    assert target.import_export(folder) == store.inspection(NAME)
    pd.testing.assert_frame_equal(target.judgements(NAME), store.judgements(NAME))
    pd.testing.assert_frame_equal(target.cases(NAME), store.cases(NAME))
    assert target.decisions(NAME) == store.decisions(NAME)
    assert target.history(NAME) == store.history(NAME)
    assert target.case_judgements(NAME, "C003") == store.case_judgements(NAME, "C003")
    # the imported store goes on where the original left off
    assert (
        target.save_judgement(
            NAME, "C001", "2.1.1", "yes", "cat", expect_version=2
        ).judgement.version
        == 3
    )
    target.close()


@pytest.mark.parametrize("damage", ["checksum", "missing_file", "missing_manifest"])
def test_damaged_export_is_refused_and_changes_nothing(store, other_url, tmp_path, damage):
    _fill(store)
    folder = store.export_inspection(NAME, tmp_path / "export")
    if damage == "checksum":
        path = folder / "judgements.csv"
        path.write_text(path.read_text().replace("inspector-2", "inspector-6"))
    elif damage == "missing_file":
        (folder / "history.csv").unlink()
    else:
        (folder / "manifest.json").unlink()
    target = open_store(other_url)
    with pytest.raises(StoreError) as info:
        target.import_export(folder)
    expected = {
        "checksum": ("checksum_mismatch", "judgements.csv"),
        "missing_file": ("missing_file", "history.csv"),
        "missing_manifest": ("missing_manifest", "manifest.json"),
    }[damage]
    assert expected[0] in info.value.codes and expected[1] in str(info.value)
    assert target.inspections() == []
    target.close()


def test_importing_an_inspection_the_store_has_is_refused(store, tmp_path):
    _fill(store)
    folder = store.export_inspection(NAME, tmp_path / "export")
    before = store.history(NAME)
    with pytest.raises(StoreError) as info:
        store.import_export(folder)
    assert info.value.codes == ["inspection_exists"]
    assert store.history(NAME) == before


def test_export_under_a_file_is_a_store_error_naming_the_folder(store, tmp_path):
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    target = tmp_path / "afile" / "x"
    with pytest.raises(StoreError) as caught:
        store.export_inspection(NAME, target)
    assert caught.value.codes == ["cannot_write_export"]
    assert str(target) in str(caught.value)
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "not a folder"


def test_a_failed_export_keeps_the_previous_export_intact(store, tmp_path, monkeypatch):
    _fill(store)
    target = tmp_path / "export"
    store.export_inspection(NAME, target)
    before = _snapshot(target)
    store.save_judgement(NAME, "C004", "2.1.1", "yes", "inspector-1")  # the next export differs
    real_write = Path.write_bytes
    calls = []

    def disk_fills_up(self, data):
        calls.append(self.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_fills_up)
    with pytest.raises(StoreError) as caught:
        store.export_inspection(NAME, target)
    monkeypatch.undo()
    assert caught.value.codes == ["cannot_write_export"]
    assert "No space left" in str(caught.value) and str(target) in str(caught.value)
    assert _snapshot(target) == before  # the good export is untouched
    assert sorted(p.name for p in tmp_path.iterdir() if "export" in p.name) == ["export"]
    # and once the disk has room, the export replaces the previous one completely
    store.export_inspection(NAME, target)
    assert _snapshot(target) != before
    assert {"C004"} <= {
        line.split(",")[0]
        for line in (target / "judgements.csv").read_text(encoding="utf-8").splitlines()
    }


def test_export_refuses_a_folder_holding_other_files(store, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(StoreError) as caught:
        store.export_inspection(NAME, target)
    assert caught.value.codes == ["export_folder_in_use"]
    assert _snapshot(target) == {"thesis.docx": b"precious"}
