"""ExportPanel: the summary of ratings and the Annex 2 style table to XLSX, CSV and Markdown,
and the key-question charts to PNG and SVG (rendered in the kernel by vl-convert, offline).

The files go to the panel's folder (the page gives it ``exports/<inspection>`` in the folder
JupyterLab shows, :attr:`workbook.config.Settings.exports_dir`), and each file written gets a
download link on the page (:mod:`workbook.ui.inspect.downloads`). While it writes, the button
is disabled and reads "Writing...", and the status line (``role="status"``) says so.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import ipywidgets as widgets
import traitlets

from ... import charts, report
from ...charts.svg import write_chart
from ...errors import Problem, WorkbookError
from ...reasons import Reason
from ...render import render
from ...render.markdown import ratings_markdown
from ...store.names import path_part
from ..feedback import Feedback
from .downloads import download_of_file

TABLE_FORMATS = ("xlsx", "csv", "md")
EXPORT, WRITING = "Export", "Writing..."
CHART_FORMATS = ("png", "svg")


class ExportPanel(widgets.VBox):
    """Write the inspection's tables and charts to a folder (see the module's notes)."""

    ratings = traitlets.Any(
        None, help="The workbook.ratings.Ratings to export (link it to the board's)."
    )
    folder = traitlets.Unicode("", help="The folder the files are written to.")
    formats = traitlets.List(traitlets.Unicode(), help="Formats to write: xlsx, csv, md, png, svg.")
    attribute = traitlets.Unicode(
        "ldu", help="The case attribute the group tables and charts break down by."
    )
    suppress_below = traitlets.Int(
        0, help="Remove figures over fewer cases than this from the exports (0: keep all)."
    )
    written = traitlets.List(traitlets.Unicode(), help="The files the last export wrote.")
    disabled = traitlets.Bool(False, help="Read-only: nothing can be exported.")

    def __init__(
        self,
        framework,
        ratings=None,
        folder: str | Path = "",
        stem: str = "ratings",
        home: str | Path | None = None,
        **kwargs,
    ):
        self.framework = framework
        # a relative folder is under the workbook's home (the settings' WORKBOOK_HOME, passed in
        # by the page), never the kernel's current folder
        self.home = Path(home) if home else None
        self.stem = path_part(stem, default="ratings")
        self.format_checks = {
            f: widgets.Checkbox(
                value=True,
                description={
                    "xlsx": "Excel (XLSX)",
                    "csv": "CSV",
                    "md": "Markdown",
                    "png": "Charts as PNG",
                    "svg": "Charts as SVG",
                }[f],
                indent=False,
            )
            for f in TABLE_FORMATS + CHART_FORMATS
        }
        self.folder_text = widgets.Text(
            value=str(folder), description="Folder", layout=widgets.Layout(width="95%")
        )
        self.export_button = widgets.Button(
            description=EXPORT,
            button_style="primary",
            tooltip="Write the tables and charts",
            layout=widgets.Layout(width="auto", align_self="flex-start"),
        )
        self.feedback = Feedback()
        self.files = widgets.HTML()
        super().__init__(
            ratings=ratings,
            folder=str(folder),
            formats=list(TABLE_FORMATS + CHART_FORMATS),
            **kwargs,
        )
        self.children = [
            widgets.HTML(render("inspect/export_panel/heading.html.j2")),
            widgets.HBox(list(self.format_checks.values())),
            self.folder_text,
            self.export_button,
            self.feedback,
            self.files,
        ]
        self.add_class("wb-export-panel")
        widgets.link((self.folder_text, "value"), (self, "folder"))
        for box in self.format_checks.values():
            box.observe(self._on_check, names="value")
        self.export_button.on_click(lambda _: self.export())

    def _on_check(self, change) -> None:
        self.formats = [f for f, box in self.format_checks.items() if box.value]

    @traitlets.observe("disabled")
    def _on_disabled(self, change) -> None:
        self.export_button.disabled = self.disabled

    def tables(self) -> dict:
        """The report tables to export: summary, Annex 2, standards by group, key questions."""
        fw, r = self.framework, self.ratings
        attr = self.attribute if self.attribute in r.breakdowns else None
        below = self.suppress_below or None
        return {
            "summary": report.summary_table(fw, r),
            "annex": report.annex_table(fw, r),
            "standards-by-group": report.standards_by_group_table(fw, r, attr, below),
            "key-questions": report.kq_figures(fw, r, attr, below),
        }

    def _markdown(self, tables: dict) -> str:
        """The Markdown export: the ratings as ``rate --format markdown`` lays them out (the one
        writer), then the report tables. Breakdowns come only from the tables, which hold the
        small-numbers rule."""
        whole_sample = dataclasses.replace(self.ratings, breakdowns={})
        return ratings_markdown(self.framework, whole_sample, tables=tables)

    def export(self) -> list[Path]:
        """Write the chosen formats, then offer each file for download; problems are shown in
        ``feedback``, never raised. While writing, the button is disabled and says so."""
        self.files.value = ""
        with self.hold_sync():
            self.export_button.disabled = True
            self.export_button.description = WRITING
            self.feedback.show_status("Writing the files...")
        try:
            return self._export()
        finally:
            self.export_button.description = EXPORT
            self.export_button.disabled = self.disabled

    def _export(self) -> list[Path]:
        try:
            folder = self._target()
            tables = self.tables()
            written = []
            table_formats = [f for f in self.formats if f in TABLE_FORMATS]
            if table_formats:
                written += report.write_tables(
                    tables, folder, table_formats, stem=self.stem, markdown=self._markdown(tables)
                )
            chart_formats = [f for f in self.formats if f in CHART_FORMATS]
            if chart_formats:
                written += self._write_charts(tables["key-questions"], folder, chart_formats)
        except OSError as exc:
            self.feedback.show_problems(f"Nothing more was written: {exc}")
            return []
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return []
        self.written = [str(p) for p in written]
        self.feedback.show_status(f"Wrote {len(written)} files to {folder}.")
        try:
            downloads = [download_of_file(p) for p in written]
        except OSError as exc:
            self.files.value = ""
            self.feedback.show_problems(f"The files were written but cannot be read back: {exc}")
            return written
        self.files.value = render(
            "inspect/export_panel/files.html.j2", downloads=downloads, folder=str(folder)
        )
        return written

    def _target(self) -> Path:
        """The folder to write into; a WorkbookError says why there is none."""
        if self.disabled:
            raise WorkbookError("This page is read-only: nothing was exported.")
        if self.ratings is None:
            raise WorkbookError("There are no ratings to export yet.")
        if not self.folder.strip():
            raise WorkbookError(
                Problem(
                    Reason.NO_FOLDER,
                    "the folder is empty.",
                    column="folder",
                    allowed="a folder to write the files into",
                )
            )
        folder = Path(self.folder).expanduser()
        if folder.is_absolute():
            return folder
        if self.home is None:
            raise WorkbookError(
                f"'{self.folder}' is a relative folder and this panel was given no home folder "
                "to put it under: give an absolute folder."
            )
        return self.home / folder

    def _write_charts(self, figures, folder: Path, formats) -> list[Path]:
        """The key-question chart and heatmap as pictures, through the one render path, each
        file written all or nothing (:func:`workbook.charts.svg.write_chart`)."""
        thresholds = [(t.rating, t.min_pct) for t in self.framework.thresholds]
        pictures = {
            "kq-chart": charts.draw_kq_chart(figures, thresholds=thresholds),
            "kq-heatmap": charts.draw_heatmap(figures, ratings=self.framework.ratings),
        }
        written = []
        for name, chart in pictures.items():
            for kind in ("png", "svg"):
                if kind in formats:
                    path = folder / f"{self.stem}-{name}.{kind}"
                    written.append(write_chart(chart, path, scale=2))
        return written
