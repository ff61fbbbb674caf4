"""ExportPanel: the tables and charts written to a folder; an empty folder is shown, not raised."""

from pathlib import Path

from workbook.ui.inspect.export_panel import ExportPanel
from workbook.ui.inspect.ratings_board import RatingsBoard


def test_export_writes_tables_and_charts(demo_store, demo_name, tmp_path):
    board = RatingsBoard(demo_store, demo_name)
    panel = ExportPanel(
        demo_store.framework(demo_name),
        ratings=board.ratings,
        folder=tmp_path / "exports",
        stem=demo_name,
    )
    panel.export_button.click()
    names = sorted(p.rsplit("/", 1)[-1] for p in panel.written)
    assert f"{demo_name}.xlsx" in names and f"{demo_name}.md" in names
    assert f"{demo_name}-kq-chart.png" in names and f"{demo_name}-kq-heatmap.svg" in names
    png = (tmp_path / "exports" / f"{demo_name}-kq-chart.png").read_bytes()
    assert png.startswith(b"\x89PNG")
    assert "Good" in (tmp_path / "exports" / f"{demo_name}-kq-heatmap.svg").read_text()
    panel.folder = ""
    panel.export_button.click()
    assert "the folder is empty" in panel.feedback.value


def test_the_markdown_export_lays_the_ratings_out_as_rate_format_markdown_does(
    demo_store, demo_name, tmp_path, capsys
):
    """One Markdown writer: the export's ratings table is the command line's, line for line."""
    from workbook.cli import main

    board = RatingsBoard(demo_store, demo_name)
    panel = ExportPanel(
        demo_store.framework(demo_name), ratings=board.ratings, folder=tmp_path, stem="r"
    )
    panel.formats = ["md"]
    panel.export_button.click()
    exported = (tmp_path / "r.md").read_text(encoding="utf-8")
    capsys.readouterr()
    code = main(["rate", "--inspection", demo_name, "--format", "markdown", "--db", demo_store.url])
    printed = capsys.readouterr().out
    assert code == 0 and printed.startswith("# Ratings: ")
    assert exported.startswith(printed)
    assert exported[len(printed) :].count("\n|") > 20  # then the report tables


def test_a_name_never_leads_the_export_out_of_its_folder(demo_store, demo_name, tmp_path):
    board = RatingsBoard(demo_store, demo_name)
    for stem, expected in [
        ("../../etc/passwd", "etc-passwd"),
        (".hidden", "hidden"),
        ("..", "ratings"),
    ]:
        panel = ExportPanel(
            demo_store.framework(demo_name), ratings=board.ratings, folder=tmp_path, stem=stem
        )
        assert panel.stem == expected
        panel.formats = ["csv"]
        panel.export_button.click()
        assert panel.written and all(Path(p).parent == tmp_path for p in panel.written)
