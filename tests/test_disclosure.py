"""The small-numbers rule, as tables of groups and what is hidden."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook.disclosure import (
    PROTECTS,
    complement,
    fewer_than,
    hidden_text,
    is_small,
    suppress_counts,
)


def test_the_words_for_a_hidden_figure():
    assert fewer_than(5) == "fewer than 5 cases"
    assert PROTECTS == "not shown (protects a small group)"


@pytest.mark.parametrize(
    "n, below, small",
    [
        (3, 5, True),
        (4, 5, True),
        (5, 5, False),
        (0, 5, False),  # no cases: no figure to hide
        (None, 5, False),
        (3, 0, False),  # no threshold: everything shown
        (3, None, False),
    ],
)
def test_a_figure_is_small_below_the_threshold(n, below, small):
    assert is_small(n, below) is small


@pytest.mark.parametrize(
    "sizes, below, hidden",
    [
        ({"North": 12, "South": 10, "East": 3}, 5, {"East", "South"}),
        ({"North": 12, "South": 10, "East": 6}, 5, set()),
        ({"North": 12, "South": 2, "East": 3}, 5, {"East", "South"}),  # 5 between them
        ({"North": 12, "South": 10, "East": 3, "West": 0}, 5, {"East", "South"}),
        ({"A": 3, "B": 10, "C": 10}, 5, {"A", "B"}),  # ties: by cases, then name
        ({"North": 12, "East": 3}, 0, set()),
        ({"East": 3}, 5, {"East"}),  # nothing left to hide beside it
    ],
)
def test_complementary_suppression(sizes, below, hidden):
    assert complement(sizes, below) == hidden


def test_a_hidden_figure_says_why():
    assert hidden_text(3, 5) == "fewer than 5 cases"
    assert hidden_text(10, 5) == PROTECTS


def test_counts_are_suppressed_with_their_complement():
    counts = pd.DataFrame({"value": ["male", "female", "other"], "cases": [20, 4, 2]})
    out = suppress_counts(counts, 5)
    assert out["text"].tolist() == ["20 (77%)", "fewer than 5 cases", "fewer than 5 cases"]
    assert out["cases"].tolist()[0] == 20 and out["cases"].isna().tolist() == [False, True, True]
    assert out["suppressed"].tolist() == [False, True, True]
    counts = pd.DataFrame({"value": ["a", "b", "c"], "cases": [20, 10, 3]})
    assert suppress_counts(counts, 5)["text"].tolist() == [
        "20 (61%)",
        PROTECTS,
        "fewer than 5 cases",
    ]


def test_complement_hides_the_next_smallest_until_enough_cases_are_hidden():
    assert complement({"a": 10, "b": 3, "c": 2}, 5) == {"b", "c"}
    assert complement({"a": 10, "b": 3, "c": 12}, 5) == {"b", "a"}
    assert complement({"a": 10, "b": 1, "c": 2, "d": 20}, 5) == {"a", "b", "c"}
    assert complement({"a": 10, "b": 0, "c": 12}, 5) == set()
    assert complement({"a": 10, "b": 3}, None) == set()
    assert complement({"a": 3}, 5) == {"a"}


def test_no_cases_in_a_small_group_is_hidden_like_a_small_figure():
    """An LDU of 3 cases where a key question applies to none of them: "no answers" would tell
    that all 3 were not applicable."""
    sizes = {"North": 12, "South": 10, "East": 0}
    cases = {"North": 12, "South": 10, "East": 3}
    assert complement(sizes, 5) == set()
    assert complement(sizes, 5, cases) == {"East", "South"}
    assert hidden_text(0, 5, 3) == "fewer than 5 cases"
    # a large group with no cases for a key question hides nothing
    assert complement(sizes, 5, {**cases, "East": 30}) == set()
