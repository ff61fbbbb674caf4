"""Schema versions: an older store is upgraded keeping its data, a newer one or a foreign database refused."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import create_engine, text

from workbook.errors import StoreError
from workbook.store import SCHEMA_VERSION, open_store


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
