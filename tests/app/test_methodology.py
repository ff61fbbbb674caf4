"""open_methodology: the page with the demo inspection's figures, without them, and with a
malformed demo folder (shown, never raised)."""

import ipywidgets as widgets
import pytest

from workbook.app import methodology
from workbook.app.methodology import PARTS, load_figures, open_methodology
from workbook.config import REPO_DIR
from workbook.files import load_framework, read_case_attributes, read_decisions, read_judgements
from workbook.ratings import rate
from workbook.ui.method.bands import BandExplorer
from workbook.ui.method.change import ChangeFinder
from workbook.ui.method.discretion import DiscretionDemo
from workbook.ui.method.overall import OverallCalculator
from workbook.ui.method.samples import SampleSizeExplorer
from workbook.ui.method.uncertainty import UncertaintyChart


@pytest.fixture(autouse=True)
def _fresh_cache():
    methodology._figures.cache_clear()
    yield
    methodology._figures.cache_clear()


def _write_demo(
    folder,
    judgements_rows,
    decisions="standard,rating,reason\n2.1,Good,wider evidence of assessment\n",
):
    demo = folder / "demo"
    demo.mkdir(parents=True)
    (demo / "judgements.csv").write_text(
        "case_id,question,answer\n" + "".join(f"{c},{q},{a}\n" for c, q, a in judgements_rows)
    )
    cases = sorted({c for c, _, _ in judgements_rows})
    (demo / "cases.csv").write_text(
        "case_id,sample,ldu\n"
        + "".join(
            f"{c},case supervision,{'North' if i % 3 else 'South'}\n" for i, c in enumerate(cases)
        )
    )
    (demo / "decisions.csv").write_text(decisions)
    (demo / "population.csv").write_text("case_id\n" + "".join(f"P{i}\n" for i in range(120)))
    return demo


def _rows():
    rows = []
    for i in range(12):
        rows.append((f"C{i:02d}", "2.1.1", "yes" if i < 9 else "no"))  # 75%: Good
        rows.append((f"C{i:02d}", "2.1.3", "yes" if i < 5 else "no"))  # 42%: Inadequate
        rows.append((f"C{i:02d}", "2.4.3", "not_applicable" if i < 2 else "yes"))
    return rows


def _parts(page):
    return [c for c in page.children if not isinstance(c, widgets.HTML)]


def test_the_page_with_a_demo_folder(tmp_path, monkeypatch):
    _write_demo(tmp_path / "data", _rows())
    monkeypatch.setenv("WORKBOOK_DATA", str(tmp_path / "data"))
    page = open_methodology()
    kinds = [type(p) for p in _parts(page)]
    assert kinds == [
        BandExplorer,
        DiscretionDemo,
        OverallCalculator,
        SampleSizeExplorer,
        UncertaintyChart,
        ChangeFinder,
    ]
    assert "the demo inspection" in page.children[0].value
    bands, discretion, _, samples, uncertainty, change = _parts(page)
    bands.load_demo.click()
    assert bands.figures == {"2.1.1": [9, 12], "2.1.2": [40, 60], "2.1.3": [5, 12]}
    assert bands.rating == "Inadequate"
    row = discretion.summary_frame.set_index("Standard").loc["2.1"]
    assert row["Rating"] == "Good *" and row["Lowest key-question band"] == "Inadequate"
    assert samples.population.value == 120 and samples.subsample.value == 4
    assert set(uncertainty.frame["question"]) == {"2.1.1", "2.1.3", "2.4.3"}
    assert change.changes["2.1"].lift_to == "Requires improvement"


