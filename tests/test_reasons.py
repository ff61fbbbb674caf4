"""The reason codes: one enum, one meaning each, and Problem accepts only its members."""

import json
import re

import pytest

from workbook.errors import Problem, WorkbookError
from workbook.reasons import Reason


def test_every_reason_has_a_unique_lower_snake_value():
    values = [r.value for r in Reason]
    assert len(values) == len(set(values))
    for reason in Reason:
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", reason.value), reason
        assert reason.name == reason.value.upper()


def test_a_reason_is_its_plain_code():
    assert Reason.NOT_TEXT == "not_text"
    assert str(Reason.NOT_TEXT) == "not_text"
    assert Reason.BINARY_FILE != Reason.NOT_TEXT


def test_problem_turns_a_string_code_into_its_reason():
    problem = Problem("not_text", "'title' must be text, not list.")
    assert problem.code is Reason.NOT_TEXT
    assert Problem(Reason.NOT_UTF8, "x").code is Reason.NOT_UTF8


def test_problem_refuses_an_unknown_code():
    with pytest.raises(ValueError, match="'not_a_code' is not a problem code"):
        Problem("not_a_code", "x")


def test_json_output_gives_the_plain_code():
    problem = Problem(Reason.MISSING_FILE, "the file does not exist.", file="a.csv")
    as_dict = problem.as_dict()
    assert type(as_dict["code"]) is str
    assert json.loads(json.dumps(as_dict))["code"] == "missing_file"


def test_an_error_from_text_has_the_error_code():
    exc = WorkbookError("something went wrong")
    assert exc.codes == ["error"]
    assert exc.problems[0].code is Reason.ERROR
