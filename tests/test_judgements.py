"""The one rule for answers, ratings, decisions, case ids and breakdowns: tables of inputs and
the canonical value or reason codes each gives."""

from __future__ import annotations

import pytest

from workbook.files import load_framework
from workbook.judgements import (
    check_breakdown,
    check_case_ids,
    check_decision,
    check_judgement,
    normalise_answer,
    normalise_rating,
)


@pytest.fixture(scope="module")
def framework():
    return load_framework("hmip-2018-crc")


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("yes", "yes"),
        ("Yes", "yes"),
        (" Y ", "yes"),
        ("no", "no"),
        ("N", "no"),
        ("not_applicable", "not_applicable"),
        ("N/A", "not_applicable"),
        ("na", "not_applicable"),
        ("Not applicable", "not_applicable"),
        ("not-applicable", "not_applicable"),
        ("maybe", None),
        ("", None),
        ("yess", None),
    ],
)
def test_an_answer_is_normalised_or_refused(written, canonical):
    assert normalise_answer(written) == canonical


@pytest.mark.parametrize(
    "written, canonical",
    [
        ("Good", "Good"),
        ("good", "Good"),
        ("OUTSTANDING", "Outstanding"),
        ("Requires improvement", "Requires improvement"),
        ("requires improvement", "Requires improvement"),
        ("requires-improvement", "Requires improvement"),
        ("requires_improvement", "Requires improvement"),
        (" Requires  Improvement. ", "Requires improvement"),
        ("inadequate", "Inadequate"),
        ("Excellent", None),
        ("", None),
        ("-", None),
        (None, None),
    ],
)
def test_a_rating_is_matched_ignoring_case_spaces_and_punctuation(framework, written, canonical):
    assert normalise_rating(framework, written) == canonical


@pytest.mark.parametrize(
    "question, answer, canonical, codes",
    [
        ("2.1.1", "yes", "yes", []),
        ("2.1.1", "N", "no", []),
        ("2.2.3", "N/A", "not_applicable", []),
        ("2.1.1", None, None, []),  # no answer: only the question is checked
        ("2.1.1", "not_applicable", None, ["answer_not_allowed"]),
        ("2.1.1", "maybe", None, ["unknown_answer"]),
        ("9.9.9", "yes", None, ["unknown_key_question"]),
        ("1.1.1", "yes", None, ["unknown_key_question"]),  # domain one is judged, not answered
        ("9.9.9", "maybe", None, ["unknown_key_question", "unknown_answer"]),
        (" 2.1.1 ", "yes", "yes", []),
    ],
)
def test_a_judgement_is_accepted_or_refused(framework, question, answer, canonical, codes):
    got, problems = check_judgement(framework, question, answer, file="j.csv", row=4)
    assert got == canonical
    assert [p.code for p in problems] == codes
    assert all((p.file, p.row) == ("j.csv", 4) for p in problems)


def test_a_refused_answer_says_what_is_allowed(framework):
    _, problems = check_judgement(framework, "2.1.1", "maybe", inspection="wwm-2019")
    assert str(problems[0]) == (
        "column 'answer': 'maybe' is not an answer. "
        "Allowed: yes, no, not applicable (also Y, N, NA, N/A)."
    )
    _, problems = check_judgement(framework, "7.7.7", "yes", inspection="wwm-2019")
    assert "(inspection 'wwm-2019')" in str(problems[0]) and "7.7.7" in str(problems[0])


@pytest.mark.parametrize(
    "standard, rating, reason, canonical, codes",
    [
        ("2.1", "Good", "Evidence.", "Good", []),
        ("2.1", "requires-improvement", "Small sub-sample.", "Requires improvement", []),
        ("1.1", "outstanding", "Leaders.", "Outstanding", []),
        ("2.1", None, "", None, []),  # withdrawn: only the standard is checked
        ("9.9", "Good", "x", None, ["unknown_standard"]),
        ("2.1", "Excellent", "x", None, ["unknown_rating"]),
        ("2.1", "", "x", None, ["missing_rating"]),
        ("2.1", "Good", "  ", None, ["missing_reason"]),
        ("9.9", "Superb", None, None, ["unknown_standard", "unknown_rating", "missing_reason"]),
    ],
)
def test_a_decision_is_accepted_or_refused(framework, standard, rating, reason, canonical, codes):
    got, problems = check_decision(framework, standard, rating, reason, file="d.csv", row=2)
    assert got == canonical
    assert [p.code for p in problems] == codes


def test_a_refused_rating_names_the_ratings(framework):
    _, problems = check_decision(framework, "2.1", "Excellent", "x", file="d.csv", row=3)
    assert str(problems[0]) == (
        "d.csv, row 3, column 'rating': 'Excellent' is not a rating. "
        "Allowed: Outstanding, Good, Requires improvement, Inadequate."
    )


@pytest.mark.parametrize(
    "ids, codes, rows",
    [
        ([(2, "C1"), (3, "C2")], [], []),
        ([(2, "C1"), (3, " "), (4, None)], ["empty_case_id", "empty_case_id"], [3, 4]),
        ([(2, "C1"), (3, "C1 "), (4, "C1")], ["duplicate_case_id"] * 2, [3, 4]),
        ([(2, 101), (3, "101")], ["duplicate_case_id"], [3]),
    ],
)
def test_case_ids_are_not_empty_and_appear_once(ids, codes, rows):
    problems = check_case_ids(ids, file="cases.csv")
    assert [p.code for p in problems] == codes
    assert [p.row for p in problems] == rows


def test_a_repeated_case_id_names_its_first_row():
    (problem,) = check_case_ids([(2, "C1"), (7, "C1")])
    assert problem.message == "case 'C1' appears twice (first at row 2)."


@pytest.mark.parametrize(
    "by, codes",
    [
        ((), []),
        (("ldu",), []),
        (("ldu", "gender"), []),
        (("region",), ["unknown_attribute"]),
        (("region", "ldu", "age"), ["unknown_attribute", "unknown_attribute"]),
    ],
)
def test_a_breakdown_names_attributes_the_cases_have(by, codes):
    problems = check_breakdown(["case_id", "ldu", "gender"], by)
    assert [p.code for p in problems] == codes
    assert all(p.allowed == "ldu, gender" for p in problems)
