"""Report tables against workbook.ratings on the same data."""

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from workbook import report
from workbook.files import load_framework
from workbook.judgements import Decision
from workbook.ratings import rate

LDUS = ("North", "South", "West")


@pytest.fixture(scope="module")
def framework():
    return load_framework("hmip-2018-crc")


@pytest.fixture(scope="module")
def inspection(framework):
    """60 case-supervision cases over three LDUs (West has only 4), answers drawn with a seed."""
    rng = np.random.default_rng(7)
    ldus = ["North"] * 30 + ["South"] * 26 + ["West"] * 4
    cases = pd.DataFrame({"case_id": [f"C{i:03d}" for i in range(60)], "ldu": ldus})
    rows = [
        (c, q.id, str(rng.choice(["yes", "no"], p=[0.7, 0.3])))
        for c in cases["case_id"]
        for q in framework.rated_key_questions
        if q.sample == "case_supervision"
    ]
    judgements = pd.DataFrame(rows, columns=["case_id", "question", "answer"])
    decisions = [
        Decision("2.4", "Requires improvement", "wider evidence of reviewing"),
        Decision("1.1", "Good", "leadership interviews"),
    ]
    return cases, judgements, rate(framework, judgements, decisions, cases=cases, by=("ldu",))


def test_summary_table_lists_every_standard_then_overall_with_discretion_footnotes(
    framework, inspection
):
    _, _, ratings = inspection
    table = report.summary_table(framework, ratings)
    assert table["standard"].tolist()[:-1] == [s.id for s in framework.standards]
    assert table.iloc[-1]["domain"] == "Overall"
    for row in table.iloc[:-1].itertuples():
        expected = ratings.standards[row.standard].rating or "not yet rated"
        assert row.rating == expected
    row = table.set_index("standard").loc["2.4"]
    assert row["mark"] == "1" and row["rating"] == "Requires improvement"
    assert table.attrs["footnotes"] == [
        "In arriving at the rating for 2.4 Reviewing, the inspectors exercised professional discretion: wider evidence of reviewing"
    ]
    assert table.set_index("standard").loc["1.1", "reason"] == "leadership interviews"


def test_annex_table_prints_percentages_as_the_report_does(framework, inspection):
    _, _, ratings = inspection
    table = report.annex_table(framework, ratings).set_index("item")
    for q in framework.rated_key_questions:
        r = ratings.key_questions[q.id]
        assert table.loc[q.id, "text"] == q.text
        assert table.loc[q.id, "pct"] == ("" if r.pct_rounded is None else f"{r.pct_rounded}%")
        assert table.loc[q.id, "band"] == (r.band or "")
    assert table.loc["2.1", "kind"] == "standard"
    assert table.loc["2.1", "rating"] == ratings.standards["2.1"].rating
    assert "1.1" not in table.index  # domain one is judged, not in Annex 2


def test_kq_figures_equal_ratings_for_the_whole_sample_and_each_ldu(framework, inspection):
    _, _, ratings = inspection
    figures = report.kq_figures(framework, ratings)
    assert list(dict.fromkeys(figures["group"])) == [report.WHOLE_SAMPLE, *LDUS]
    for row in figures.itertuples():
        source = (
            ratings.key_questions
            if row.group == report.WHOLE_SAMPLE
            else ratings.breakdowns["ldu"][row.group].key_questions
        )
        r = source[row.kq]
        assert row.yes == r.yes and row.no == r.no and row.n == r.n
        if r.n:
            assert row.pct == r.pct_rounded and row.band == r.band
            assert row.ci80_lo == pytest.approx(r.ci80[0]) and row.ci80_hi == pytest.approx(
                r.ci80[1]
            )


def test_small_numbers_are_removed_not_hidden(framework, inspection):
    _, _, ratings = inspection
    figures = report.kq_figures(framework, ratings, suppress_below=5)
    west = figures[figures["group"] == "West"]
    answered = west[west["kq"].str.startswith("2.")]
    assert answered["suppressed"].all()
    assert answered[["yes", "no", "n", "pct", "pct_exact", "ci80_lo", "ci80_hi"]].isna().all().all()
    assert answered["band"].isna().all()
    assert set(answered["note"]) == {"fewer than 5 cases"}
    assert not figures[figures["group"] == "North"]["suppressed"].any()

    table = report.standards_by_group_table(framework, ratings, suppress_below=5)
    west = table[(table["group"] == "West") & table["standard"].str.startswith("2.")]
    assert west["rating"].isna().all() and west["n"].isna().all() and west["pct"].isna().all()
    assert set(west["text"]) == {"fewer than 5 cases"}
    # written out, the numbers are gone too
    csv = figures.to_csv(index=False)
    west_lines = [line for line in csv.splitlines() if ",West," in line and line.startswith("2.")]
    assert all(",,,," in line for line in west_lines)


