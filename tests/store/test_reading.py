"""load_rated: the one way to read and rate an inspection, with the framework it is pinned to."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.errors import InputError, StoreError
from workbook.files import BUILTIN_FRAMEWORKS, load_framework
from workbook.ratings import rate, ratings_to_dict
from workbook.store import load_rated, open_store

from .sample import NAME


def other_version(folder: Path, version: str = "2019.9") -> Path:
    """A folder holding hmip-2018-crc under another version (as WORKBOOK_FRAMEWORKS may)."""
    folder.mkdir()
    text = (BUILTIN_FRAMEWORKS / "hmip-2018-crc.yaml").read_text(encoding="utf-8")
    pinned = str(load_framework("hmip-2018-crc").version)
    assert f'version: "{pinned}"' in text
    (folder / "hmip-2018-crc.yaml").write_text(
        text.replace(f'version: "{pinned}"', f'version: "{version}"', 1), encoding="utf-8"
    )
    return folder


def test_load_rated_reads_and_rates_as_the_parts_do(store):
    fw = load_framework("hmip-2018-crc")
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    store.save_judgement(NAME, "C002", "2.1.1", "no", "inspector-1")
    store.save_judgement(NAME, "C003", "2.1.1", "yes", "inspector-1")
    store.save_judgement(NAME, "C003", "2.1.1", None, "inspector-1")  # cleared: left out
    store.save_decision(NAME, "1.1", "Good", "Leaders have a clear vision.", "lead")
    rated = load_rated(store, NAME, by=("ldu",))
    assert rated.inspection == store.inspection(NAME)
    assert (rated.framework.id, rated.framework.version) == (fw.id, fw.version)
    assert rated.cases["case_id"].tolist() == store.cases(NAME)["case_id"].tolist()
    assert sorted(rated.judgements["case_id"]) == ["C001", "C002"]
    assert rated.decisions == store.decisions(NAME)
    expected = rate(
        fw, store.judgements(NAME), store.decisions(NAME), cases=store.cases(NAME), by=("ldu",)
    )
    assert ratings_to_dict(fw, rated.ratings) == ratings_to_dict(fw, expected)
    assert rated.ratings.key_questions["2.1.1"].n == 2
    assert set(rated.ratings.breakdowns["ldu"]) == {"East", "North", "South"}


def test_load_rated_refuses_another_version_of_the_framework(store_url, store, tmp_path):
    folder = other_version(tmp_path / "frameworks")
    pinned = store.inspection(NAME).framework_version
    other = open_store(store_url, read_only=True, frameworks=folder)
    try:
        with pytest.raises(StoreError) as caught:
            load_rated(other, NAME)
    finally:
        other.close()
    assert caught.value.codes == ["framework_version"]
    assert pinned in str(caught.value) and "2019.9" in str(caught.value)


def test_load_rated_refuses_an_attribute_the_cases_lack(store):
    with pytest.raises(InputError) as caught:
        load_rated(store, NAME, by=("region",))
    assert caught.value.codes == ["unknown_attribute"] and "region" in str(caught.value)
