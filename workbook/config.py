"""Settings from ``WORKBOOK_*`` environment variables, with defaults anchored to the repository.

Never resolved against the current directory: Voilà starts each kernel in the notebook's
folder, so every default path is anchored to the package or the repository, and a relative
path given in a variable (``WORKBOOK_HOME=var2``, ``WORKBOOK_DB=sqlite:///var2/wb.db``) is taken
from the repository too.

| variable | meaning | default |
| --- | --- | --- |
| ``WORKBOOK_DB`` | SQLAlchemy URL of the store | SQLite file ``var/workbook.db`` in the repository |
| ``WORKBOOK_HOME`` | folder for the default store and snapshots | ``var/`` in the repository |
| ``WORKBOOK_FRAMEWORKS`` | extra folder of framework YAML files | none |
| ``WORKBOOK_DATA`` | folder of sample files offered in the notebook | ``data/`` in the repository |
| ``WORKBOOK_MODE`` | ``inspect`` or ``dashboard`` (read-only, aggregate-only) | ``inspect`` |
| ``WORKBOOK_INSPECTION`` | the inspection a notebook opens | the demo inspection |
| ``WORKBOOK_INSPECTOR`` | who you are: the name recorded with each judgement, and your place in an inspection's team | ``JUPYTERHUB_USER`` when set, else the login name |
| ``WORKBOOK_QA_SIZE`` | cases in a quality lead's dip sample | 10 |
| ``WORKBOOK_QA_PER_INSPECTOR`` | fewest cases of each inspector in a dip sample (where they have that many) | 2 |
| ``WORKBOOK_SUPPRESSION`` | smallest number of cases a figure is shown for | 5 |
| ``WORKBOOK_SNAPSHOTS`` | folder of the dashboard's rendered snapshots | ``snapshots/`` in the home folder |
| ``WORKBOOK_DASHBOARD_KERNELS`` | most visitors' kernels one dashboard server runs at once | 30 |
| ``WORKBOOK_SITE_URL`` | address of the published static page, offered when the dashboard is busy | none |
| ``WORKBOOK_EXPORTS`` | folder the inspectors' exports are written to | ``exports/`` in the folder JupyterLab shows: ``notebooks/exports/`` in the repository, else ``~/exports/`` |
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, Problem
from .reasons import Reason

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
BUILTIN_FRAMEWORKS = PACKAGE_DIR / "frameworks"
MODES = ("inspect", "dashboard")
DEMO_INSPECTION = "demo-wwm-2019"


def _repo_or_user(sub: str = "") -> Path:
    if (REPO_DIR / "pyproject.toml").exists():
        return REPO_DIR / sub
    return Path.home() / ".local" / "share" / "inspection-workbook" / sub


def default_exports_dir() -> Path:
    """The folder JupyterLab's file browser shows, plus ``exports/``: ``make run`` serves the
    repository's ``notebooks/`` folder; an installed package's JupyterLab starts in the home folder."""
    if (REPO_DIR / "pyproject.toml").exists() and (REPO_DIR / "notebooks").is_dir():
        return REPO_DIR / "notebooks" / "exports"
    return Path.home() / "exports"


def anchor(path: str | Path) -> Path:
    """A path from a setting: a relative one is taken from the repository (or the user's data
    folder when the package is installed elsewhere), never from the current directory."""
    p = Path(path).expanduser()
    return (p if p.is_absolute() else _repo_or_user() / p).resolve()


def anchor_url(url: str) -> str:
    """A SQLite URL with a relative file path, anchored as :func:`anchor` does."""
    prefix = "sqlite:///"
    if url.startswith(prefix):
        rest = url[len(prefix) :]
        path, sep, query = rest.partition("?")
        if path and not path.startswith("/") and path != ":memory:":
            return f"{prefix}{anchor(path)}{sep}{query}"
    return url


@dataclass(frozen=True)
class Settings:
    db_url: str
    home: Path
    frameworks_dir: Path | None
    data_dir: Path
    mode: str
    inspection: str
    inspector: str
    suppression: int
    snapshots_dir: Path | None = None
    dashboard_kernels: int = 30
    site_url: str = ""
    exports_dir: Path = field(default_factory=default_exports_dir)
    qa_size: int = 10
    qa_per_inspector: int = 2

    @property
    def dashboard(self) -> bool:
        return self.mode == "dashboard"


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read the settings; a bad value raises :class:`InputError` naming the variable."""
    env = os.environ if env is None else env
    problems = []
    home = anchor(env.get("WORKBOOK_HOME") or _repo_or_user("var"))
    db_url = anchor_url(env.get("WORKBOOK_DB") or f"sqlite:///{home / 'workbook.db'}")
    fw = env.get("WORKBOOK_FRAMEWORKS")
    data_dir = anchor(env.get("WORKBOOK_DATA") or REPO_DIR / "data")
    mode = (env.get("WORKBOOK_MODE") or "inspect").strip().lower()
    if mode not in MODES:
        problems.append(
            Problem(
                Reason.BAD_SETTING,
                f"'{mode}' is not a mode.",
                place="WORKBOOK_MODE",
                value=mode,
                allowed=", ".join(MODES),
            )
        )
        mode = "dashboard"  # fail safe: never open writable by mistake
    suppression = _whole_number(env, "WORKBOOK_SUPPRESSION", 5, "cases", problems)
    kernels = _whole_number(env, "WORKBOOK_DASHBOARD_KERNELS", 30, "kernels", problems)
    qa_size = _whole_number(env, "WORKBOOK_QA_SIZE", 10, "cases", problems)
    qa_per = _whole_number(env, "WORKBOOK_QA_PER_INSPECTOR", 2, "cases", problems)
    default_inspector = (env.get("JUPYTERHUB_USER") or "").strip()
    if not default_inspector:
        try:
            default_inspector = getpass.getuser()
        except Exception:  # no login name in some containers
            default_inspector = "inspector"
    if problems:
        raise InputError(problems)
    return Settings(
        db_url=db_url,
        home=home,
        frameworks_dir=anchor(fw) if fw else None,
        data_dir=data_dir,
        mode=mode,
        inspection=env.get("WORKBOOK_INSPECTION") or DEMO_INSPECTION,
        inspector=env.get("WORKBOOK_INSPECTOR") or default_inspector,
        suppression=suppression,
        snapshots_dir=anchor(env.get("WORKBOOK_SNAPSHOTS") or home / "snapshots"),
        dashboard_kernels=kernels,
        site_url=(env.get("WORKBOOK_SITE_URL") or "").strip(),
        exports_dir=anchor(env.get("WORKBOOK_EXPORTS") or default_exports_dir()),
        qa_size=qa_size,
        qa_per_inspector=qa_per,
    )


def _whole_number(env: Mapping[str, str], variable: str, default: int, what: str, problems):
    """A setting that is a whole number of 1 or more (a bad one is added to ``problems``)."""
    raw = env.get(variable) or str(default)
    try:
        value = int(raw)
        if value < 1:
            raise ValueError
    except ValueError:
        problems.append(
            Problem(
                Reason.BAD_SETTING,
                f"'{raw}' is not a whole number of {what} of 1 or more.",
                place=variable,
                value=raw,
            )
        )
        return default
    return value
