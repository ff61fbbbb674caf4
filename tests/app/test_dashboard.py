"""The dashboard's figures and page without a browser: suppression, privacy, read-only store."""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as widgets
import pandas as pd
import pytest
import traitlets

from workbook.app.dashboard import open_dashboard
from workbook.disclosure import suppress_counts
from workbook.files import load_framework
from workbook.ratings import rate
from workbook.report import WHOLE_SAMPLE
from workbook.report.dashboard import ALL_GROUPS, build_figures, composition_counts
from workbook.store import open_store
from workbook.ui.dashboard.page import DashboardPage
from workbook.ui.dashboard.problem import DashboardProblem
from workbook.ui.inspect.ratings_board import RatingsBoard

NAME = "small-2024"
NOTE = "Private note: the man at 12 Acacia Avenue"


def _cases() -> pd.DataFrame:
    rows = []
    for ldu, n, women in (("North", 12, 4), ("South", 10, 5), ("East", 3, 0)):
        for i in range(n):
            rows.append(
                {
                    "case_id": f"PRIV-{ldu[:2].upper()}-{i:03d}",
                    "sample": "case_supervision",
                    "ldu": ldu,
                    "gender": "female" if i < women else "male",
                    "disposal": "community" if i % 3 else "licence",
                    "rosh": "very high"
                    if (ldu == "East" and i == 0)
                    else ("medium" if i % 2 else "high"),
                    "officer_grade": "probation officer",
                    "inspector": f"Inspector {ldu}",
                }
            )
    return pd.DataFrame(rows)


def _answers(cases: pd.DataFrame) -> list[tuple[str, str, str]]:
    out = []
    for i, case_id in enumerate(cases["case_id"]):
        for q in ("2.1.1", "2.1.2", "2.1.3"):
            out.append((case_id, q, "yes" if (i + len(q)) % 3 else "no"))
    return out


@pytest.fixture
def small_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'small.db'}"
    framework = load_framework("hmip-2018-crc")
    store = open_store(url)
    try:
        store.create_inspection(NAME, framework, provider="A provider")
        cases = _cases()
        store.import_cases(NAME, cases)
        for n, (case_id, q, a) in enumerate(_answers(cases)):
            store.save_judgement(
                NAME, case_id, q, a, "Inspector Private", note=NOTE if n == 0 else None
            )
        store.save_decision(
            NAME, "2.1", "Good", "wider evidence of good assessment practice", "Lead Private"
        )
    finally:
        store.close()
    return url


def _page(framework, f) -> DashboardPage:
    """The dashboard page of ``f``, from its snapshot as the dashboard server renders it."""
    from workbook.render.snapshot import build_snapshot

    snapshot = build_snapshot(
        framework, f, inspection=NAME, token="1:1:1", suppression=f.suppress_below
    )
    return DashboardPage(snapshot)


def _figures(suppress_below=5):
    framework = load_framework("hmip-2018-crc")
    cases = _cases()
    judgements = pd.DataFrame(_answers(cases), columns=["case_id", "question", "answer"])
    ratings = rate(framework, judgements, cases=cases, by=("ldu",))
    return framework, build_figures(
        framework, ratings, cases, suppress_below=suppress_below, title=NAME
    )


def test_small_groups_are_suppressed_with_their_complement():
    _framework, f = _figures()
    rows = f.figures[f.figures["kq"] == "2.1.1"].set_index("group")
    east = rows.loc["East"]
    assert bool(east["suppressed"]) and east["note"] == "fewer than 5 cases"
    for col in ("yes", "no", "n", "pct", "band", "ci80_lo"):
        assert pd.isna(east[col])
    # complement: the next smallest LDU is hidden too, so East cannot be worked out
    assert bool(rows.loc["South"]["suppressed"]) and not bool(rows.loc["North"]["suppressed"])
    assert not bool(rows.loc[WHOLE_SAMPLE]["suppressed"]) and rows.loc[WHOLE_SAMPLE]["n"] == 25
    # the LDUs' case counts too: East's 3 is not "25 minus the others"
    assert f.group_cases == {
        "East": "fewer than 5 cases, not shown",
        "North": "12",
        "South": "not shown, so that the count for East cannot be worked out from the total",
    }


