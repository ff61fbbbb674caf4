"""notebooks/methodology.ipynb: a page (prose plus calls into workbook.app), stored without
outputs, executing headless without errors in this environment's kernel."""

import ast
import json
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "methodology.ipynb"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def kernel_env(tmp_path, monkeypatch):
    """A python3 kernelspec that runs this interpreter, and Jupyter's side files in tmp_path."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3 (test)",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    return run_dir


def test_stored_without_outputs_and_code_cells_only_call_workbook():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    for cell in code:
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.FunctionDef | ast.ClassDef | ast.For | ast.While | ast.With | ast.Lambda
            )
            if isinstance(node, ast.ImportFrom):
                assert node.module.startswith("workbook")
            assert not isinstance(node, ast.Import)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for topic in (
        "lowest band",
        "discretion",
        "points",
        "98 cases",
        "Jeffreys prior Beta(1/2, 1/2)",
        "What would change the rating",
    ):
        assert topic in text


def test_executes_headless_without_errors(kernel_env):
    # the kernel is this environment's interpreter
    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == sys.executable
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, kernel_name="python3", timeout=180, resources={"metadata": {"path": str(kernel_env)}}
    )
    client.execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.get("name") == "stderr"]
    views = [o for o in outputs if WIDGET_VIEW in o.get("data", {})]
    assert len(views) == len([c for c in nb.cells if c.cell_type == "code"])
