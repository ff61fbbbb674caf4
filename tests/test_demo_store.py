"""The demo inspection loaded into a real store (SQLite and PostgreSQL) rates as the files do."""

import json

import pytest

from workbook.cli import main
from workbook.demo import DEMO_DIR, ensure_demo
from workbook.files import load_framework, read_case_attributes, read_decisions, read_judgements
from workbook.ratings import rate, ratings_to_dict
from workbook.store import open_store


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'demo.db'}"
    return request.getfixturevalue("pg_url")


def test_demo_in_the_store_rates_like_the_files(url, capsys):
    store = open_store(url)
    try:
        assert ensure_demo(store) is True
        assert ensure_demo(store) is False  # loading twice changes nothing
        assert len(store.judgements("demo-wwm-2019")) == 1330
    finally:
        store.close()
    fw = load_framework("hmip-2018-crc")
    expected = rate(
        fw,
        read_judgements(DEMO_DIR / "judgements.csv", fw),
        read_decisions(DEMO_DIR / "decisions.csv", fw),
        cases=read_case_attributes(DEMO_DIR / "cases.csv"),
        by=("ldu",),
    )
    assert (
        main(
            [
                "rate",
                "--inspection",
                "demo-wwm-2019",
                "--db",
                url,
                "--by",
                "ldu",
                "--format",
                "json",
            ]
        )
        == 0
    )
    got = json.loads(capsys.readouterr().out)
    want = json.loads(json.dumps(ratings_to_dict(fw, expected)))
    assert got["key_questions"] == want["key_questions"]
    assert got["overall"] == want["overall"]
    assert [(s["id"], s["rating"]) for s in got["standards"]] == [
        (s["id"], s["rating"]) for s in want["standards"]
    ]
    assert got["breakdowns"]["ldu"].keys() == want["breakdowns"]["ldu"].keys()


def test_rate_unknown_inspection_is_a_clear_error(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(url).close()
    assert main(["rate", "--inspection", "nowhere", "--db", url]) == 2
    assert "nowhere" in capsys.readouterr().err


def _demo_copy(tmp_path, judgement_case: str | None = None):
    import shutil

    folder = tmp_path / "demo-copy"
    shutil.copytree(DEMO_DIR, folder)
    if judgement_case is not None:  # a judgement for a case the sample does not hold
        path = folder / "judgements.csv"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        first = lines[1].split(",", 1)
        lines.insert(len(lines) // 2, f"{judgement_case},{first[1]}")
        path.write_text("".join(lines), encoding="utf-8")
    return folder


def test_a_failed_demo_load_leaves_nothing_and_the_next_call_loads_it_all(url, tmp_path):
    from workbook.errors import StoreError

    store = open_store(url)
    try:
        with pytest.raises(StoreError) as caught:
            ensure_demo(store, _demo_copy(tmp_path, judgement_case="NO-SUCH-CASE"))
        assert "unknown_case" in caught.value.codes
        assert store.inspections() == []  # no half-made demo
        assert ensure_demo(store) is True
        assert len(store.judgements("demo-wwm-2019")) == 1330
        assert len(store.decisions("demo-wwm-2019")) == len(
            read_decisions(DEMO_DIR / "decisions.csv", load_framework("hmip-2018-crc"))
        )
    finally:
        store.close()


def test_an_interrupted_demo_load_leaves_nothing(url, monkeypatch):
    from workbook.store import Store, decisions

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    store = open_store(url)
    try:
        monkeypatch.setattr(decisions, "save_decision_in", interrupted)
        monkeypatch.setattr(Store, "save_decision", interrupted)
        with pytest.raises(KeyboardInterrupt):
            ensure_demo(store)
        monkeypatch.undo()
        assert store.inspections() == []
        assert ensure_demo(store) is True
        assert len(store.judgements("demo-wwm-2019")) == 1330
    finally:
        store.close()