def test_no_small_group_count_can_be_worked_out_from_the_page():
    framework, f = _figures()
    page = _page(framework, f)
    text = page.heatmap.value
    assert "North: 12" in text and "South: 10" not in text and "East: 3" not in text
    # what is shown, subtracted from the whole sample, leaves at least 5 cases hidden
    for kq, rows in f.figures.groupby("kq"):
        whole = rows[rows["group"] == WHOLE_SAMPLE]["n"].iloc[0]
        shown = rows[(rows["group"] != WHOLE_SAMPLE) & ~rows["suppressed"].astype(bool)]
        left = int(whole) - int(shown["n"].fillna(0).sum())
        assert left == 0 or left >= 5, kq
    shown_cases = sum(int(n) for n in f.group_cases.values() if n.isdigit())
    assert len(_cases()) - shown_cases >= 5


def test_the_threshold_is_a_setting():
    _framework, f = _figures(suppress_below=2)
    assert not f.figures["suppressed"].any()


def test_composition_counts_are_suppressed():
    counts = composition_counts(_cases(), "rosh", 5)
    by_value = counts.set_index("value")
    assert (
        pd.isna(by_value.loc["very high", "cases"])
        and by_value.loc["very high", "text"] == "fewer than 5 cases, not shown"
    )
    # exactly one small value: the next smallest is hidden too
    assert by_value["suppressed"].sum() == 2
    two = suppress_counts(pd.DataFrame({"value": ["a", "b", "c"], "cases": [10, 3, 2]}), 5)
    assert two["suppressed"].tolist() == [False, True, True]


def test_annex_hides_key_questions_over_too_few_cases():
    framework = load_framework("hmip-2018-crc")
    cases = _cases().head(3)
    judgements = pd.DataFrame(_answers(cases), columns=["case_id", "question", "answer"])
    ratings = rate(framework, judgements, cases=cases, by=("ldu",))
    f = build_figures(framework, ratings, cases, suppress_below=5)
    row = f.annex.set_index("item").loc["2.1.1"]
    assert row["pct"] == "fewer than 5 cases" and row["band"] == "" and pd.isna(row["n"])


