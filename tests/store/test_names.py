"""Names that stay names: a new inspection's name is letters, digits, space, '.', '_', '-', at
most 80 characters, not only dots; a store holding another name (made before the rule) still
opens and reads it; a name is shown escaped and made safe before it is part of a path."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from workbook.errors import StoreError
from workbook.reasons import Reason
from workbook.store import load_rated, open_store, path_part, shown

from .sample import CASES, NAME

BAD_NAMES = [
    "../../etc/passwd",
    "/abs/path",
    "a\x00b",
    "evil\x1b[2J\x1b]0;title\x07",
    "x" * 100_000,
    "..",
    ".",
    "a/b",
    "tab\there",
]


@pytest.mark.parametrize("bad", BAD_NAMES)
def test_a_new_inspection_name_outside_the_set_is_refused(store_url, bad):
    store = open_store(store_url)
    try:
        with pytest.raises(StoreError) as info:
            store.create_inspection(bad, "hmip-2018-crc", cases=CASES)
        assert info.value.codes == [Reason.BAD_NAME]
        message = str(info.value)
        assert "\x1b" not in message and "\x00" not in message and "\x07" not in message
        assert len(message) < 600
        assert store.inspections() == []
    finally:
        store.close()


@pytest.mark.parametrize(
    "good", ["wwm-2019", "Wales and Wiltshire 2019", "a.b_c-d", "x" * 80, "Ynys Môn"]
)
def test_a_name_in_the_set_is_taken(store_url, good):
    store = open_store(store_url)
    try:
        assert store.create_inspection(good, "hmip-2018-crc").name == good
    finally:
        store.close()


def test_a_stored_name_outside_the_set_still_opens_and_reads(store, store_url):
    odd = "old/../name\x1b[31m"
    store.save_judgement(NAME, "C001", "2.1.1", "yes", "ana")
    with store._engine.begin() as conn:
        conn.execute(
            text("UPDATE inspections SET name = :n WHERE name = :o"), {"n": odd, "o": NAME}
        )
    store.close()
    fresh = open_store(store_url)
    try:
        assert [i.name for i in fresh.inspections()] == [odd]
        assert len(fresh.judgements(odd)) == 1
        load_rated(fresh, odd)
        with pytest.raises(StoreError) as info:
            fresh.inspection("missing\x1b[2J")
        assert "\x1b" not in str(info.value) and "\\x1b[2J" in str(info.value)
        assert "\x1b" not in str(info.value.problems[0].allowed)
    finally:
        fresh.close()


def test_shown_escapes_control_characters():
    assert shown("a\x1b[2J\x00b") == "a\\x1b[2J\\x00b"
    assert shown("x" * 500).endswith("...") and len(shown("x" * 500)) == 103


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/abs/path", "abs-path"),
        ("..", "inspection"),
        ("wwm 2019", "wwm-2019"),
        ("a\x00b", "a-b"),
        ("x" * 1000, "x" * 80),
        (".hidden", "hidden"),
    ],
)
def test_path_part_is_one_safe_component(name, part):
    assert path_part(name) == part
    assert "/" not in path_part(name) and not path_part(name).startswith(".")