def test_a_small_group_cannot_be_worked_out_from_the_others(framework, inspection):
    """West (4 cases) is hidden; South, the next smallest, is hidden with it, in the key
    questions and the standards alike, so All cases minus North leaves 30 cases, not West's 4."""
    _, _, ratings = inspection
    figures = report.kq_figures(framework, ratings, suppress_below=5)
    answered = figures[figures["kq"].str.startswith("2.")]
    for kq, rows in answered.groupby("kq"):
        by_group = rows.set_index("group")
        assert by_group.loc["West", "note"] == "fewer than 5 cases"
        assert bool(by_group.loc["South", "suppressed"]), kq
        assert by_group.loc["South", "note"] == "not shown (protects a small group)"
        assert pd.isna(by_group.loc["South", "n"]) and pd.isna(by_group.loc["South", "yes"])
        assert not bool(by_group.loc["North", "suppressed"])
        assert by_group.loc[report.WHOLE_SAMPLE, "n"] - by_group.loc["North", "n"] >= 5
    table = report.standards_by_group_table(framework, ratings, suppress_below=5)
    south = table[(table["group"] == "South") & table["standard"].str.startswith("2.")]
    assert south["suppressed"].all() and south["rating"].isna().all() and south["n"].isna().all()
    assert set(south["text"]) == {"not shown (protects a small group)"}
    assert not table[table["group"] == "North"]["suppressed"].any()


def test_standards_by_group_table_matches_ratings_with_marks_and_margin_flags(
    framework, inspection
):
    _, _, ratings = inspection
    table = report.standards_by_group_table(framework, ratings)
    whole = table[table["group"] == report.WHOLE_SAMPLE].set_index("standard")
    assert whole.loc["2.4", "discretion"] == "*"
    assert whole.loc["2.4", "rating"] == "Requires improvement"
    assert not whole["margin_flag"].any()
    north = table[table["group"] == "North"].set_index("standard")
    for sid, row in north.iterrows():
        s = ratings.breakdowns["ldu"]["North"].standards[sid]
        assert row["rating"] == s.rating
        assert row["discretion"] == ""
    assert north.loc["2.1", "margin_flag"]  # 30 cases: margin of error above 5 points
    low = min(
        (
            ratings.key_questions[q.id]
            for q in framework.standard("2.1").key_questions
            if ratings.key_questions[q.id].band == ratings.standards["2.1"].lowest_kq_band
        ),
        key=lambda r: r.pct,
    )
    assert whole.loc["2.1", "pct"] == low.pct_rounded and whole.loc["2.1", "n"] == low.n
    grid = report.group_grid(table)
    assert list(grid.columns) == ["standard", "name", report.WHOLE_SAMPLE, *LDUS]


def test_write_tables_to_xlsx_csv_and_markdown(framework, inspection, tmp_path):
    _, _, ratings = inspection
    tables = {
        "summary": report.summary_table(framework, ratings),
        "annex": report.annex_table(framework, ratings),
    }
    written = report.write_tables(tables, tmp_path / "out")
    names = sorted(p.name for p in written)
    assert names == ["ratings-annex.csv", "ratings-summary.csv", "ratings.md", "ratings.xlsx"]
    book = load_workbook(tmp_path / "out" / "ratings.xlsx")
    assert book.sheetnames == ["summary", "annex"]
    cells = [c.value for row in book["summary"].iter_rows() for c in row]
    assert any(isinstance(v, str) and "professional discretion" in v for v in cells)
    back = pd.read_csv(tmp_path / "out" / "ratings-annex.csv", dtype=str, keep_default_na=False)
    assert (
        back.set_index("item").loc["2.1.1", "pct"]
        == f"{ratings.key_questions['2.1.1'].pct_rounded}%"
    )
    md = (tmp_path / "out" / "ratings.md").read_text()
    assert "## Summary of ratings" in md and "| 2.4 | Reviewing | Requires improvement | 1 |" in md
    assert "1. In arriving at the rating for 2.4 Reviewing" in md
    with pytest.raises(ValueError, match="allowed: xlsx, csv, md"):
        report.write_tables(tables, tmp_path, formats=["pdf"])