def test_figures_match_the_ratings_engine(tmp_path, monkeypatch):
    demo = _write_demo(tmp_path / "data", _rows())
    monkeypatch.setenv("WORKBOOK_DATA", str(tmp_path / "data"))
    fw = load_framework("hmip-2018-crc")
    expected = rate(
        fw,
        read_judgements(demo / "judgements.csv", fw),
        read_decisions(demo / "decisions.csv", fw),
        cases=read_case_attributes(demo / "cases.csv"),
    )
    figures = load_figures()
    assert figures.figures == {k: (r.yes, r.n) for k, r in expected.key_questions.items() if r.n}
    assert figures.ratings.standards["2.1"].rating == expected.standards["2.1"].rating == "Good"


def test_the_page_without_demo_data(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_DATA", str(tmp_path / "empty"))
    page = open_methodology()
    assert "example figures" in page.children[0].value
    assert "demo inspection is not in the data folder" in page.children[0].value
    bands = _parts(page)[0]
    assert bands.load_demo.disabled


def test_demo_false_is_pure_what_ifs(tmp_path, monkeypatch):
    _write_demo(tmp_path / "data", _rows())
    monkeypatch.setenv("WORKBOOK_DATA", str(tmp_path / "data"))
    page = open_methodology(demo=False)
    assert "example figures" in page.children[0].value
    assert _parts(page)[0].load_demo.disabled
    assert not (tmp_path / "home").exists()  # no store opened, nothing written


def test_a_malformed_demo_file_is_shown_not_raised(tmp_path, monkeypatch):
    rows = _rows() + [("C99", "2.1.1", "perhaps")]
    _write_demo(tmp_path / "data", rows)
    monkeypatch.setenv("WORKBOOK_DATA", str(tmp_path / "data"))
    page = open_methodology()
    note = page.children[0].value
    assert "judgements.csv" in note and "perhaps" in note
    assert "example figures" in note


def test_a_bad_setting_is_shown_not_raised(monkeypatch):
    monkeypatch.setenv("WORKBOOK_MODE", "sideways")
    page = open_methodology()
    assert isinstance(page, widgets.HTML)
    assert "WORKBOOK_MODE" in page.value


def test_dashboard_mode_says_figures_only(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_MODE", "dashboard")
    monkeypatch.setenv("WORKBOOK_DATA", str(tmp_path / "empty"))
    assert "figures only" in open_methodology(part="about").value


@pytest.mark.parametrize("part", list(PARTS))
def test_each_part_alone(part, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_DATA", str(tmp_path / "empty"))
    box = open_methodology(part=part)
    assert len(box.children) == 1
    assert not isinstance(box.children[0], widgets.HTML)


def test_an_unknown_part_is_shown():
    assert "not a part of the page" in open_methodology(part="nope").value


def test_the_repository_demo_inspection():
    """The demo inspection shipped in data/demo (read-only): 98 cases of 240."""
    figures = methodology._figures(str(REPO_DIR / "data"), True)
    assert figures.demo and not figures.problems
    assert figures.population == 240
    assert figures.figures["2.1.1"][1] == 98
    assert figures.ratings.overall.rating is not None


def test_part_5s_picker_loads_a_key_questions_figures_from_the_demo_inspection(demo_db):
    """Choosing 2.4.3 moves the counts from the example (49 of 100) to 2.4.3's own figures,
    as the demo inspection in a store counts them."""
    from workbook.config import DEMO_INSPECTION
    from workbook.store import open_store
    from workbook.store.reading import load_rated

    store = open_store(demo_db, read_only=True)
    try:
        expected = load_rated(store, DEMO_INSPECTION).ratings.key_questions["2.4.3"]
    finally:
        store.close()
    part = open_methodology(part="uncertainty").children[0]
    assert isinstance(part, UncertaintyChart)
    assert (part.yes.value, part.n.value) == (49, 100)
    part.question.value = "2.4.3"
    assert (part.yes.value, part.n.value) == (expected.yes, expected.n) != (49, 100)
    assert f"2.4.3 in the demo inspection: {expected.yes} Yes of {expected.n}" in (
        part.single_result.value
    )
    pct = 100 * expected.yes / expected.n
    assert f"({pct:.1f}%)" in part.single_result.value
