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
    "agreement": 0,
    "rater_spread": 0,
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


def _sources(*parts: str):
    folder = PACKAGE.joinpath(*parts)
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


def _imported_names(tree: ast.AST, path: Path) -> set[str]:
    """Every workbook module ``path`` imports, as dotted names relative to the package."""
    names = set()
    package = list(path.relative_to(PACKAGE).parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                module = base + (node.module.split(".") if node.module else [])
                names.add(".".join(module))
                names |= {".".join([*module, a.name]) for a in node.names}
            elif node.module and node.module.startswith("workbook."):
                module = node.module.split(".")[1:]
                names.add(".".join(module))
                names |= {".".join([*module, a.name]) for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.name.removeprefix("workbook.") for a in node.names}
    return names


def test_stakeholders_and_trainers_widgets_import_neither_the_store_nor_the_inspectors_widgets():
    problems = []
    for path in _sources("ui", "dashboard") + _sources("ui", "method"):
        for name in _imported_names(ast.parse(path.read_text(encoding="utf-8")), path):
            if name == "store" or name.startswith(("store.", "ui.inspect")):
                problems.append(f"{path.relative_to(PACKAGE.parent)} imports {name}")
    assert _sources("ui", "dashboard") and _sources("ui", "method")
    assert not problems, "\n".join(problems)


def test_settings_are_read_only_where_pages_and_commands_are_composed():
    readers = []
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] in ("app", "cli") or rel.name == "config.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = getattr(node, "id", None) or getattr(node, "attr", None)
            if isinstance(node, ast.Name | ast.Attribute) and name == "load_settings":
                readers.append(f"{rel}:{node.lineno}")
            elif isinstance(node, ast.alias) and node.name == "load_settings":
                readers.append(f"{rel}: imports load_settings")
    assert not readers, "settings read below app/ and cli/: " + ", ".join(sorted(readers))


def test_no_module_is_over_600_lines():
    long = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert not long, long


def _problem_codes_written_as_text() -> list[str]:
    """Calls that pass a problem code as a string literal instead of a Reason member."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("reasons.py", "errors.py"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            callee = (
                node.func.attr
                if isinstance(node.func, ast.Attribute)
                else getattr(node.func, "id", "")
            )
            if callee != "Problem":
                continue
            code = (
                node.args[0]
                if node.args
                else next((k.value for k in node.keywords if k.arg == "code"), None)
            )
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} '{code.value}'")
    return found


def test_every_problem_code_is_a_reason_member_and_every_member_is_used():
    from workbook.reasons import Reason

    assert not _problem_codes_written_as_text(), _problem_codes_written_as_text()
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "reasons.py"
    )
    unused = [m.name for m in Reason if f"Reason.{m.name}" not in text]
    assert not unused, f"reasons no module raises: {unused}"
