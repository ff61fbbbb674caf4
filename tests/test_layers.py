"""The design card's layer table holds: each module imports only from the layers below it
(or its own), core stays pure, and `import workbook` loads the core only."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "workbook"

LAYERS = {
    "errors": 0,
    "reasons": 0,
    "judgements": 0,
    "framework_reader": 0,
    "stats": 0,
    "disclosure": 0,
    "caselist": 0,
    "draw": 0,
    "render": 2,
    "framework": 0,
    "ratings": 0,
    "samples": 0,
    "uncertainty": 0,
    "files": 1,
    "store": 1,
    "config": 1,
    "demo": 1,
    "frameworks": 1,
    "charts": 2,
    "report": 2,
    "ui": 2,
    "app": 3,
    "publish": 3,
    "cli": 4,
    "bench": 4,
    "__main__": 4,
    "__init__": 0,
}
CORE_THIRD_PARTY = {"pandas", "numpy"}
FORBIDDEN_BELOW_PRESENTATION = {
    "altair",
    "ipywidgets",
    "anywidget",
    "traitlets",
    "IPython",
    "vl_convert",
}


def top_module(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0].removesuffix(".py")


def imported_workbook_modules(path: Path, tree: ast.AST) -> list[tuple[int, str]]:
    out = []
    depth_pkg = path.relative_to(PACKAGE).parts[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = (
                    list(depth_pkg)[: len(depth_pkg) - (node.level - 1)]
                    if node.level > 1
                    else list(depth_pkg)
                )
                target = base + (node.module.split(".") if node.module else [])
                if target:
                    out.append((node.lineno, target[0]))
                else:  # from . import x
                    out.extend((node.lineno, a.name) for a in node.names)
            elif node.module and node.module.split(".")[0] == "workbook":
                parts = node.module.split(".")
                out.append((node.lineno, parts[1] if len(parts) > 1 else "__init__"))
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "workbook" and len(parts) > 1:
                    out.append((node.lineno, parts[1]))
    return out


def third_party(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names - {"workbook"} - set(sys.stdlib_module_names)


def test_every_module_has_a_layer():
    unknown = {top_module(p) for p in PACKAGE.rglob("*.py")} - set(LAYERS)
    assert not unknown, f"assign a layer to: {sorted(unknown)} (tests/test_layers.py)"


def test_imports_follow_the_layer_table():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        me = top_module(path)
        allowed = LAYERS[me]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for line, target in imported_workbook_modules(path, tree):
            if LAYERS.get(target, 0) > allowed:
                problems.append(
                    f"{path.relative_to(PACKAGE.parent)}:{line} ({me}) imports {target}"
                )
        if LAYERS[me] == 0:
            extra = third_party(tree) - CORE_THIRD_PARTY
            if extra:
                problems.append(
                    f"{path.relative_to(PACKAGE.parent)}: core module uses {sorted(extra)}"
                )
        if LAYERS[me] <= 1:
            ui = third_party(tree) & FORBIDDEN_BELOW_PRESENTATION
            if ui:
                problems.append(
                    f"{path.relative_to(PACKAGE.parent)}: uses {sorted(ui)} below the presentation layer"
                )
    assert not problems, "\n".join(problems)


def test_import_workbook_loads_the_core_only():
    code = (
        "import sys, workbook\n"
        "heavy = [m for m in ('ipywidgets', 'altair', 'sqlalchemy', 'yaml', 'workbook.store', 'workbook.ui', 'workbook.files') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PACKAGE.parent
    )
    assert out.stdout.strip() == ""
