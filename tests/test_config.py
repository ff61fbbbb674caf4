"""Settings: WORKBOOK_* variables, defaults anchored to the repository, never the current folder."""

import os

import pytest

from workbook.config import REPO_DIR, load_settings
from workbook.errors import InputError


def test_defaults_are_anchored_to_the_repository(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    s = load_settings({})
    assert (
        s.home == REPO_DIR / "var" and s.db_url == f"sqlite:///{REPO_DIR / 'var' / 'workbook.db'}"
    )
    assert s.data_dir == REPO_DIR / "data" and s.mode == "inspect" and s.suppression == 5
    assert s.inspection == "demo-wwm-2019" and s.frameworks_dir is None


def test_relative_values_are_taken_from_the_repository_not_the_current_folder(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    s = load_settings(
        {
            "WORKBOOK_HOME": "var2",
            "WORKBOOK_DB": "sqlite:///var2/wb.db?timeout=5",
            "WORKBOOK_DATA": "data",
            "WORKBOOK_FRAMEWORKS": "fw",
        }
    )
    assert s.home == REPO_DIR / "var2"
    assert s.db_url == f"sqlite:///{REPO_DIR / 'var2' / 'wb.db'}?timeout=5"
    assert s.data_dir == REPO_DIR / "data" and s.frameworks_dir == REPO_DIR / "fw"
    absolute = load_settings(
        {"WORKBOOK_DB": f"sqlite:///{tmp_path}/x.db", "WORKBOOK_HOME": str(tmp_path)}
    )
    assert absolute.db_url == f"sqlite:///{tmp_path}/x.db" and absolute.home == tmp_path
    pg = "postgresql+psycopg://reader@db.example:5432/workbook"
    assert load_settings({"WORKBOOK_DB": pg}).db_url == pg
    assert not any(str(p).startswith(str(tmp_path)) for p in (s.home, s.data_dir))
    assert os.getcwd() == str(tmp_path)


def test_bad_settings_name_the_variable():
    with pytest.raises(InputError) as info:
        load_settings({"WORKBOOK_MODE": "admin", "WORKBOOK_SUPPRESSION": "0"})
    text = str(info.value)
    assert "WORKBOOK_MODE: 'admin' is not a mode. Allowed: inspect, dashboard." in text
    assert "WORKBOOK_SUPPRESSION: '0' is not a whole number of cases of 1 or more." in text


def test_exports_go_to_the_folder_jupyterlab_shows_from_the_checkout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_settings({}).exports_dir == REPO_DIR / "notebooks" / "exports"
    assert load_settings({"WORKBOOK_EXPORTS": "out"}).exports_dir == REPO_DIR / "out"
    given = load_settings({"WORKBOOK_EXPORTS": str(tmp_path / "x")})
    assert given.exports_dir == tmp_path / "x"


def test_exports_of_an_installed_package_go_to_the_home_folder(tmp_path, monkeypatch):
    import workbook.config as config

    monkeypatch.setattr(config, "REPO_DIR", tmp_path / "site-packages")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert config.default_exports_dir() == tmp_path / "home" / "exports"
