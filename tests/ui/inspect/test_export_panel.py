"""ExportPanel: the tables and charts written to a folder; an empty folder is shown, not raised."""

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
