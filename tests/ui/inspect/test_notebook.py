"""notebooks/inspect.ipynb: stored as a page (no outputs, no code beyond calls into workbook)
and executed headless with nbclient against a temporary store."""

import ast
import os
from pathlib import Path

import nbclient
import nbformat

NOTEBOOK = Path(__file__).resolve().parents[3] / "notebooks" / "inspect.ipynb"


def test_notebook_is_stored_without_outputs_and_only_calls_workbook():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and any(c.cell_type == "markdown" for c in nb.cells)
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(
                node,
                (
                    ast.FunctionDef,
                    ast.ClassDef,
                    ast.For,
                    ast.While,
                    ast.Lambda,
                    ast.AsyncFunctionDef,
                ),
            )
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                assert module.split(".")[0] == "workbook"
        assert "select " not in cell.source.lower()


def test_notebook_runs_headless_against_a_temporary_store(tmp_path):
    home = (
        tmp_path / "home"
    )  # WORKBOOK_HOME (tests/conftest.py): an empty store, the demo is loaded on first use
    assert os.environ["WORKBOOK_HOME"] == str(home)
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "print(wb.form.case_id, wb.board.band_of('2.3'), wb.form.complete)"
        )
    )
    client = nbclient.NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not [o for o in cell.outputs if o.output_type == "error"], cell.source
    shown = [
        o
        for c in nb.cells[:-1]
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "execute_result"
    ]
    assert all("application/vnd.jupyter.widget-view+json" in o.data for o in shown)
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs if o.output_type == "stream")
    assert printed.split() == ["D19-CS-001", "Requires", "improvement", "True"]
    assert (home / "workbook.db").exists()
