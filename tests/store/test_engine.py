"""Opening a store: read-only enforced by the connection, URLs that cannot be used."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from workbook.errors import StoreError
from workbook.store import open_store

from .sample import CASES, NAME


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
