"""The demo inspection: synthetic, deterministic, and it reproduces the published table."""

import csv
from pathlib import Path

from workbook.demo import DEMO_DIR, generate_demo, write_demo
from workbook.files import load_framework, read_case_attributes, read_decisions, read_judgements
from workbook.ratings import rate

PUBLISHED = Path(__file__).resolve().parent / "reference" / "wwm-crc-2019-published.csv"


def test_regenerating_gives_the_committed_files(tmp_path):
    write_demo(tmp_path)
    for name in ("cases.csv", "judgements.csv", "decisions.csv", "population.csv"):
        assert (tmp_path / name).read_bytes() == (DEMO_DIR / name).read_bytes(), name
    assert generate_demo() == generate_demo()


def test_demo_reproduces_the_published_table():
    fw = load_framework("hmip-2018-crc")
    ratings = rate(
        fw,
        read_judgements(DEMO_DIR / "judgements.csv", fw),
        read_decisions(DEMO_DIR / "decisions.csv", fw),
        cases=read_case_attributes(DEMO_DIR / "cases.csv"),
        by=("ldu",),
    )
    with open(PUBLISHED, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["item_kind"] == "kq":
                assert ratings.key_questions[row["item_id"]].pct_rounded == int(row["pct_yes"])
            elif row["item_kind"] == "standard":
                assert ratings.standards[row["item_id"]].rating == row["published_rating"]
                assert (ratings.standards[row["item_id"]].discretion is not None) == (
                    row["discretion"] == "yes"
                )
            else:
                assert ratings.overall.rating == row["published_rating"]


def test_demo_sample_matches_the_report():
    with open(DEMO_DIR / "cases.csv", encoding="utf-8") as f:
        cases = list(csv.DictReader(f))
    cs = [c for c in cases if c["sample"] == "case supervision"]
    assert len(cs) == 98
    assert sum(c["gender"] == "female" for c in cs) == 12
    assert sum(c["disposal"] == "licence" for c in cs) == 32
    assert sum(c["rosh_issues"] == "yes" for c in cs) == 83
    assert sum(c["safety_review_needed"] == "yes" for c in cs) == 53
    assert sum(c["sample"] == "unpaid work" for c in cases) == 25
    assert sum(c["sample"] == "Through the Gate" for c in cases) == 18
    assert {c["ldu"] for c in cs} == {
        "Warwickshire",
        "Worcestershire",
        "Shropshire, Telford and Herefordshire",
    }
    assert all(c["synthetic"] == "yes" and c["case_id"].startswith("D19-") for c in cases)


def test_every_file_says_it_is_synthetic():
    readme = (DEMO_DIR.parent / "README.md").read_text(encoding="utf-8")
    assert "synthetic" in readme.lower()
    for name in ("cases.csv", "population.csv"):
        with open(DEMO_DIR / name, encoding="utf-8") as f:
            assert {r["synthetic"] for r in csv.DictReader(f)} == {"yes"}
    with open(DEMO_DIR / "judgements.csv", encoding="utf-8") as f:
        notes = [r["note"] for r in csv.DictReader(f) if r["note"]]
    assert notes and all(n.startswith("Synthetic note") for n in notes)


def test_population_has_the_sample_mix():
    with open(DEMO_DIR / "population.csv", encoding="utf-8") as f:
        pop = list(csv.DictReader(f))
    assert len(pop) == 240
    share = lambda rows, col, v: sum(r[col] == v for r in rows) / len(rows)  # noqa: E731
    with open(DEMO_DIR / "cases.csv", encoding="utf-8") as f:
        cs = [c for c in csv.DictReader(f) if c["sample"] == "case supervision"]
    for col, value in (
        ("gender", "female"),
        ("disposal", "licence"),
        ("rosh", "low"),
        ("rosh", "high"),
    ):
        assert abs(share(pop, col, value) - share(cs, col, value)) < 0.03, (col, value)


def test_a_draw_from_the_population_gives_the_report_sample():
    from workbook.draw import draw_sample
    from workbook.files import load_population

    population = load_population(DEMO_DIR / "population.csv").cases
    draw = draw_sample(population, 98, ["gender", "disposal", "rosh"], seed=7)
    sample = draw.sample
    assert len(sample) == 98
    assert (sample["gender"] == "female").sum() == 12
    assert (sample["disposal"] == "licence").sum() == 32
    assert sample["rosh"].value_counts().to_dict() == {
        "medium": 55,
        "high": 25,
        "low": 15,
        "very high": 3,
    }
