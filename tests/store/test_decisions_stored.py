"""A decision changed behind the workbook's back (plain SQL) to a rating or a standard the
framework does not know is ``bad_stored_value`` naming the standard, for every reader of
decisions, as a stored answer is. On real SQLite and real PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from workbook.errors import StoreError
from workbook.reasons import Reason
from workbook.store import decisions, exchange, load_rated

from .sample import NAME


def _corrupt(store, sql: str) -> None:
    with store._engine.begin() as conn:
        conn.execute(text(sql))


@pytest.fixture(params=["rating", "standard"])
def corrupted(request, store):
    """A store whose decision on 2.1 holds the rating 'Goodd', or stands for standard 9.9."""
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "ana")
    store.save_decision(NAME, "2.1", "Good", "wider evidence", "lead")
    store.save_decision(NAME, "1.1", "Outstanding", "leadership interviews", "lead")
    if request.param == "rating":
        _corrupt(store, "UPDATE decisions SET rating = 'Goodd' WHERE standard = '2.1'")
    else:
        _corrupt(store, "UPDATE decisions SET standard = '9.9' WHERE standard = '2.1'")
    return store, request.param


def _assert_names_the_standard(exc: StoreError, kind: str) -> None:
    assert exc.codes == [Reason.BAD_STORED_VALUE]
    message = str(exc)
    if kind == "rating":
        assert "standard 2.1" in message and "'Goodd'" in message and "not a rating" in message
        assert exc.problems[0].column == "rating"
    else:
        assert "standard 9.9" in message and "does not have" in message
        assert exc.problems[0].column == "standard"
    assert NAME in message and "nothing was read" in message


def _read_decisions(store):
    """The decisions as the store's decisions module reads them, checked as every reader does."""
    framework = store.framework(NAME)
    with store._engine.connect() as conn:
        iid = conn.execute(text(f"SELECT id FROM inspections WHERE name = '{NAME}'")).scalar_one()
        found = decisions.stored_decisions(conn, iid)
    decisions.check_stored(framework, NAME, [(d.standard, d.rating) for d in found.values()])
    return found


def _export_tables(store):
    with store._engine.connect() as conn:
        tables = exchange.export_tables(conn, NAME)
    exchange.check_export(store.framework(NAME), NAME, tables)
    return tables


def test_every_reader_of_decisions_refuses_an_unknown_one(corrupted):
    store, kind = corrupted
    for read in (
        lambda: load_rated(store, NAME),
        lambda: _read_decisions(store),
        lambda: _export_tables(store),
    ):
        with pytest.raises(StoreError) as info:
            read()
        _assert_names_the_standard(info.value, kind)


def test_good_decisions_and_withdrawn_ones_are_read(store):
    store.save_decision(NAME, "2.1", "Good", "wider evidence", "lead")
    store.save_decision(NAME, "1.1", "Good", "interviews", "lead")
    store.save_decision(NAME, "1.1", None, "withdrawn", "lead")
    found = _read_decisions(store)
    assert found["2.1"].rating == "Good" and found["1.1"].rating is None
    assert _export_tables(store)["decisions.csv"][1]
    rated = load_rated(store, NAME)
    assert [d.standard for d in rated.decisions] == ["2.1"]


def test_the_command_line_rates_a_corrupted_decision_with_exit_2(corrupted, store_url, capsys):
    from workbook.cli import main

    store, kind = corrupted
    assert main(["rate", "--inspection", NAME, "--db", store_url]) == 2
    err = capsys.readouterr().err
    assert "bad_stored_value" in err or "stored decision" in err
    assert ("2.1" if kind == "rating" else "9.9") in err and "Traceback" not in err


def test_the_stores_decision_readers_refuse_an_unknown_one(corrupted, tmp_path):
    store, kind = corrupted
    for read in (
        lambda: store.stored_decisions(NAME),
        lambda: store.decisions(NAME),
        lambda: store.export_inspection(NAME, tmp_path / "out"),
    ):
        with pytest.raises(StoreError) as info:
            read()
        _assert_names_the_standard(info.value, kind)
    assert not (tmp_path / "out").exists()
