"""The one Markdown writer: the ratings as the command line and the exports lay them out."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook import report
from workbook.config import REPO_DIR
from workbook.files import load_framework, read_case_attributes, read_decisions, read_judgements
from workbook.ratings import rate
from workbook.render.markdown import escape, markdown_table, ratings_markdown

DEMO = REPO_DIR / "data" / "demo"


@pytest.fixture(scope="module")
def demo():
    framework = load_framework("hmip-2018-crc")
    cases = read_case_attributes(DEMO / "cases.csv")
    ratings = rate(
        framework,
        read_judgements(DEMO / "judgements.csv", framework),
        read_decisions(DEMO / "decisions.csv", framework),
        cases=cases,
        by=("ldu",),
    )
    return framework, ratings


def test_the_ratings_document_has_every_row_of_the_ratings_table(demo):
    framework, ratings = demo
    md = ratings_markdown(framework, ratings)
    lines = md.splitlines()
    assert lines[0] == f"# Ratings: {framework.name}"
    assert lines[2] == "| Standard / key question | Yes | No | N/A | n | % | Band / rating |"
    assert lines[3] == "|---|---:|---:|---:|---:|---:|---|"
    assert "| **1. Organisational delivery** | | | | | | |" in lines
    assert "| **2.1 Assessment** | | | | | | **Good [1]** |" in lines
    assert (
        "| 2.2.3 Does planning focus sufficiently on keeping other people safe? "
        "| 47 | 36 | 15 | 83 | 57 | Requires improvement |"
    ) in lines
    assert any(line.startswith("[1] 2.1: professional discretion") for line in lines)
    assert "## By ldu" in lines
    assert any(line.startswith("| 2.1.1 | 91% Outstanding (n=35) * |") for line in lines)


def test_the_ratings_document_can_carry_the_report_tables(demo):
    framework, ratings = demo
    tables = {"summary": report.summary_table(framework, ratings)}
    md = ratings_markdown(framework, ratings, tables=tables)
    assert md.startswith(ratings_markdown(framework, ratings))
    assert "## Summary of ratings" in md
    assert "| 2. Case supervision | 2.4 | Reviewing | Requires improvement | 2 | cases |" in md


@pytest.mark.parametrize(
    "text, escaped",
    [
        ("a | b", "a \\| b"),
        ("two\nlines", "two lines"),
        ("<script>", "\\<script\\>"),
        ("*bold*", "\\*bold\\*"),
        ("n=3 *", "n=3 *"),  # a lone star is no emphasis: left as the command line prints it
        ("_x_ and snake_case", "\\_x\\_ and snake_case"),
        ("`code`", "\\`code\\`"),
        ("back\\slash", "back\\\\slash"),
        (None, ""),
        (pd.NA, ""),
        (81.25, "81.2"),
        ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("[x]: javascript:alert(1)", "\\[x\\]: javascript:alert(1)"),
        ("&lt;b&gt; &#106;", "\\&lt;b\\&gt; \\&#106;"),
        ("see http://x.org or www.x.org", "see http\\://x.org or www\\.x.org"),
    ],
)
def test_cells_are_escaped_by_the_writer(text, escaped):
    assert escape(text) == escaped


def test_a_table_with_special_characters_keeps_its_shape():
    table = pd.DataFrame({"standard": ["2.1"], "reason": ["a | b <i>c</i>"]})
    table.attrs["title"] = "Reasons"
    table.attrs["footnotes"] = ["see *here*"]
    md = markdown_table(table)
    assert md == (
        "## Reasons\n\n| standard | reason |\n| --- | --- |\n"
        "| 2.1 | a \\| b \\<i\\>c\\</i\\> |\n\n- see \\*here\\*\n"
    )


def test_footnote_marks_stay_plain_while_the_rating_text_is_escaped():
    from workbook.render.markdown import _band

    assert _band("Good [1]") == "Good [1]"
    assert _band("<b>Good</b> [2]") == "\\<b\\>Good\\</b\\> [2]"
    assert _band("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"


def test_a_footnote_or_cell_cannot_become_html_or_a_link():
    from nbconvert.filters import markdown2html

    table = pd.DataFrame({"ldu": ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))"]})
    table.attrs["footnotes"] = ["[y](javascript:alert(2))", "<script>alert(3)</script> &amp;"]
    html = markdown2html(markdown_table(table))
    assert "<img" not in html and "<script" not in html and "<a " not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "&amp;amp;" in html
