"""A sub-sample key question over no cases in a small LDU: hidden like any small figure.

East has 3 cases, and 2.2.3 (cases where risk of serious harm issues apply) applies to none of
them: "no answers yet" there would tell everyone that all three were not applicable. The board,
the exports and the dashboard hide it, with its complement, by one rule.
"""

from __future__ import annotations

import pandas as pd
import pytest

from workbook import report
from workbook.disclosure import PROTECTS, too_few
from workbook.files import load_framework
from workbook.ratings import rate
from workbook.report.dashboard import build_figures

FEWER = "fewer than 5 cases"
SUB_SAMPLE_KQ = "2.2.3"


@pytest.fixture(scope="module")
def framework():
    return load_framework("hmip-2018-crc")


@pytest.fixture(scope="module")
def inspection(framework):
    """North 20 cases, South 12, East 3; 2.2.3 not applicable to every East case, and (in a
    large LDU, so nothing to hide) to every North case for 2.3.3."""
    ldus = ["North"] * 20 + ["South"] * 12 + ["East"] * 3
    cases = pd.DataFrame({"case_id": [f"C{i:03d}" for i in range(len(ldus))], "ldu": ldus})
    rows = []
    for i, (case_id, ldu) in enumerate(zip(cases["case_id"], ldus, strict=True)):
        for q in framework.rated_key_questions:
            if q.sample != "case_supervision":
                continue
            answer = "yes" if i % 4 else "no"
            if (q.id == SUB_SAMPLE_KQ and ldu == "East") or (q.id == "2.3.3" and ldu == "North"):
                answer = "not_applicable"
            rows.append((case_id, q.id, answer))
    judgements = pd.DataFrame(rows, columns=["case_id", "question", "answer"])
    return cases, rate(framework, judgements, cases=cases, by=("ldu",))


def test_the_rule_hides_no_cases_only_in_a_small_group():
    assert too_few(0, 5, 3) and too_few(3, 5, 40) and too_few(None, 5, 4)
    assert not too_few(0, 5, 20) and not too_few(0, 5, None) and not too_few(5, 5, 5)
    assert not too_few(0, None, 3) and not too_few(0, 0, 3)


def test_no_cases_in_a_small_ldu_is_hidden_with_its_complement(framework, inspection):
    _cases, ratings = inspection
    assert ratings.breakdowns["ldu"]["East"].key_questions[SUB_SAMPLE_KQ].n == 0
    figures = report.kq_figures(framework, ratings, suppress_below=5).set_index(["kq", "group"])
    east = figures.loc[SUB_SAMPLE_KQ, "East"]
    assert bool(east["suppressed"]) and east["note"] == FEWER
    assert pd.isna(east["not_applicable"]) and pd.isna(east["n"])
    # the complement: South is hidden with it, so nothing can be worked out from the rest
    south = figures.loc[SUB_SAMPLE_KQ, "South"]
    assert bool(south["suppressed"]) and south["note"] == PROTECTS and pd.isna(south["n"])
    assert not bool(figures.loc[SUB_SAMPLE_KQ, "North"]["suppressed"])
    # a large LDU over no cases says so: nothing to protect there
    north = figures.loc["2.3.3", "North"]
    assert not bool(north["suppressed"]) and north["note"] == "no answers yet"
    assert north["not_applicable"] == 20


def test_the_standard_of_a_small_ldu_says_fewer_than_not_no_answers(framework, inspection):
    _cases, ratings = inspection
    table = report.standards_by_group_table(framework, ratings, suppress_below=5)
    cells = table.set_index(["standard", "group"])
    assert cells.loc[("2.2", "East"), "text"] == FEWER
    assert bool(cells.loc[("2.2", "East"), "suppressed"])
    assert cells.loc[("2.2", "South"), "text"] == PROTECTS
    assert "no answers yet" not in set(table[table["group"] == "East"]["text"])


def test_the_written_exports_hold_no_answers_for_the_small_ldu(framework, inspection, tmp_path):
    _cases, ratings = inspection
    tables = {
        "key-questions": report.kq_figures(framework, ratings, "ldu", 5),
        "by-ldu": report.standards_by_group_table(framework, ratings, "ldu", 5),
    }
    written = report.write_tables(tables, tmp_path, formats=("csv",))
    for path in written:
        east = [line for line in path.read_text().splitlines() if ",East," in line]
        assert east and not any("no answers yet" in line for line in east), path.name


def test_the_board_and_the_dashboard_hide_the_same_figures(framework, inspection):
    cases, ratings = inspection
    dash = build_figures(framework, ratings, cases, suppress_below=5).figures
    board = report.kq_figures(framework, ratings, "ldu", 5)
    key = ["kq", "group"]
    pd.testing.assert_series_equal(
        dash.set_index(key)["suppressed"].astype(bool),
        board.set_index(key)["suppressed"].astype(bool),
    )
    pd.testing.assert_series_equal(dash.set_index(key)["note"], board.set_index(key)["note"])
