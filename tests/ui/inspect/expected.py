"""What the inspectors' components must show, worked out from the store with workbook.ratings."""

import pandas as pd

from workbook import report
from workbook.ratings import rate


def fresh_ratings(store, name):
    fw = store.framework(name)
    return rate(
        fw, store.judgements(name), store.decisions(name), cases=store.cases(name), by=("ldu",)
    )


def board_equals_ratings(board, store, name):
    """The board's table and figures equal workbook.ratings on the store's data."""
    fw = store.framework(name)
    expected = fresh_ratings(store, name)
    pd.testing.assert_frame_equal(
        board.table_frame, report.standards_by_group_table(fw, expected, "ldu")
    )
    pd.testing.assert_frame_equal(board.figures, report.kq_figures(fw, expected, "ldu"))
    assert board.ratings.overall == expected.overall


def a_case_answered(store, name, question, answer):
    j = store.judgements(name)
    return str(j[(j["question"] == question) & (j["answer"] == answer)]["case_id"].iloc[0])
