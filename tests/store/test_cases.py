"""Cases in the store on real SQLite and real PostgreSQL: round trips and idempotent imports."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd

from workbook.files import load_framework

from .sample import CASES, NAME


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
