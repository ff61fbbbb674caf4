"""Every notebook executes headless (nbclient) in dashboard mode against a store holding the
demo inspection: no error, and no case id, note or inspector name in any output."""

import csv
import json
from pathlib import Path

import nbclient
import nbformat
import pytest

from workbook.demo import DEMO_DIR, ensure_demo
from workbook.store import open_store

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def private_texts() -> set[str]:
    with open(DEMO_DIR / "cases.csv", encoding="utf-8") as f:
        cases = list(csv.DictReader(f))
    with open(DEMO_DIR / "judgements.csv", encoding="utf-8") as f:
        judgements = list(csv.DictReader(f))
    with open(DEMO_DIR / "decisions.csv", encoding="utf-8") as f:
        authors = {r["by"] for r in csv.DictReader(f)}
    return (
        {c["case_id"] for c in cases}
        | {j["note"] for j in judgements if j["note"]}
        | {c["inspector"] for c in cases}
        | authors
    )


def test_there_are_three_pages():
    assert [p.name for p in NOTEBOOKS] == ["dashboard.ipynb", "inspect.ipynb", "methodology.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_headless_in_dashboard_mode(path, tmp_path, monkeypatch):
    store = open_store(
        f"sqlite:///{tmp_path / 'home' / 'workbook.db'}"
    )  # WORKBOOK_HOME's default store
    ensure_demo(store)
    store.close()
    monkeypatch.setenv("WORKBOOK_MODE", "dashboard")
    nb = nbformat.read(path, as_version=4)
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors, errors
    # the outputs and the widget state the page would send to a browser
    text = json.dumps([c.get("outputs", []) for c in nb.cells]) + json.dumps(
        nb.metadata.get("widgets", {})
    )
    assert (
        "Requires improvement" in text
    )  # the demo's overall rating (methodology: standard 2.1's lowest band)
    leaked = sorted(t for t in private_texts() if t in text)
    assert leaked == []


def test_the_leak_check_sees_case_ids_when_they_are_shown(tmp_path):
    """Control: in inspect mode the inspectors' notebook does show cases, and the check sees them."""
    store = open_store(f"sqlite:///{tmp_path / 'home' / 'workbook.db'}")
    ensure_demo(store)
    store.close()
    nb = nbformat.read(NOTEBOOKS[1], as_version=4)
    nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    text = json.dumps(nb.metadata.get("widgets", {}))
    assert "D19-CS-001" in text
