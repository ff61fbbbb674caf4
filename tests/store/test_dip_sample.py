"""The quality lead's dip sample of complete cases: seeded and reproducible, at least a minimum
of each inspector's cases, the rest spread across LDUs; real SQLite and real PostgreSQL."""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from workbook.errors import StoreError
from workbook.store import open_store
from workbook.store.review import pick_dip_sample

from .sample import NAME
from .test_second_rating import ANN, BOB, LEAD, QUINN, code

CAROL = "insp-carol"
LDUS = ("North", "South", "East", "West")


def _fieldwork(store_url: str, name: str = NAME):
    """24 cases in four LDUs: ann has 12 (10 complete), bob 9 (7 complete), carol 3 (1
    complete); the store is returned open."""
    store = open_store(store_url)
    cases = pd.DataFrame(
        {
            "case_id": [f"K{i:02d}" for i in range(24)],
            "sample": ["case_supervision"] * 24,
            "ldu": [LDUS[i % 4] for i in range(24)],
        }
    )
    store.create_inspection(name, "hmip-2018-crc", cases=cases)
    store.add_member(name, LEAD, "lead inspector", LEAD)
    store.add_member(name, QUINN, "quality lead", LEAD)
    for person in (ANN, BOB, CAROL):
        store.add_member(name, person, "inspector", LEAD)
    fw = store.framework(name)
    questions = [
        kq.id for s in fw.standards_for_sample("case_supervision") for kq in s.key_questions
    ]
    plan = [(ANN, 12, 10), (BOB, 9, 7), (CAROL, 3, 1)]
    ids = iter(cases["case_id"])
    complete = []
    for person, allocated, signed in plan:
        for n in range(allocated):
            case_id = next(ids)
            store.allocate(name, case_id, person, LEAD)
            if n < signed:
                store.save_judgements(name, [(case_id, q, "yes", person) for q in questions])
                store.sign_off(name, case_id, person)
                complete.append(case_id)
    return store, complete


@pytest.fixture
def fieldwork(store_url):
    store, complete = _fieldwork(store_url)
    yield store, complete
    store.close()


def _owner(store) -> dict[str, str]:
    return {c: w.allocated_to for c, w in store.case_work(NAME).items()}


def test_a_draw_takes_each_inspectors_minimum_and_marks_the_cases(fieldwork):
    store, complete = fieldwork
    drawn = store.draw_dip_sample(NAME, QUINN, seed=7, size=8, per_inspector=2)
    assert len(drawn) == 8 and set(drawn) <= set(complete)
    per_person = Counter(_owner(store)[c] for c in drawn)
    assert per_person[ANN] >= 2 and per_person[BOB] >= 2 and per_person[CAROL] == 1
    assert store.dip_sample(NAME) == drawn
    work = store.case_work(NAME)
    assert {c for c, w in work.items() if w.dip_sample} == set(drawn)
    entries = [h for h in store.history(NAME) if h.entity == "dip_sample"]
    assert sorted(h.case_id for h in entries) == sorted(drawn)
    assert all(h.by == QUINN and "7" in h.reason and '"seed": 7' in h.new for h in entries)


def test_the_rest_is_spread_across_ldus(fieldwork):
    store, complete = fieldwork
    drawn = store.draw_dip_sample(NAME, QUINN, seed=3, size=12, per_inspector=0)
    ldus = Counter(store.cases(NAME).set_index("case_id").loc[drawn, "ldu"])
    assert sorted(ldus.values()) == [3, 3, 3, 3]


def test_the_same_seed_draws_the_same_sample(store_url):
    one, _ = _fieldwork(store_url, "first")
    two, _ = _fieldwork(store_url, "second")  # the same cases, in another inspection
    try:
        drawn = one.draw_dip_sample("first", LEAD, seed=11, size=6)
        assert two.draw_dip_sample("second", LEAD, seed=11, size=6) == drawn
    finally:
        one.close()
        two.close()
    candidates = [(str(c), None, None) for c in range(30)]
    samples = {tuple(pick_dip_sample(candidates, seed, 6, 0)) for seed in range(5)}
    assert len(samples) > 1  # another seed, another sample


def test_a_second_draw_takes_only_cases_not_drawn_yet(fieldwork):
    store, complete = fieldwork
    first = store.draw_dip_sample(NAME, QUINN, seed=1, size=10, per_inspector=2)
    second = store.draw_dip_sample(NAME, QUINN, seed=1, size=10, per_inspector=2)
    assert not set(first) & set(second)
    assert set(first) | set(second) == set(complete)  # 18 complete: 10, then the last 8
    assert store.draw_dip_sample(NAME, QUINN, seed=1) == []
    assert sorted(store.dip_sample(NAME)) == sorted(complete)


def test_quality_assured_and_unfinished_cases_are_not_drawn(fieldwork):
    store, complete = fieldwork
    store.quality_assure(NAME, complete[0], QUINN)
    drawn = store.draw_dip_sample(NAME, QUINN, seed=5, size=100, per_inspector=2)
    assert sorted(drawn) == sorted(complete[1:])


def test_the_minimum_per_inspector_may_enlarge_the_sample(fieldwork):
    store, _ = fieldwork
    drawn = store.draw_dip_sample(NAME, LEAD, seed=2, size=3, per_inspector=2)
    per_person = Counter(_owner(store)[c] for c in drawn)
    assert per_person == {ANN: 2, BOB: 2, CAROL: 1}


@pytest.mark.parametrize("by", [ANN, "stranger"])
def test_only_a_quality_lead_or_the_lead_draws(fieldwork, by):
    store, _ = fieldwork
    with pytest.raises(StoreError) as info:
        store.draw_dip_sample(NAME, by, seed=1)
    assert code(info) == ("role_not_allowed" if by == ANN else "not_a_member")
    assert store.dip_sample(NAME) == []


@pytest.mark.parametrize(
    ("seed", "size", "per_inspector", "expected"),
    [(-1, 10, 2, "bad_seed"), ("7", 10, 2, "bad_seed"), (1, 0, 2, "bad_n"), (1, 5, -1, "bad_n")],
)
def test_bad_draw_settings_are_refused(store, seed, size, per_inspector, expected):
    with pytest.raises(StoreError) as info:
        store.draw_dip_sample(NAME, LEAD, seed=seed, size=size, per_inspector=per_inspector)
    assert code(info) == expected
    assert info.value.problems[0].place in ("seed", "size", "per_inspector")
