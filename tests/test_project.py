"""The project's shape: two-command set-up, CI, conda environment, notebooks stored clean and thin."""

import ast
import json
import re
import tomllib
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
CONDA_TO_PIP = {"psycopg": "psycopg"}


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _bound(requirement: str) -> str:
    m = re.search(r">=\s*([0-9.]+)", requirement)
    return m.group(1) if m else ""


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip = {_name(r): _bound(r) for r in project["dependencies"]}
    env = yaml.safe_load((REPO / "environment.yml").read_text(encoding="utf-8"))
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and not dep.startswith(("python", "pip")):
            conda[CONDA_TO_PIP.get(_name(dep), _name(dep))] = _bound(dep)
    assert conda == pip


def test_tested_lower_bounds():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {_name(r): _bound(r) for r in project["dependencies"]}
    assert bounds["jupyterlab"].startswith("4") and bounds["ipywidgets"].startswith("8")
    assert bounds["voila"].startswith("0.5") and bounds["sqlalchemy"].startswith("2")
    assert tuple(map(int, bounds["pandas"].split("."))) >= (2, 2)
    assert tuple(map(int, bounds["altair"].split("."))) >= (5, 4)


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[-1].strip() in ("exec make test", "make test")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick = readme[readme.index("## Quick start") :]
    quick = quick[: quick.index("\n## ", 3)]
    blocks = re.findall(r"```(?:sh|bash)?\n(.*?)```", quick, re.S)
    commands = [
        c.strip() for b in blocks for c in b.splitlines() if c.strip() and not c.startswith("#")
    ]
    assert commands == ["make run", "make test"]


def _notebooks():
    return sorted((REPO / "notebooks").glob("*.ipynb"))


def test_notebooks_are_stored_without_outputs_and_thin():
    problems = []
    for path in _notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            src = "".join(cell["source"])
            if cell.get("outputs") or cell.get("execution_count"):
                problems.append(f"{path.name} cell {i}: stored with outputs")
            if len(src.splitlines()) > 12:
                problems.append(f"{path.name} cell {i}: {len(src.splitlines())} lines")
            tree = ast.parse(src)
            for node in ast.walk(tree):
                if isinstance(
                    node,
                    (
                        ast.FunctionDef,
                        ast.ClassDef,
                        ast.For,
                        ast.While,
                        ast.Lambda,
                        ast.AsyncFunctionDef,
                    ),
                ):
                    problems.append(f"{path.name} cell {i}: has {type(node).__name__}")
                if isinstance(node, ast.ImportFrom) and not (node.module or "").startswith(
                    "workbook"
                ):
                    problems.append(f"{path.name} cell {i}: imports {node.module}")
                if isinstance(node, ast.Import) and any(
                    not a.name.startswith("workbook") for a in node.names
                ):
                    problems.append(f"{path.name} cell {i}: imports {[a.name for a in node.names]}")
            if re.search(r"\b(SELECT|INSERT|UPDATE|DELETE)\b", src):
                problems.append(f"{path.name} cell {i}: SQL")
    assert not problems, "\n".join(problems)


def test_no_machine_paths_or_cdn_urls_in_the_package():
    problems = []
    for path in list((REPO / "workbook").rglob("*")) + list((REPO / "notebooks").glob("*.ipynb")):
        if path.is_file() and path.suffix in {".py", ".yaml", ".ipynb", ".json", ".html", ".j2"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if re.search(r"/(work|root|home/\w+)/", text):
                problems.append(f"{path.relative_to(REPO)}: machine path")
            if re.search(r"https?://(cdn\.|cdnjs\.|unpkg\.com|cdn\.jsdelivr)", text):
                problems.append(f"{path.relative_to(REPO)}: CDN address")
    assert not problems, "\n".join(problems)
