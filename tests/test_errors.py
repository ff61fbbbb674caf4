"""Errors for people: where, what, the value and what is allowed, and the exception family."""

import pytest

from workbook.errors import (
    ConflictError,
    FrameworkError,
    InputError,
    Problem,
    SampleError,
    StoreError,
    WorkbookError,
)
from workbook.reasons import Reason


def test_a_problem_reads_where_what_and_allowed():
    problem = Problem(
        "unknown_value",
        "'meduim' is not a risk level.",
        file="cases.csv",
        row=14,
        column="rosh",
        value="meduim",
        allowed="low, medium, high, very high",
    )
    assert str(problem) == (
        "cases.csv, row 14, column 'rosh': 'meduim' is not a risk level. "
        "Allowed: low, medium, high, very high."
    )


def test_a_problem_in_a_document_names_its_place():
    problem = Problem(Reason.BAD_ID, "'2.x' is not an id.", file="f.yaml", place="domains[1].id")
    assert problem.where == "f.yaml, domains[1].id"
    assert str(Problem(Reason.ERROR, "nothing to locate.")) == "nothing to locate."


def test_as_dict_gives_plain_values():
    problem = Problem("bad_n", "the sample size '0' is not a whole number.", place="n", value=0)
    assert problem.as_dict() == {
        "code": "bad_n",
        "file": None,
        "row": None,
        "column": None,
        "place": "n",
        "value": "0",
        "message": "the sample size '0' is not a whole number.",
        "allowed": None,
    }


def test_an_error_collects_its_problems_and_describes_a_limited_number():
    problems = [Problem(Reason.EMPTY_CASE_ID, "the case id is empty.", row=r) for r in (2, 3, 4)]
    exc = SampleError(problems, warnings=[Problem(Reason.SMALL_LDU, "few cases.")])
    assert exc.codes == ["empty_case_id"] * 3
    assert exc.describe(limit=2) == (
        "row 2: the case id is empty.\nrow 3: the case id is empty.\n... and 1 more problems."
    )
    assert [w.code for w in exc.warnings] == [Reason.SMALL_LDU]
    assert str(exc) == exc.describe()


@pytest.mark.parametrize(
    "cls", [FrameworkError, SampleError, InputError, StoreError, ConflictError]
)
def test_every_error_is_a_workbook_error(cls):
    assert issubclass(cls, WorkbookError)


def test_a_conflict_carries_what_is_saved_now():
    exc = ConflictError("someone else saved.", changed_by="inspector 2", current_value="no")
    assert exc.codes == ["conflict"]
    assert (exc.changed_by, exc.current_value) == ("inspector 2", "no")
    assert exc.problems[0].value == "no"
    assert isinstance(exc, StoreError)