def _all_state(widget) -> str:
    """Every synced value of a widget and its children, as JSON text."""
    out = []

    def walk(w):
        out.append(json.dumps(w.get_state(), default=str))
        for child in getattr(w, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(out)


def test_page_holds_no_case_and_the_selectors_redraw():
    framework, f = _figures()
    page = _page(framework, f)
    state = _all_state(page)
    for case_id in _cases()["case_id"]:
        assert case_id not in state
    assert "Inspector North" not in state
    assert "fewer than 5 cases" in state
    explorer = page.explorer
    before = explorer.view.value
    explorer.group_picker.value = "North"
    assert explorer.group == "North" and explorer.view.value != before
    assert "South" not in explorer.view.value.split("<table")[1]
    explorer.standard_picker.value = "2.2"
    assert explorer.standard == "2.2" and "2.2.1" in explorer.view.value
    with pytest.raises(traitlets.TraitError):
        explorer.group_picker.value = "<script>alert(1)</script>"
    explorer.group_picker.value = ALL_GROUPS
    assert "East" in explorer.view.value


def _file_of(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def test_open_dashboard_reads_the_store_read_only(small_db):
    before = _file_of(small_db).read_bytes()
    page = open_dashboard(NAME, db_url=small_db)
    assert isinstance(page, DashboardPage) and not hasattr(page, "store")
    state = _all_state(page)
    assert (
        NOTE not in state
        and "PRIV-" not in state
        and "Inspector Private" not in state
        and "Lead Private" not in state
    )
    assert "wider evidence of good assessment practice" in state  # discretion footnote
    assert _file_of(small_db).read_bytes() == before
    check = open_store(small_db, read_only=True)
    try:
        j = check.judgements(NAME)
        assert j[(j["case_id"] == "PRIV-NO-000") & (j["question"] == "2.1.1")][
            "inspector"
        ].tolist() == ["Inspector Private"]
    finally:
        check.close()


def test_dashboard_mode_reads_settings_from_the_environment(small_db, monkeypatch):
    monkeypatch.setenv("WORKBOOK_MODE", "dashboard")
    monkeypatch.setenv("WORKBOOK_DB", small_db)
    monkeypatch.setenv("WORKBOOK_INSPECTION", NAME)
    monkeypatch.setenv("WORKBOOK_SUPPRESSION", "20")
    page = open_dashboard()
    assert isinstance(page, DashboardPage)
    assert page.snapshot["suppression"] == 20
    assert "North: fewer than 20 cases" in page.heatmap.value
    assert "North: 12" not in page.heatmap.value


def test_a_visit_keeps_the_snapshot_and_the_next_visit_reads_only_it(
    small_db, tmp_path, monkeypatch
):
    """The figures are rendered once, not per visit: the first visit (no snapshot yet) renders
    and keeps the snapshot; the next one shows it without the store (here, gone)."""
    from workbook.ui.dashboard.snapshot import snapshot_path

    monkeypatch.setenv("WORKBOOK_DB", small_db)
    monkeypatch.setenv("WORKBOOK_INSPECTION", NAME)
    monkeypatch.setenv("WORKBOOK_SNAPSHOTS", str(tmp_path / "snaps"))
    first = open_dashboard()
    kept = snapshot_path(tmp_path / "snaps", NAME, small_db)
    assert isinstance(first, DashboardPage) and kept.exists() and first.source == kept
    _file_of(small_db).unlink()
    again = open_dashboard()
    assert isinstance(again, DashboardPage) and again.summary.value == first.summary.value
    # another threshold is another snapshot: it is not taken from the kept one
    monkeypatch.setenv("WORKBOOK_SUPPRESSION", "20")
    assert isinstance(open_dashboard(), DashboardProblem)


def test_with_the_servers_keeper_a_visit_waits_for_its_snapshot(small_db, tmp_path, monkeypatch):
    """In the dashboard server, a visitor's kernel does not render: it waits for the snapshot
    the server renders (the store here is never opened by the visit: it does not exist)."""
    import threading

    from workbook.app.dashboard import inspection_snapshot
    from workbook.ui.dashboard.snapshot import snapshot_path, write_snapshot

    store = open_store(small_db, read_only=True)
    try:
        snapshot = inspection_snapshot(store, NAME, 5)
    finally:
        store.close()
    monkeypatch.setenv("WORKBOOK_DB", f"sqlite:///{tmp_path / 'absent.db'}")
    monkeypatch.setenv("WORKBOOK_INSPECTION", NAME)
    monkeypatch.setenv("WORKBOOK_SNAPSHOT_KEEPER", "1")
    path = snapshot_path(tmp_path / "home-snaps", NAME, f"sqlite:///{tmp_path / 'absent.db'}")
    monkeypatch.setenv("WORKBOOK_SNAPSHOTS", str(path.parent))
    later = threading.Timer(0.5, write_snapshot, (path, snapshot))
    later.start()
    try:
        page = open_dashboard()
    finally:
        later.join()
    assert isinstance(page, DashboardPage) and page.snapshot["token"] == snapshot["token"]


@pytest.mark.parametrize("kind", ["missing file", "unknown inspection", "bad url", "bad setting"])
def test_problems_are_shown_on_the_page(small_db, tmp_path, monkeypatch, capfd, kind):
    """The page says only that the dashboard cannot show the inspection: no path, no database
    address, no list of the store's inspections, no software. The detail is in the server's
    log."""
    name, url = NAME, small_db
    if kind == "missing file":
        url = f"sqlite:///{tmp_path / 'none.db'}"
    elif kind == "unknown inspection":
        name = "no-such-inspection"
    elif kind == "bad url":
        url = "postgresql+psycopg://nobody:secret-password@127.0.0.1:1/none"
    else:
        monkeypatch.setenv("WORKBOOK_SUPPRESSION", "many")
    page = open_dashboard(name, db_url=url)
    assert isinstance(page, DashboardProblem)
    text = page.message.value
    assert "Traceback" not in text and "secret-password" not in text
    assert "cannot show this inspection at the moment" in text
    for secret in (str(tmp_path), "none.db", NAME, "no-such-inspection", "127.0.0.1", "nobody"):
        assert secret not in text, secret
    shown = text.rsplit("</style>", 1)[-1]
    for software in ("sqlite", "psycopg", "postgresql", "StoreError", "Exception", "WORKBOOK_"):
        assert software.lower() not in shown.lower(), software
    logged = capfd.readouterr().err
    if kind == "missing file":
        assert "does not exist" in logged and str(tmp_path) in logged
    if kind == "unknown inspection":
        assert "no-such-inspection" in logged
    if kind == "bad setting":
        assert "WORKBOOK_SUPPRESSION" in logged


def _other_version(folder, version: str = "2019.9"):
    """A folder holding hmip-2018-crc under another version (as WORKBOOK_FRAMEWORKS may)."""
    from workbook.files import BUILTIN_FRAMEWORKS

    folder.mkdir()
    text = (BUILTIN_FRAMEWORKS / "hmip-2018-crc.yaml").read_text(encoding="utf-8")
    pinned = str(load_framework("hmip-2018-crc").version)
    (folder / "hmip-2018-crc.yaml").write_text(
        text.replace(f'version: "{pinned}"', f'version: "{version}"', 1), encoding="utf-8"
    )
    return folder, pinned


def test_the_dashboard_refuses_another_version_of_the_inspections_framework(
    small_db, tmp_path, monkeypatch, capfd
):
    """As the inspectors' form does: an inspection is rated with the framework version it was
    created with, never with another one installed under the same id."""
    folder, pinned = _other_version(tmp_path / "frameworks")
    monkeypatch.setenv("WORKBOOK_FRAMEWORKS", str(folder))
    page = open_dashboard(NAME, db_url=small_db)
    assert isinstance(page, DashboardProblem)
    text = page.message.value
    assert "cannot show this inspection" in text and "2019.9" not in text
    logged = capfd.readouterr().err
    assert "cannot show inspection" in logged and pinned in logged and "2019.9" in logged


def test_publishing_takes_its_settings_from_the_caller(small_db, tmp_path, monkeypatch):
    """A bad dashboard setting breaks no caller that passes what publishing needs: settings are
    read where the command is composed (the command line), not below it."""
    from workbook.app.publish import publish_dashboard

    monkeypatch.setenv("WORKBOOK_SUPPRESSION", "abc")
    path = publish_dashboard(NAME, tmp_path / "site", small_db, suppress_below=5)
    site = path.read_text(encoding="utf-8")
    assert "North: 12" in site and "fewer than 5 cases" in site


def test_the_page_is_a_box_of_widgets():
    framework, f = _figures()
    page = _page(framework, f)
    assert isinstance(page, widgets.VBox)
    assert "Overall rating" in page.summary.value


@pytest.mark.postgres
def test_dashboard_on_a_teams_postgresql_store(pg_url, tmp_path):
    """A team's inspection in PostgreSQL: the dashboard reads it, the static site is written,
    and the dashboard's connection refuses writes."""
    from workbook.app.publish import publish_dashboard

    framework = load_framework("hmip-2018-crc")
    store = open_store(pg_url)
    try:
        store.create_inspection(NAME, framework, provider="A provider")
        cases = _cases()
        store.import_cases(NAME, cases)
        for case_id, q, a in _answers(cases):
            store.save_judgement(NAME, case_id, q, a, "Inspector Private", note=NOTE)
    finally:
        store.close()
    page = open_dashboard(NAME, db_url=pg_url)
    assert isinstance(page, DashboardPage)
    assert NOTE not in _all_state(page) and "PRIV-" not in _all_state(page)
    assert "Summary of ratings" in page.summary.value
    site = publish_dashboard(NAME, tmp_path / "site", pg_url).read_text(encoding="utf-8")
    assert "Summary of ratings" in site and "PRIV-" not in site and NOTE not in site


# -- the inspectors' board in dashboard mode, and a key question over too few cases ----------------


def test_the_board_in_dashboard_mode_hides_the_complement_too(small_db):
    store = open_store(small_db, read_only=True)
    try:
        board = RatingsBoard(store, NAME, suppress_below=5)
    finally:
        store.close()
    figures = board.figures
    for kq, rows in figures[figures["kq"].str.startswith("2.1.")].groupby("kq"):
        by_group = rows.set_index("group")
        assert bool(by_group.loc["East", "suppressed"]) and bool(
            by_group.loc["South", "suppressed"]
        )
        assert pd.isna(by_group.loc["South", "n"]) and pd.isna(by_group.loc["South", "yes"])
        assert not bool(by_group.loc["North", "suppressed"]), kq
    table = board.table_frame
    south = table[(table["group"] == "South") & (table["standard"] == "2.1")].iloc[0]
    assert bool(south["suppressed"]) and pd.isna(south["n"]) and south["rating"] is None
    assert 'data-group="South"' not in board.table.value
    assert 'data-group="East"' not in board.table.value
    plotted = {(v["kq"], v["group"]) for v in board.chart_spec["datasets"]["kq_figures"]}
    assert ("2.1.1", "South") not in plotted and ("2.1.1", "North") in plotted
    # the same rule as the dashboard's: one implementation
    _framework, f = _figures()
    dash = f.figures.set_index(["kq", "group"])["suppressed"].astype(bool)
    mine = figures.set_index(["kq", "group"])["suppressed"].astype(bool)
    assert dash.equals(mine.loc[dash.index])
    # a figure over no cases in a small LDU (East: 3 cases) is hidden by both, for the same reason
    notes = f.figures.set_index(["kq", "group"])["note"]
    assert notes.equals(figures.set_index(["kq", "group"])["note"].loc[dash.index])
    assert notes.loc["2.2.1", "East"] == "fewer than 5 cases"


def _few_answers_ratings():
    """The small inspection, with 2.2.1 answered for only 3 cases (2.2.2 for all of them)."""
    framework = load_framework("hmip-2018-crc")
    cases = _cases()
    answers = _answers(cases)
    for i, case_id in enumerate(cases["case_id"]):
        answers.append((case_id, "2.2.2", "yes" if i % 4 else "no"))
        if i < 3:
            answers.append((case_id, "2.2.1", "yes"))
    judgements = pd.DataFrame(answers, columns=["case_id", "question", "answer"])
    return framework, cases, judgements


@pytest.fixture
def few_db(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'few.db'}"
    framework, cases, judgements = _few_answers_ratings()
    store = open_store(url)
    try:
        store.create_inspection(NAME, framework, provider="A provider")
        store.import_cases(NAME, cases)
        for case_id, q, a in judgements.itertuples(index=False):
            store.save_judgement(NAME, case_id, q, a, "Inspector Private")
    finally:
        store.close()
    return url


def test_a_standard_with_a_key_question_over_too_few_cases_shows_no_rating(few_db):
    framework, cases, judgements = _few_answers_ratings()
    ratings = rate(framework, judgements, cases=cases, by=("ldu",))
    hidden = ratings.standards["2.2"].rating
    assert hidden is not None and ratings.key_questions["2.2.1"].n == 3
    store = open_store(few_db, read_only=True)
    try:
        board = RatingsBoard(store, NAME, suppress_below=5)
    finally:
        store.close()
    # distances: nothing about 2.2 or its key questions; 2.1 still there
    assert "2.2" not in board.distances.value and "2.1" in board.distances.value
    # the overall points would give 2.2's rating away (they minus 2.1's): not shown
    assert "points" not in board.overall.value and "not shown" in board.overall.value
    assert board.band_of("2.2") is None and board.band_of("2.1") is not None
    assert 'data-standard="2.2"' not in board.table.value

    f = build_figures(framework, ratings, cases, suppress_below=5)
    summary = f.summary.set_index("standard")
    assert summary.loc["2.2", "rating"] == "fewer than 5 cases"
    assert summary.loc["2.1", "rating"] == ratings.standards["2.1"].rating
    overall = f.summary[f.summary["domain"] == "Overall"].iloc[0]
    assert "points" not in overall["name"] and str(ratings.overall.points) not in overall["name"]
    annex = f.annex.set_index("item")
    assert annex.loc["2.2", "rating"] == "fewer than 5 cases"
    assert annex.loc["2.2.1", "pct"] == "fewer than 5 cases"
    page = _page(framework, f)
    summary_html = page.summary.value
    row = summary_html.split("<td>2.2</td>")[1].split("</tr>")[0]
    assert hidden not in row and "fewer than 5 cases" in row
    annex_row = page.annex.value.split("<td>2.2</td>")[1].split("</tr>")[0]
    assert hidden not in annex_row and "fewer than 5 cases" in annex_row
    assert f"{ratings.overall.points} of" not in summary_html
    # without a threshold, every rating is shown as before
    board.suppress_below = 0
    assert board.band_of("2.2") == hidden and "points" in board.overall.value


def test_a_key_question_applying_to_none_of_a_small_ldus_cases_is_hidden():
    """East has 3 cases, for none of which 2.2.1 applies: its figure says "fewer than 5 cases",
    never "no answers yet", and the next smallest LDU is hidden with it."""
    framework = load_framework("hmip-2018-crc")
    cases = _cases()
    answers = _answers(cases)
    for i, (case_id, ldu) in enumerate(zip(cases["case_id"], cases["ldu"], strict=True)):
        answers.append(
            (case_id, "2.2.1", "not_applicable" if ldu == "East" else "yes" if i % 3 else "no")
        )
    judgements = pd.DataFrame(answers, columns=["case_id", "question", "answer"])
    ratings = rate(framework, judgements, cases=cases, by=("ldu",))
    f = build_figures(framework, ratings, cases, suppress_below=5, title=NAME)
    rows = f.figures[f.figures["kq"] == "2.2.1"].set_index("group")
    assert bool(rows.loc["East", "suppressed"]) and rows.loc["East", "note"] == "fewer than 5 cases"
    assert bool(rows.loc["South", "suppressed"]) and pd.isna(rows.loc["South", "n"])
    assert not bool(rows.loc["North", "suppressed"])
    from workbook.report.dashboard import heatmap_rows

    groups, heat = heatmap_rows(f)
    cells = dict(zip(groups, dict(heat)["2.2.1"], strict=True))
    assert cells["East"] == (None, "Fewer than 5 cases in East: its figure is not shown", "")
    assert "no answers yet" not in str(cells)
