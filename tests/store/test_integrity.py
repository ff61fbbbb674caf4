"""A store that refuses to lie: a value changed behind the workbook's back (raw SQL) is a
``bad_stored_value`` naming the case and key question for every reader, an import checks every
value before writing anything, and a malformed SQLite file is never written to. On real SQLite
and real PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3

import pytest
from sqlalchemy import text

from workbook.errors import StoreError
from workbook.reasons import Reason
from workbook.store import load_rated, open_store

from .sample import NAME


def _corrupt(store, answer: str = "not_applicablf") -> None:
    with store._engine.begin() as conn:
        conn.execute(
            text("UPDATE judgements SET answer = :a WHERE case_id = 'C002' AND question = '2.1.1'"),
            {"a": answer},
        )


@pytest.fixture
def corrupted(store):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "ana")
    store.save_judgement(NAME, "C002", "2.1.1", "no", "ana")
    _corrupt(store)
    return store


def _assert_names_the_row(exc: StoreError) -> None:
    assert exc.codes == [Reason.BAD_STORED_VALUE]
    text_ = str(exc)
    assert "C002" in text_ and "2.1.1" in text_ and "not_applicablf" in text_


def test_every_reader_refuses_an_unknown_stored_answer(corrupted, tmp_path):
    readers = [
        lambda: corrupted.judgements(NAME),
        lambda: corrupted.case_judgements(NAME, "C002"),
        lambda: load_rated(corrupted, NAME),
        lambda: corrupted.export_inspection(NAME, tmp_path / "out"),
    ]
    for read in readers:
        with pytest.raises(StoreError) as info:
            read()
        _assert_names_the_row(info.value)
    assert not (tmp_path / "out").exists()
    # another case's judgements are still read
    assert corrupted.case_judgements(NAME, "C001")["2.1.1"].answer == "yes"


def test_a_stored_answer_to_an_unknown_question_is_refused(corrupted):
    with corrupted._engine.begin() as conn:
        conn.execute(
            text("UPDATE judgements SET answer = 'yes', question = '9.9.9' WHERE case_id = 'C002'")
        )
    with pytest.raises(StoreError) as info:
        corrupted.judgements(NAME)
    assert info.value.codes == [Reason.BAD_STORED_VALUE]
    assert "9.9.9" in str(info.value) and "C002" in str(info.value)


def test_a_control_character_in_a_stored_answer_is_shown_escaped(store):
    store.save_judgement(NAME, "C002", "2.1.1", "no", "ana")
    _corrupt(store, "yes\x1b[2J")
    with pytest.raises(StoreError) as info:
        store.judgements(NAME)
    assert "\x1b" not in str(info.value) and "\\x1b[2J" in str(info.value)


def _tamper(folder, fname: str, column: str, value: str) -> None:
    """Change one cell of an export file and fix its checksum, as a careful forger would."""
    path = folder / fname
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    col = rows[0].index(column)
    rows[1][col] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"][fname]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


@pytest.mark.parametrize(
    ("fname", "column", "value"),
    [
        ("judgements.csv", "answer", "not_applicablf"),
        ("judgements.csv", "question", "9.9.9"),
        ("judgements.csv", "version", "two"),
        ("judgements.csv", "saved_at", "yesterday"),
        ("judgements.csv", "case_id", "C999"),
        ("decisions.csv", "rating", "Brilliant"),
        ("decisions.csv", "version", "-1"),
        ("cases.csv", "case_id", ""),
        ("cases.csv", "position", "first"),
        ("inspection.csv", "created_at", "not a time"),
        ("inspection.csv", "fieldwork_start", "2019-13-45"),
        ("inspection.csv", "name", "../../etc/passwd"),
        ("history.csv", "at", "never"),
    ],
)
def test_import_checks_every_value_before_writing(store, other_url, tmp_path, fname, column, value):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "ana")
    store.save_decision(NAME, "2.1", "Good", "a reason", "ana")
    folder = store.export_inspection(NAME, tmp_path / "out")
    _tamper(folder, fname, column, value)
    other = open_store(other_url)
    try:
        with pytest.raises(StoreError) as info:
            other.import_export(folder)
        problem = info.value.problems[0]
        assert fname in str(problem.file) and problem.row == 2
        assert problem.column == column
        assert other.inspections() == []
    finally:
        other.close()


def _malform(path) -> None:
    """Point an index at a table's pages: the file opens, its quick check fails."""
    con = sqlite3.connect(path)
    try:
        table_root = con.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'judgements'"
        ).fetchone()[0]
        index = con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history' AND rootpage > 0"
        ).fetchone()[0]
        con.execute("PRAGMA writable_schema = ON")
        con.execute("UPDATE sqlite_master SET rootpage = ? WHERE name = ?", (table_root, index))
        con.commit()
    finally:
        con.close()


def test_a_malformed_sqlite_file_is_not_written(tmp_path):
    path = tmp_path / "store.db"
    url = f"sqlite:///{path}"
    store = open_store(url)
    store.create_inspection(NAME, "hmip-2018-crc")
    store.close()
    _malform(path)
    before = path.read_bytes()
    with pytest.raises(StoreError) as info:
        open_store(url)
    assert info.value.codes == [Reason.MALFORMED_STORE]
    assert str(path) in str(info.value)
    assert path.read_bytes() == before
