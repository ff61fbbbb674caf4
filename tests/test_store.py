"""The judgement store on real SQLite and real PostgreSQL: round trips, validation, conflicts,
read-only opening, export and import, schema upgrades and the command line."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from workbook.cli import main as cli_main
from workbook.errors import ConflictError, StoreError
from workbook.files import load_framework
from workbook.ratings import Decision, rate
from workbook.store import SCHEMA_VERSION, open_store

NAME = "wwm-2019"
CASES = pd.DataFrame(
    {
        "case_id": ["C001", "C002", "C003", "C004"],
        "sample": ["case_supervision"] * 4,
        "ldu": ["North", "South", "North", "East"],
        "gender": ["male", "female", "male", "female"],
        "age": [31, 45, 22, 60],
        "mappa_level": [None, "1", None, "2"],
    }
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def other_url(request, store_url, tmp_path) -> str:
    """A second empty store on the same backend."""
    if store_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'other.db'}"
    return request.getfixturevalue("pg_server").create_database(
        f"other_{tmp_path.name[-20:]}".replace("-", "_").lower()
    )


@pytest.fixture
def store(store_url):
    s = open_store(store_url)
    s.create_inspection(
        NAME,
        "hmip-2018-crc",
        provider="Wales and Wiltshire",
        fieldwork_start=date(2019, 3, 4),
        fieldwork_end=date(2019, 3, 29),
    )
    s.import_cases(NAME, CASES)
    yield s
    s.close()


# -- round trips -----------------------------------------------------------------------------


def test_inspection_and_cases_round_trip(store):
    insp = store.inspection(NAME)
    fw = load_framework("hmip-2018-crc")
    assert insp.name == NAME and insp.provider == "Wales and Wiltshire"
    assert (insp.framework_id, insp.framework_version) == ("hmip-2018-crc", str(fw.version))
    assert (insp.fieldwork_start, insp.fieldwork_end) == (date(2019, 3, 4), date(2019, 3, 29))
    assert insp.ldus == ("East", "North", "South")
    assert [i.name for i in store.inspections()] == [NAME]
    cases = store.cases(NAME)
    assert list(cases.columns) == list(CASES.columns)
    assert cases["case_id"].tolist() == CASES["case_id"].tolist()
    assert cases["age"].tolist() == [31, 45, 22, 60]
    assert cases["mappa_level"].tolist()[1] == "1" and pd.isna(cases["mappa_level"].tolist()[0])


def test_import_cases_is_idempotent_and_records_updates(store):
    again = store.import_cases(NAME, CASES)
    assert (again.added, again.unchanged, again.updated) == (0, 4, 0)
    changed = CASES.copy()
    changed.loc[0, "ldu"] = "West"
    more = pd.concat(
        [
            changed,
            pd.DataFrame(
                {
                    "case_id": ["C005"],
                    "sample": ["case_supervision"],
                    "ldu": ["East"],
                    "gender": ["male"],
                    "age": [40],
                    "mappa_level": [None],
                }
            ),
        ]
    )
    result = store.import_cases(NAME, more, inspector="inspector-1")
    assert (result.added, result.unchanged, result.updated) == (1, 3, 1)
    case_history = [h for h in store.history(NAME, case_id="C001") if h.entity == "case"]
    assert (
        json.loads(case_history[-1].old)["ldu"] == "North"
        and json.loads(case_history[-1].new)["ldu"] == "West"
    )
    assert store.inspection(NAME).ldus == ("East", "North", "South", "West")


def test_save_and_read_judgements(store):
    first = store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1", note="clear plan")
    assert first.changed and first.previous is None
    assert (
        first.judgement.version == 1
        and first.judgement.answer == "yes"
        and first.judgement.note == "clear plan"
    )
    second = store.save_judgement(NAME, "C001", "2.1.1", "No", "inspector-2", expect_version=1)
    assert second.changed and second.judgement.version == 2 and second.judgement.answer == "no"
    assert second.previous.answer == "yes" and second.previous.inspector == "inspector-1"
    store.save_judgement(NAME, "C002", "2.1.1", "yes", "inspector-1")
    frame = store.judgements(NAME)
    assert list(frame.columns) == [
        "case_id",
        "question",
        "answer",
        "note",
        "inspector",
        "saved_at",
        "version",
    ]
    rows = {(r.case_id, r.question): (r.answer, r.inspector, r.version) for r in frame.itertuples()}
    assert rows == {
        ("C001", "2.1.1"): ("no", "inspector-2", 2),
        ("C002", "2.1.1"): ("yes", "inspector-1", 1),
    }
    assert str(frame["saved_at"].dt.tz) == "UTC"
    by_q = store.case_judgements(NAME, "C001")
    assert (
        by_q["2.1.1"].answer == "no"
        and by_q["2.1.1"].version == 2
        and by_q["2.1.1"].saved_at.tzinfo is not None
    )


def test_a_save_that_changes_nothing_writes_nothing(store):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1", note="n")
    before = store.history(NAME)
    same = store.save_judgement(
        NAME, "C001", "2.1.1", "yes", "inspector-2", note="n", expect_version=1
    )
    assert (
        not same.changed
        and same.judgement.version == 1
        and same.judgement.inspector == "inspector-1"
    )
    assert store.history(NAME) == before
    cleared_nothing = store.save_judgement(NAME, "C002", "2.1.1", None, "inspector-2")
    assert not cleared_nothing.changed and store.history(NAME) == before


def test_clearing_an_answer_is_recorded(store):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    cleared = store.save_judgement(NAME, "C001", "2.1.1", None, "inspector-1", expect_version=1)
    assert cleared.changed and cleared.judgement.answer is None and cleared.judgement.version == 2
    assert store.judgements(NAME).empty
    assert store.case_judgements(NAME, "C001")["2.1.1"].version == 2
    last = store.history(NAME, case_id="C001")[-1]
    assert (last.entity, last.old, last.new, last.version) == ("judgement", "yes", None, 2)


def test_history_records_every_change(store):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    store.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-2", note="no plan")
    store.save_judgement(NAME, "C002", "2.1.2", "yes", "inspector-1")
    store.save_decision(NAME, "1.1", "Good", "Strong leadership.", "lead")
    everything = store.history(NAME)
    assert [h.entity for h in everything] == ["inspection"] + ["case"] * 4 + ["judgement"] * 3 + [
        "decision"
    ]
    c1 = [h for h in store.history(NAME, case_id="C001") if h.entity == "judgement"]
    assert [(h.old, h.new, h.by, h.version, h.new_note) for h in c1] == [
        (None, "yes", "inspector-1", 1, None),
        ("yes", "no", "inspector-2", 2, "no plan"),
    ]
    assert all(h.at.tzinfo is not None for h in everything)
    d = everything[-1]
    assert (d.key, d.old, d.new, d.by, d.new_note) == (
        "1.1",
        None,
        "Good",
        "lead",
        "Strong leadership.",
    )


@pytest.mark.parametrize(
    "case_id, question, answer, code",
    [
        ("C999", "2.1.1", "yes", "unknown_case"),
        ("C001", "9.9.9", "yes", "unknown_key_question"),
        ("C001", "1.1.1", "yes", "unknown_key_question"),  # domain one is judged, not answered
        ("C001", "2.1.1", "maybe", "unknown_answer"),
        ("C001", "2.1.1", "not_applicable", "answer_not_allowed"),
    ],
)
def test_bad_judgements_are_refused_clearly(store, case_id, question, answer, code):
    with pytest.raises(StoreError) as info:
        store.save_judgement(NAME, case_id, question, answer, "inspector-1")
    assert code in info.value.codes
    text_ = str(info.value)
    assert (
        case_id if code == "unknown_case" else question if "key_question" in code else answer
    ) in text_
    assert "Allowed" in text_
    assert store.judgements(NAME).empty
    assert [h.entity for h in store.history(NAME)].count("judgement") == 0


def test_unknown_inspection_names_the_known_ones(store):
    with pytest.raises(StoreError) as info:
        store.save_judgement("nope", "C001", "2.1.1", "yes", "inspector-1")
    assert info.value.codes == ["unknown_inspection"] and NAME in str(info.value)


def test_decisions_round_trip_and_feed_the_ratings(store):
    fw = load_framework("hmip-2018-crc")
    d1 = store.save_decision(NAME, "1.1", "Good", "Leaders have a clear vision.", "lead")
    assert d1.version == 1 and d1.changed
    d2 = store.save_decision(
        NAME,
        "2.1",
        "requires improvement",
        "Discretion: small sub-sample.",
        "lead",
        expect_version=0,
    )
    assert d2.rating == "Requires improvement"
    assert not store.save_decision(
        NAME, "1.1", "Good", "Leaders have a clear vision.", "other"
    ).changed
    with pytest.raises(ConflictError) as info:
        store.save_decision(NAME, "1.1", "Outstanding", "Better.", "inspector-2", expect_version=0)
    assert (
        info.value.changed_by == "lead"
        and info.value.current_value == "Good"
        and info.value.current_version == 1
    )
    for bad, code in (
        (("9.9", "Good", "x"), "unknown_standard"),
        (("1.1", "Superb", "x"), "unknown_rating"),
        (("1.1", "Good", " "), "missing_reason"),
    ):
        with pytest.raises(StoreError) as info:
            store.save_decision(NAME, *bad, "lead")
        assert code in info.value.codes
    decisions = store.decisions(NAME)
    assert {(d.standard, d.rating, d.reason, d.by) for d in decisions} == {
        ("1.1", "Good", "Leaders have a clear vision.", "lead"),
        ("2.1", "Requires improvement", "Discretion: small sub-sample.", "lead"),
    }
    assert all(isinstance(d, Decision) and d.at is not None for d in decisions)
    withdrawn = store.save_decision(NAME, "2.1", None, "", "lead", expect_version=1)
    assert withdrawn.rating is None and withdrawn.version == 2
    assert [d.standard for d in store.decisions(NAME)] == ["1.1"]
    for i, case_id in enumerate(CASES["case_id"]):
        for q in fw.rated_key_questions[:3]:
            store.save_judgement(NAME, case_id, q.id, "yes" if i % 2 else "no", "inspector-1")
    ratings = rate(
        fw, store.judgements(NAME), store.decisions(NAME), cases=store.cases(NAME), by=("ldu",)
    )
    assert ratings.standards["1.1"].rating == "Good"
    assert ratings.key_questions["2.1.1"].n == 4
    assert set(ratings.breakdowns["ldu"]) == {"East", "North", "South"}


def test_framework_version_is_pinned(store, store_url):
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE inspections SET framework_version = '1999.9'"))
    engine.dispose()
    again = open_store(store_url)
    with pytest.raises(StoreError) as info:
        again.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    assert info.value.codes == ["framework_version"] and "1999.9" in str(info.value)
    again.close()


# -- concurrency -----------------------------------------------------------------------------


def test_stale_version_raises_conflict_and_saves_nothing(store):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    seen = store.case_judgements(NAME, "C001")["2.1.1"].version
    store.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-2", expect_version=seen)
    before = store.history(NAME)
    with pytest.raises(ConflictError) as info:
        store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1", expect_version=seen)
    err = info.value
    assert (
        err.changed_by == "inspector-2"
        and err.current_value == "no"
        and err.current_version == 2
        and err.changed_at is not None
    )
    assert "inspector-2" in str(err) and "'no'" in str(err)
    assert store.history(NAME) == before
    assert store.case_judgements(NAME, "C001")["2.1.1"].answer == "no"


@pytest.mark.parametrize("start_version", [0, 1])
def test_two_inspectors_from_stale_versions_exactly_one_wins(store, store_url, start_version):
    """Two inspectors in two connections save the same case and KQ at the same moment, both
    from the version they saw; repeated over 12 questions, each time exactly one wins."""
    fw = load_framework("hmip-2018-crc")
    questions = [q.id for q in fw.rated_key_questions[:12]]
    if start_version:
        for q in questions:
            store.save_judgement(NAME, "C003", q, "yes", "setup")
    stores = [open_store(store_url), open_store(store_url)]
    for q in questions:
        barrier = threading.Barrier(2)
        outcome: dict[str, object] = {}

        def save(who, s, answer, q=q, barrier=barrier, outcome=outcome):
            barrier.wait()
            try:
                outcome[who] = s.save_judgement(
                    NAME, "C003", q, answer, who, expect_version=start_version
                )
            except ConflictError as exc:
                outcome[who] = exc

        threads = [
            threading.Thread(target=save, args=("inspector-1", stores[0], "no")),
            threading.Thread(
                target=save, args=("inspector-2", stores[1], "no" if start_version else "yes")
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        conflicts = [w for w, o in outcome.items() if isinstance(o, ConflictError)]
        winners = [w for w, o in outcome.items() if not isinstance(o, BaseException)]
        assert len(conflicts) == 1 and len(winners) == 1, outcome
        current = store.case_judgements(NAME, "C003")[q]
        assert current.inspector == winners[0] and current.version == start_version + 1
        assert outcome[conflicts[0]].changed_by == winners[0]
    for s in stores:
        s.close()


# -- read-only -------------------------------------------------------------------------------


def test_read_only_store_refuses_every_write(store, store_url):
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1")
    ro = open_store(store_url, read_only=True)
    assert ro.judgements(NAME)["answer"].tolist() == ["yes"]
    attempts = [
        lambda: ro.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-1"),
        lambda: ro.save_decision(NAME, "1.1", "Good", "x", "inspector-1"),
        lambda: ro.import_cases(NAME, CASES),
        lambda: ro.create_inspection("new", "hmip-2018-crc"),
    ]
    for attempt in attempts:
        with pytest.raises(StoreError) as info:
            attempt()
        assert "read-only" in str(info.value)
    # the connection itself refuses, not only the Store object
    with ro._engine.connect() as conn, pytest.raises(Exception) as raw:
        conn.execute(text("UPDATE judgements SET answer = 'no'"))
        conn.commit()
    assert "read" in str(raw.value).lower()
    ro.close()
    assert store.judgements(NAME)["answer"].tolist() == ["yes"]


def test_read_only_opening_of_an_empty_store_is_refused(store_url):
    if store_url.startswith("sqlite"):
        with pytest.raises(StoreError) as info:
            open_store(store_url, read_only=True)
        assert info.value.codes == ["missing_store"]
    else:
        with pytest.raises(StoreError) as info:
            open_store(store_url, read_only=True)
        assert info.value.codes == ["schema_not_ready"] and "python -m workbook init" in str(
            info.value
        )


# -- export and import -----------------------------------------------------------------------


def _fill(store):
    store.save_judgement(
        NAME, "C001", "2.1.1", "yes", "inspector-1", note='a note, with "quotes"\nand a new line'
    )
    store.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-2", expect_version=1)
    store.save_judgement(NAME, "C002", "2.1.2", "yes", "inspector-1", note="")
    store.save_judgement(NAME, "C003", "2.1.3", "yes", "inspector-1")
    store.save_judgement(NAME, "C003", "2.1.3", None, "inspector-1")
    store.save_decision(NAME, "1.1", "Good", "Evidence: leaders, staff, partners.", "lead")


def test_export_then_import_gives_identical_inspection(store, other_url, tmp_path):
    _fill(store)
    folder = store.export_inspection(NAME, tmp_path / "export")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert set(manifest["files"]) == {
        "inspection.csv",
        "cases.csv",
        "judgements.csv",
        "decisions.csv",
        "history.csv",
    }
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())
    target = open_store(other_url)
    assert target.import_export(folder) == store.inspection(NAME)
    pd.testing.assert_frame_equal(target.judgements(NAME), store.judgements(NAME))
    pd.testing.assert_frame_equal(target.cases(NAME), store.cases(NAME))
    assert target.decisions(NAME) == store.decisions(NAME)
    assert target.history(NAME) == store.history(NAME)
    assert target.case_judgements(NAME, "C003") == store.case_judgements(NAME, "C003")
    # the imported store goes on where the original left off
    assert (
        target.save_judgement(
            NAME, "C001", "2.1.1", "yes", "cat", expect_version=2
        ).judgement.version
        == 3
    )
    target.close()


@pytest.mark.parametrize("damage", ["checksum", "missing_file", "missing_manifest"])
def test_damaged_export_is_refused_and_changes_nothing(store, other_url, tmp_path, damage):
    _fill(store)
    folder = store.export_inspection(NAME, tmp_path / "export")
    if damage == "checksum":
        path = folder / "judgements.csv"
        path.write_text(path.read_text().replace("inspector-2", "inspector-6"))
    elif damage == "missing_file":
        (folder / "history.csv").unlink()
    else:
        (folder / "manifest.json").unlink()
    target = open_store(other_url)
    with pytest.raises(StoreError) as info:
        target.import_export(folder)
    expected = {
        "checksum": ("checksum_mismatch", "judgements.csv"),
        "missing_file": ("missing_file", "history.csv"),
        "missing_manifest": ("missing_manifest", "manifest.json"),
    }[damage]
    assert expected[0] in info.value.codes and expected[1] in str(info.value)
    assert target.inspections() == []
    target.close()


def test_importing_an_inspection_the_store_has_is_refused(store, tmp_path):
    _fill(store)
    folder = store.export_inspection(NAME, tmp_path / "export")
    before = store.history(NAME)
    with pytest.raises(StoreError) as info:
        store.import_export(folder)
    assert info.value.codes == ["inspection_exists"]
    assert store.history(NAME) == before


# -- schema versions -------------------------------------------------------------------------


def _make_v0(url: str) -> None:
    """A store as the first layout made it: no schema_version table, no history, no notes."""
    sqlite = url.startswith("sqlite")
    key = "INTEGER PRIMARY KEY" if sqlite else "SERIAL PRIMARY KEY"
    ts = "DATETIME" if sqlite else "TIMESTAMP WITH TIME ZONE"
    engine = create_engine(url)
    with engine.begin() as conn:
        for ddl in (
            f"CREATE TABLE inspections (id {key}, name VARCHAR(200) UNIQUE NOT NULL, provider VARCHAR(400) NOT NULL, framework_id VARCHAR(200) NOT NULL, framework_version VARCHAR(100) NOT NULL, fieldwork_start DATE, fieldwork_end DATE, created_by VARCHAR(200) NOT NULL, created_at {ts} NOT NULL)",
            f"CREATE TABLE cases (id {key}, inspection_id INTEGER NOT NULL REFERENCES inspections(id), case_id VARCHAR(200) NOT NULL, position INTEGER NOT NULL, ldu VARCHAR(200), attributes TEXT NOT NULL, CONSTRAINT uq_cases_inspection_case UNIQUE (inspection_id, case_id))",
            f"CREATE TABLE judgements (id {key}, inspection_id INTEGER NOT NULL REFERENCES inspections(id), case_id VARCHAR(200) NOT NULL, question VARCHAR(50) NOT NULL, answer VARCHAR(20), inspector VARCHAR(200) NOT NULL, saved_at {ts} NOT NULL, version INTEGER NOT NULL, CONSTRAINT uq_judgements_case_question UNIQUE (inspection_id, case_id, question), CONSTRAINT fk_judgements_case FOREIGN KEY (inspection_id, case_id) REFERENCES cases (inspection_id, case_id))",
            f"CREATE TABLE decisions (id {key}, inspection_id INTEGER NOT NULL REFERENCES inspections(id), standard VARCHAR(50) NOT NULL, rating VARCHAR(50), reason TEXT NOT NULL, inspector VARCHAR(200) NOT NULL, saved_at {ts} NOT NULL, version INTEGER NOT NULL, CONSTRAINT uq_decisions_standard UNIQUE (inspection_id, standard))",
            "INSERT INTO inspections (id, name, provider, framework_id, framework_version, created_by, created_at) VALUES (1, 'old-2018', 'Old provider', 'hmip-2018-crc', '2018.1', 'lead', '2018-10-01 09:00:00')",
            "INSERT INTO cases (id, inspection_id, case_id, position, ldu, attributes) VALUES (1, 1, 'X1', 1, 'North', '{\"ldu\": \"North\"}')",
            "INSERT INTO judgements (id, inspection_id, case_id, question, answer, inspector, saved_at, version) VALUES (1, 1, 'X1', '2.1.1', 'yes', 'inspector-1', '2018-10-02 10:00:00', 1)",
            "INSERT INTO decisions (id, inspection_id, standard, rating, reason, inspector, saved_at, version) VALUES (1, 1, '1.1', 'Good', 'Evidence.', 'lead', '2018-10-03 11:00:00', 1)",
        ):
            conn.execute(text(ddl))
        if not sqlite:
            for table in ("inspections", "cases", "judgements", "decisions"):
                conn.execute(text(f"SELECT setval('{table}_id_seq', 1)"))
    engine.dispose()


def test_older_schema_is_upgraded_keeping_its_data(store_url):
    _make_v0(store_url)
    with pytest.raises(StoreError) as info:
        open_store(store_url, read_only=True)  # a read-only opening cannot upgrade: it says so
    assert info.value.codes == ["schema_not_ready"] and "older schema 0" in str(info.value)
    store = open_store(store_url)
    frame = store.judgements("old-2018")
    assert frame[["case_id", "question", "answer", "version"]].values.tolist() == [
        ["X1", "2.1.1", "yes", 1]
    ]
    assert pd.isna(frame["note"].iloc[0])
    assert [(d.standard, d.rating) for d in store.decisions("old-2018")] == [("1.1", "Good")]
    saved = store.save_judgement(
        "old-2018", "X1", "2.1.1", "no", "inspector-2", note="now with a note", expect_version=1
    )
    assert saved.judgement.version == 2 and saved.judgement.note == "now with a note"
    assert [(h.old, h.new) for h in store.history("old-2018")] == [("yes", "no")]
    store.close()
    engine = create_engine(store_url)
    with engine.connect() as conn:
        assert (
            conn.execute(text("SELECT max(version) FROM schema_version")).scalar() == SCHEMA_VERSION
        )
    engine.dispose()
    open_store(store_url, read_only=True).close()  # now current: a read-only opening works


def test_newer_schema_is_refused(store, store_url):
    store.close()
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO schema_version (version, upgraded_at) VALUES (99, '2030-01-01 00:00:00')"
            )
        )
    engine.dispose()
    with pytest.raises(StoreError) as info:
        open_store(store_url)
    assert info.value.codes == ["schema_too_new"] and "99" in str(info.value)


def test_a_database_that_is_not_a_store_is_refused(store_url):
    engine = create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE payroll (id INTEGER PRIMARY KEY, amount INTEGER)"))
    engine.dispose()
    with pytest.raises(StoreError) as info:
        open_store(store_url)
    assert info.value.codes == ["not_a_store"] and "payroll" in str(info.value)


# -- command line ----------------------------------------------------------------------------


def test_cli_judge_history_export_import(store, store_url, other_url, tmp_path, capsys):
    assert cli_main(["init", "--db", store_url]) == 0
    assert "store ready" in capsys.readouterr().out
    assert (
        cli_main(
            [
                "judge",
                NAME,
                "C001",
                "2.1.1",
                "yes",
                "--inspector",
                "inspector-1",
                "--note",
                "ok",
                "--db",
                store_url,
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == "1"
    assert (
        cli_main(
            [
                "judge",
                NAME,
                "C001",
                "2.1.1",
                "no",
                "--inspector",
                "inspector-2",
                "--expect-version",
                "1",
                "--db",
                store_url,
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip() == "2"
    assert (
        cli_main(
            [
                "judge",
                NAME,
                "C001",
                "2.1.1",
                "yes",
                "--inspector",
                "inspector-1",
                "--expect-version",
                "1",
                "--db",
                store_url,
            ]
        )
        == 3
    )
    err = capsys.readouterr().err
    assert "conflict" in err and "inspector-2" in err
    assert (
        cli_main(
            ["judge", NAME, "C001", "7.7.7", "yes", "--inspector", "inspector-1", "--db", store_url]
        )
        == 2
    )
    assert "7.7.7" in capsys.readouterr().err
    assert cli_main(["history", NAME, "--case", "C001", "--db", store_url]) == 0
    out = capsys.readouterr().out
    assert "yes -> no" in out and "inspector-2" in out
    assert cli_main(["export", NAME, "--out", str(tmp_path / "exp"), "--db", store_url]) == 0
    assert cli_main(["import", str(tmp_path / "exp"), "--db", other_url]) == 0
    copy = open_store(other_url)
    assert copy.history(NAME) == store.history(NAME)
    copy.close()
    (tmp_path / "exp" / "cases.csv").write_text("case_id\nC001\n")
    assert (
        cli_main(["import", str(tmp_path / "exp"), "--db", f"sqlite:///{tmp_path / 'third.db'}"])
        == 2
    )
    assert "checksum" in capsys.readouterr().err


def test_cli_defaults_to_the_workbook_db_setting(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv("WORKBOOK_DB", url)
    assert cli_main(["init"]) == 0
    assert "from-env.db" in capsys.readouterr().out
    assert (tmp_path / "from-env.db").exists()


def test_cli_import_sample_twice_changes_nothing_then_rates(store_url, capsys):
    sample = Path(__file__).resolve().parent / "data" / "samples" / "valid.csv"
    args = [
        "import-sample",
        str(sample),
        "--inspection",
        "cli-2019",
        "--provider",
        "Warwickshire and West Mercia",
        "--db",
        store_url,
    ]
    assert cli_main(args + ["--inspector", "lead"]) == 0
    out = capsys.readouterr().out
    assert "created inspection 'cli-2019'" in out and "30 cases added" in out
    assert cli_main(args) == 0
    assert "0 cases added, 30 unchanged" in capsys.readouterr().out
    s = open_store(store_url)
    before = s.history("cli-2019")
    assert s.inspection("cli-2019").provider == "Warwickshire and West Mercia"
    cases = s.cases("cli-2019")
    assert len(cases) == 30 and {"case_id", "sample", "ldu", "gender"} <= set(cases.columns)
    for i, case_id in enumerate(cases["case_id"][:10]):
        s.save_judgement("cli-2019", case_id, "2.1.1", "yes" if i % 3 else "no", "inspector-1")
    s.close()
    assert len(before) == 31  # the inspection and its 30 cases, once
    assert cli_main(["rate", "--inspection", "cli-2019", "--by", "ldu", "--db", store_url]) == 0
    assert "2.1.1" in capsys.readouterr().out


def test_expecting_a_version_that_never_existed_is_a_conflict(store):
    with pytest.raises(ConflictError) as info:
        store.save_judgement(NAME, "C001", "2.1.1", "yes", "inspector-1", expect_version=3)
    assert info.value.current_version == 0 and "no saved answer" in str(info.value)
    with pytest.raises(ConflictError):
        store.save_decision(NAME, "1.1", "Good", "Evidence.", "inspector-1", expect_version=2)
    assert store.judgements(NAME).empty and store.decisions(NAME) == []


def test_save_judgements_in_one_batch(store):
    store.save_judgement(NAME, "C001", "2.1.1", "no", "inspector-1")
    with pytest.raises(StoreError) as info:
        store.save_judgements(
            NAME,
            [
                ("C001", "2.1.2", "yes", "inspector-1", None),
                ("C002", "9.9", "yes", "inspector-1", None),
                ("C003", "2.1.1", "maybe", "inspector-2", None),
            ],
        )
    assert info.value.codes == ["unknown_key_question", "unknown_answer"] and [
        p.row for p in info.value.problems
    ] == [2, 3]
    with pytest.raises(StoreError) as info:
        store.save_judgements(
            NAME,
            [
                ("C001", "2.1.2", "yes", "inspector-1", None),
                ("C999", "2.1.1", "yes", "inspector-1", None),
            ],
        )
    assert info.value.codes == ["unknown_case"]
    assert len(store.judgements(NAME)) == 1  # nothing of either batch was saved
    results = store.save_judgements(
        NAME,
        [
            ("C001", "2.1.1", "yes", "inspector-2", "changed"),
            ("C001", "2.1.1", "yes", "inspector-2", "changed"),
            ("C002", "2.1.1", "no", "inspector-1", None),
            ("C002", "2.1.1", "yes", "cat", None),
            ("C003", "2.1.2", "Y", "inspector-1", ""),
        ],
    )
    assert [r.changed for r in results] == [True, False, True, True, True]
    assert [r.judgement.version for r in results] == [2, 2, 1, 2, 1]
    current = {
        (r.case_id, r.question): (r.answer, r.inspector, r.version)
        for r in store.judgements(NAME).itertuples()
    }
    assert current == {
        ("C001", "2.1.1"): ("yes", "inspector-2", 2),
        ("C002", "2.1.1"): ("yes", "cat", 2),
        ("C003", "2.1.2"): ("yes", "inspector-1", 1),
    }
    changes = [
        (h.key, h.old, h.new, h.version) for h in store.history(NAME) if h.entity == "judgement"
    ]
    assert changes == [
        ("C001 2.1.1", None, "no", 1),
        ("C001 2.1.1", "no", "yes", 2),
        ("C002 2.1.1", None, "no", 1),
        ("C002 2.1.1", "no", "yes", 2),
        ("C003 2.1.2", None, "yes", 1),
    ]


# -- robustness: exports, URLs, creating an inspection in one transaction -------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_export_under_a_file_is_a_store_error_naming_the_folder(store, tmp_path):
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    target = tmp_path / "afile" / "x"
    with pytest.raises(StoreError) as caught:
        store.export_inspection(NAME, target)
    assert caught.value.codes == ["cannot_write_export"]
    assert str(target) in str(caught.value)
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "not a folder"


def test_a_failed_export_keeps_the_previous_export_intact(store, tmp_path, monkeypatch):
    _fill(store)
    target = tmp_path / "export"
    store.export_inspection(NAME, target)
    before = _snapshot(target)
    store.save_judgement(NAME, "C004", "2.1.1", "yes", "inspector-1")  # the next export differs
    real_write = Path.write_bytes
    calls = []

    def disk_fills_up(self, data):
        calls.append(self.name)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(self))
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_fills_up)
    with pytest.raises(StoreError) as caught:
        store.export_inspection(NAME, target)
    monkeypatch.undo()
    assert caught.value.codes == ["cannot_write_export"]
    assert "No space left" in str(caught.value) and str(target) in str(caught.value)
    assert _snapshot(target) == before  # the good export is untouched
    assert sorted(p.name for p in tmp_path.iterdir() if "export" in p.name) == ["export"]
    # and once the disk has room, the export replaces the previous one completely
    store.export_inspection(NAME, target)
    assert _snapshot(target) != before
    assert {"C004"} <= {
        line.split(",")[0]
        for line in (target / "judgements.csv").read_text(encoding="utf-8").splitlines()
    }


def test_export_refuses_a_folder_holding_other_files(store, tmp_path):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(StoreError) as caught:
        store.export_inspection(NAME, target)
    assert caught.value.codes == ["export_folder_in_use"]
    assert _snapshot(target) == {"thesis.docx": b"precious"}


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg2://reader:s3cret@localhost/db",
        "postgresql+asyncpg://reader:s3cret@localhost/db",
        "postgresql+nodriver://reader:s3cret@localhost/db",
        "nonsense://",
        "mysql://reader:s3cret@localhost/db",
        "postgresql://reader:s3cret@localhost:notaport/db",
    ],
)
def test_an_unusable_url_is_a_bad_url_without_its_password(url):
    with pytest.raises(StoreError) as caught:
        open_store(url)
    assert caught.value.codes == ["bad_url"]
    text_ = str(caught.value)
    assert "s3cret" not in text_
    assert "sqlite:///PATH" in text_ and "postgresql+psycopg://" in text_


def _decision_rows():
    return [("1.1", "Good", "Evidence: leaders, staff, partners.", "lead")]


def test_create_inspection_with_cases_judgements_and_decisions(store_url):
    s = open_store(store_url)
    try:
        insp = s.create_inspection(
            "all-at-once",
            "hmip-2018-crc",
            provider="P",
            inspector="inspector-1",
            cases=CASES,
            judgements=[("C001", "2.1.1", "yes", "inspector-2", "a note"), ("C002", "2.1.2", "no")],
            decisions=_decision_rows(),
        )
        assert insp.ldus == ("East", "North", "South")
        assert s.cases("all-at-once")["case_id"].tolist() == CASES["case_id"].tolist()
        j = s.judgements("all-at-once")
        assert sorted(zip(j["case_id"], j["answer"], j["inspector"], strict=True)) == [
            ("C001", "yes", "inspector-2"),
            ("C002", "no", "inspector-1"),
        ]
        assert [d.standard for d in s.decisions("all-at-once")] == ["1.1"]
        by = {(e.entity, e.by) for e in s.history("all-at-once")}
        assert {("inspection", "inspector-1"), ("case", "inspector-1"), ("decision", "lead")} <= by
    finally:
        s.close()


def test_creating_with_bad_rows_reports_every_problem_and_creates_nothing(store_url):
    s = open_store(store_url)
    try:
        with pytest.raises(StoreError) as caught:
            s.create_inspection(
                "bad",
                "hmip-2018-crc",
                cases=CASES,
                judgements=[
                    ("C001", "2.1.1", "yes", "inspector-1"),
                    ("C002", "9.9.9", "maybe", "inspector-1"),
                ],
                decisions=[("1.1", "Excellent", "why", "lead")],
            )
        assert {"unknown_key_question", "unknown_answer", "unknown_rating"} <= set(
            caught.value.codes
        )
        assert s.inspections() == []
    finally:
        s.close()


def test_a_failure_inside_the_transaction_leaves_no_inspection(store_url):
    s = open_store(store_url)
    try:
        with pytest.raises(StoreError) as caught:
            s.create_inspection(
                "half",
                "hmip-2018-crc",
                cases=CASES,
                judgements=[
                    ("C001", "2.1.1", "yes", "inspector-1"),
                    ("NO-SUCH-CASE", "2.1.1", "no", "inspector-1"),
                ],
                decisions=_decision_rows(),
            )
        assert caught.value.codes == ["unknown_case"]
        assert s.inspections() == []  # not an empty (or half-filled) inspection
        # so the same call, corrected, simply works: no "already exists"
        s.create_inspection(
            "half",
            "hmip-2018-crc",
            cases=CASES,
            judgements=[("C001", "2.1.1", "yes", "inspector-1")],
            decisions=_decision_rows(),
        )
        assert len(s.judgements("half")) == 1 and len(s.cases("half")) == 4
    finally:
        s.close()
