"""The store's export with hostile text in it: every cell inert for a spreadsheet, and every value
back exactly as it was after an import. On real SQLite and real PostgreSQL.

The payloads sit where people type free text that reaches the export: an LDU name in the case
list, a judgement's note, a discretion reason and an inspector's name.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import replace

import pandas as pd
import pytest

from workbook.caselist.cells import FORMULA_START
from workbook.cli import main
from workbook.errors import StoreError
from workbook.reasons import Reason
from workbook.store import open_store

PAYLOADS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://x","y")',
    "+1",
    "-1",
    "@SUM(A1)",
    "\tx",
    "\rx",
    "'quoted",
    "'=1",  # a real quote before a formula: it must survive too
    "\\N",  # the export's own marker of a missing value, as text
)
HOSTILE = "hostile-2019"
STANDARDS = ("1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "4.1", "4.2")


def _hostile(store) -> None:
    cases = pd.DataFrame(
        {
            "case_id": [f"H{i:03d}" for i in range(len(PAYLOADS))],
            "sample": ["case_supervision"] * len(PAYLOADS),
            "ldu": list(PAYLOADS),
            "gender": list(reversed(PAYLOADS)),
        }
    )
    store.create_inspection(HOSTILE, "hmip-2018-crc", provider=PAYLOADS[1], inspector=PAYLOADS[0])
    store.import_cases(HOSTILE, cases, inspector=PAYLOADS[4])
    for i, payload in enumerate(PAYLOADS):
        store.save_judgement(HOSTILE, f"H{i:03d}", "2.1.1", "yes", payload, note=payload)
        store.save_decision(HOSTILE, STANDARDS[i], "Good", payload, PAYLOADS[-1 - i])


def _cells(folder) -> list[str]:
    out = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            out += [cell for row in csv.reader(handle) for cell in row]
    return out


def test_exported_cells_are_inert_and_import_gives_the_originals_back(store, other_url, tmp_path):
    _hostile(store)
    folder = store.export_inspection(HOSTILE, tmp_path / "export")
    cells = _cells(folder)
    risky = [c for c in cells if c.startswith(FORMULA_START)]
    assert risky == []
    for payload in PAYLOADS:
        if payload.lstrip("'").startswith((*FORMULA_START, "\\")):
            assert "'" + payload in cells, payload  # exactly one quote more, nothing else
        else:
            assert payload in cells, payload
    target = open_store(other_url)
    try:
        assert target.import_export(folder) == store.inspection(HOSTILE)
        pd.testing.assert_frame_equal(target.cases(HOSTILE), store.cases(HOSTILE))
        assert set(target.cases(HOSTILE)["ldu"]) == set(PAYLOADS)
        pd.testing.assert_frame_equal(target.judgements(HOSTILE), store.judgements(HOSTILE))
        # notes and reasons are saved stripped ("\tx" is "x"); the LDU names as typed
        notes = {p.strip() for p in PAYLOADS}  # "\\N" too: a note, not a missing one
        assert set(target.judgements(HOSTILE)["note"]) == notes
        assert target.stored_decisions(HOSTILE) == store.stored_decisions(HOSTILE)
        assert {d.reason for d in target.decisions(HOSTILE)} == {p.strip() for p in PAYLOADS}
        # the history's row ids are the target store's own (the source holds another inspection)
        unnumbered = [replace(h, id=None) for h in store.history(HOSTILE)]
        assert [replace(h, id=None) for h in target.history(HOSTILE)] == unnumbered
        # and again: an export of the import is the same files
        again = target.export_inspection(HOSTILE, tmp_path / "again")
        for name in ("cases.csv", "judgements.csv", "decisions.csv", "history.csv"):
            assert (again / name).read_bytes() == (folder / name).read_bytes(), name
    finally:
        target.close()


def _as_format_1(folder, fname: str, column: str, value: str) -> None:
    """An export as the workbook wrote it before the cell rule (format 1): text as it is."""
    path = folder / fname
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = 1
    manifest["files"][fname]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def test_an_export_of_format_1_is_read_as_it_is(store, other_url, tmp_path):
    _hostile(store)
    folder = store.export_inspection(HOSTILE, tmp_path / "export")
    _as_format_1(folder, "judgements.csv", "note", "'=1")
    target = open_store(other_url)
    try:
        target.import_export(folder)
        notes = target.judgements(HOSTILE).set_index("case_id")["note"]
        assert notes["H000"] == "'=1"  # no prefix to take off in format 1
    finally:
        target.close()


@pytest.mark.parametrize("name", ["out\x00put", "out\x1b[31mput", "out\nput"])
def test_an_export_folder_with_a_control_character_is_refused(store, tmp_path, name):
    _hostile(store)
    with pytest.raises(StoreError) as info:
        store.export_inspection(HOSTILE, tmp_path / name)
    assert info.value.codes == [Reason.BAD_PATH]
    assert "\x00" not in str(info.value) and "\x1b" not in str(info.value)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(("out", ".out"))]


def test_the_command_line_export_to_such_a_folder_exits_2(store, store_url, tmp_path, capsys):
    _hostile(store)
    out = tmp_path / "a\x01b"
    assert main(["export", HOSTILE, "--out", str(out), "--db", store_url]) == 2
    err = capsys.readouterr().err
    assert "bad_path" in err or "control character" in err
    assert "\x01" not in err and "Traceback" not in err
    assert not out.exists()
