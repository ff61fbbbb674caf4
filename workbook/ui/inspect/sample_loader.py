"""SampleLoader: how an inspection begins, honestly.

One file at a time: upload a case list (CSV or XLSX) or pick one from the data folder; picking a
data file clears the upload, uploading clears the pick, and *Clear the upload* clears it. Each
button names the file it will use ("Check as the case list: uses upload 'x.xlsx'"), and its
confirmation or its problems appear right under it (one feedback area per action).

- *Check as the case list*: every problem the reader finds is shown, in the user's own headings
  ("CRN (case id)"), and nothing can be imported until the list is clean (warnings, such as a
  row of totals skipped, are shown but do not block).
- *Use as the population to draw from*: the sample-size calculator, the stratified draw with the
  strata and seed chosen, the shares of population and sample as percentages, a "98 cases drawn
  with seed 7" line and the drawn list to download (CSV, with the seed on every row).
- *Create inspection*: the inspection and its cases in one transaction, so a failure leaves
  nothing behind; ``on_created(callback)`` hears the new inspection's name.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import ipywidgets as widgets
import traitlets

from ...caselist import SAMPLES, column_labels, plain_name
from ...draw import draw_sample
from ...errors import Problem, SampleError, WorkbookError
from ...files import (
    list_frameworks,
    load_framework,
    load_sample,
    load_sample_bytes,
    write_sample,
)
from ...reasons import Reason
from ...render import Markup, render
from ...stats import sample_size
from ..feedback import Feedback
from .downloads import download_of
from .draw_tables import draw_tables

CONFIDENCE = (("80%", 0.80), ("90%", 0.90), ("95%", 0.95))
STRATA_CANDIDATES = ("ldu", "gender", "disposal", "rosh", "officer_grade", "sample")
SUMMARY_COLUMNS = column_labels("summary")
NO_SOURCE = ""


def _heading(level: int, text: str) -> widgets.HTML:
    return widgets.HTML(render("inspect/sample_loader/heading.html.j2", level=level, text=text))


def value_words(column: str, value: str) -> str:
    """A stored value in the words people wrote it (``case_supervision`` is "case supervision")."""
    if column == "sample":
        return SAMPLES.get(value, value)
    return value if value != "" else "not recorded"


class SampleLoader(widgets.VBox):
    """Load or draw a case sample and create an inspection from it (see the module's notes)."""

    cases = traitlets.Any(None, help="The clean cases ready to import (a DataFrame), or None.")
    population = traitlets.Any(
        None, help="The eligible population loaded for a draw (a DataFrame), or None."
    )
    chosen = traitlets.Unicode(
        NO_SOURCE, help="The file the next action uses, in words: \"upload 'x.xlsx'\" or ''."
    )
    source = traitlets.Unicode(
        "", help="Where the cases ready to import came from: a file, or the draw and its seed."
    )
    seed = traitlets.Int(None, allow_none=True, help="The draw's seed, recorded with the sample.")
    created = traitlets.Unicode("", help="The name of the inspection created last.")
    disabled = traitlets.Bool(
        False, help="Read-only: files can be checked but nothing is imported."
    )

    def __init__(
        self,
        store,
        data_dir: str | Path | None = None,
        inspector: str = "import",
        frameworks_dir: str | Path | None = None,
        **kwargs,
    ):
        self.store = store
        self.data_dir = Path(data_dir) if data_dir else None
        self.frameworks_dir = frameworks_dir  # the settings' extra framework folder
        self.inspector = inspector
        self._created = widgets.CallbackDispatcher()
        self._population_source = ""
        self._population_headings: dict[str, str] = {}  # column -> the user's heading
        self._population_words: dict[str, str] = {}  # column -> "PDU (LDU)" for messages
        self._headings: dict[str, str] = {}  # of the cases ready to import
        self.drawn = None  # the last Draw
        auto = widgets.Layout(width="auto", align_self="flex-start")
        # the file
        self.upload = widgets.FileUpload(
            accept=".csv,.xlsx", multiple=False, description="Upload a file", icon=""
        )
        self.clear_button = widgets.Button(
            description="Clear the upload",
            tooltip="Forget the uploaded file",
            disabled=True,
            layout=auto,
        )
        self.file_picker = widgets.Dropdown(
            description="or pick a file from the data folder",
            options=[("none", "")] + self._data_files(),
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", max_width="100%"),
        )
        self.source_note = widgets.HTML()
        # the case list
        self.check_button = widgets.Button(layout=auto)
        self.check_feedback = Feedback()
        self.check_warnings = widgets.HTML()
        self.summary = widgets.HTML()
        # the draw
        self.population_button = widgets.Button(layout=auto)
        self.population_feedback = Feedback()
        self.population_warnings = widgets.HTML()
        wide = {"description_width": "initial"}  # labels in full, never cut
        self.confidence = widgets.Dropdown(
            description="Confidence", options=CONFIDENCE, value=0.80, style=wide
        )
        self.margin = widgets.BoundedFloatText(
            description="Margin (points)", value=5.0, min=0.5, max=30.0, step=0.5, style=wide
        )
        self.size_label = widgets.HTML()
        self.sample_n = widgets.BoundedIntText(
            description="Cases to draw", value=1, min=1, max=1_000_000, style=wide
        )
        self.strata_picker = widgets.SelectMultiple(description="Strata", rows=5)
        self.seed_text = widgets.IntText(description="Seed", value=1, style=wide)
        self.draw_button = widgets.Button(
            description="Draw the sample",
            tooltip="Stratified random draw with this seed",
            layout=auto,
        )
        self.draw_feedback = Feedback()
        self.draw_table = widgets.HTML()
        # the inspection
        self.name_text = widgets.Text(
            description="Name", placeholder="a short name such as wwm-2019"
        )
        self.provider_text = widgets.Text(description="Provider")
        frameworks = sorted(list_frameworks(frameworks_dir))
        self.framework_picker = widgets.Dropdown(
            description="Framework",
            options=frameworks,
            value="hmip-2018-crc"
            if "hmip-2018-crc" in frameworks
            else (frameworks[0] if frameworks else None),
        )
        self.create_button = widgets.Button(
            description="Create inspection",
            button_style="primary",
            disabled=True,
            tooltip="Create the inspection and import the cases",
            layout=auto,
        )
        self.create_note = widgets.HTML()
        self.feedback = Feedback()  # the create action's
        super().__init__(**kwargs)
        self.draw_box = widgets.VBox(
            [
                widgets.HBox([self.confidence, self.margin]),
                self.size_label,
                widgets.HBox([self.sample_n, self.seed_text]),
                self.strata_picker,
                self.draw_button,
                self.draw_feedback,
                self.draw_table,
            ]
        )
        self.draw_box.add_class("wb-loader-draw")
        self.children = [
            _heading(3, "Start an inspection: the case sample"),
            _heading(4, "1. Choose one file"),
            widgets.HBox([self.upload, self.clear_button]),
            self.file_picker,
            self.source_note,
            _heading(4, "2. Check it as the case list, or draw the sample from it"),
            self.check_button,
            self.check_feedback,
            self.check_warnings,
            self.summary,
            self.population_button,
            self.population_feedback,
            self.population_warnings,
            self.draw_box,
            _heading(4, "3. Create the inspection"),
            widgets.HBox([self.name_text, self.provider_text]),
            self.framework_picker,
            widgets.HBox([self.create_button, self.create_note]),
            self.feedback,
        ]
        self.add_class("wb-sample-loader")
        self.upload.observe(self._on_upload, names="value")
        self.file_picker.observe(self._on_pick, names="value")
        self.clear_button.on_click(lambda _: self.clear_upload())
        self.check_button.on_click(lambda _: self.check_case_list())
        self.population_button.on_click(lambda _: self.load_population())
        self.draw_button.on_click(lambda _: self.draw())
        self.create_button.on_click(lambda _: self.create_inspection())
        self.confidence.observe(self._on_size_inputs, names="value")
        self.margin.observe(self._on_size_inputs, names="value")
        self._show_source()
        self._show_ready()
        self._show_population()

    @traitlets.observe("disabled")
    def _on_disabled(self, change) -> None:
        self.upload.disabled = self.disabled
        self._show_ready()

    def on_created(self, callback, remove: bool = False) -> None:
        """Call ``callback(name)`` after an inspection is created.

        ``remove=True`` unregisters it (as :meth:`ipywidgets.Button.on_click` does).
        """
        self._created.register_callback(callback, remove=remove)

    # -- one source at a time ------------------------------------------------------------------

    def _data_files(self) -> list[tuple[str, str]]:
        if self.data_dir is None or not self.data_dir.is_dir():
            return []
        files = sorted(
            p
            for p in self.data_dir.rglob("*")
            if p.suffix.lower() in (".csv", ".xlsx") and p.is_file()
        )
        return [(str(p.relative_to(self.data_dir)), str(p)) for p in files]

    def _on_upload(self, change) -> None:
        if self.upload.value and self.file_picker.value:
            self.file_picker.value = ""  # an upload replaces the picked file
        self._show_source()

    def _on_pick(self, change) -> None:
        if self.file_picker.value and self.upload.value:
            self.upload.value = ()  # a picked file replaces the upload
        self._show_source()

    def clear_upload(self) -> None:
        """Forget the uploaded file."""
        self.upload.value = ()
        self._show_source()

    def _picked_name(self) -> str:
        for label, value in self.file_picker.options:
            if value and value == self.file_picker.value:
                return label
        return Path(self.file_picker.value).name

    def _show_source(self) -> None:
        """Name the file the next action uses, beside the upload and on each button."""
        if self.upload.value:
            chosen = f"upload '{self.upload.value[0]['name']}'"
        elif self.file_picker.value:
            chosen = f"data file '{self._picked_name()}'"
        else:
            chosen = NO_SOURCE
        with self.hold_trait_notifications():
            self.chosen = chosen
            self.clear_button.disabled = not self.upload.value
            self.source_note.value = render("inspect/sample_loader/source.html.j2", chosen=chosen)
            uses = f": uses {chosen}" if chosen else ": choose a file first"
            self.check_button.description = "Check as the case list" + uses
            self.check_button.tooltip = "Read and check the file as the inspection's case sample"
            self.population_button.description = "Use as the population to draw from" + uses
            self.population_button.tooltip = "Read the file as the eligible population"

    def _read(self, population: bool = False):
        """The chosen file as a Sample: the one source named on the buttons."""
        required = ("case_id",) if population else None
        kwargs = {"required": required} if required else {}
        if self.upload.value:
            item = self.upload.value[0]
            return load_sample_bytes(bytes(item["content"]), item["name"], **kwargs)
        if self.file_picker.value:
            return load_sample(self.file_picker.value, **kwargs)
        raise SampleError(
            Problem(
                Reason.NO_FILE,
                "no file chosen.",
                allowed="upload a CSV or XLSX file, or pick one from the data folder",
            )
        )

    # -- the case list -------------------------------------------------------------------------

    def check_case_list(self) -> None:
        """Read and check the chosen file as the case sample; nothing is imported here."""
        self.check_feedback.clear()
        self.check_warnings.value = self.summary.value = ""
        chosen = self.chosen
        self.cases = None
        self._show_ready()
        try:
            sample = self._read()
        except WorkbookError as exc:
            self._show_problems(self.check_feedback, self.check_warnings, exc, chosen)
            return
        self._accept(sample.cases, chosen, sample.seed, headings=dict(self._written(sample)))
        self._show_warnings(self.check_warnings, sample.warnings)
        self.check_feedback.show_status(f"{len(sample)} cases ready to import from {chosen}.")

    @staticmethod
    def _written(sample) -> list[tuple[str, str]]:
        return [(name, sample.heading(name)) for _, name in sample.columns_found]

    def _show_problems(self, area, warnings_area, exc: WorkbookError, chosen: str) -> None:
        n = len(exc.problems)
        what = f"{n} problem{'s' if n != 1 else ''}"
        where = f" in {chosen}" if chosen else ""
        area.show_problems(
            exc,
            f"{what}{where}: nothing was imported. Fix them and check the file again."
            if chosen
            else None,
        )
        self._show_warnings(warnings_area, exc.warnings)

    @staticmethod
    def _show_warnings(area, warnings) -> None:
        lines = [str(w) for w in warnings]
        area.value = render("inspect/sample_loader/warnings.html.j2", lines=lines)

    def _accept(self, cases, source: str, seed, headings: dict[str, str]) -> None:
        self.cases = cases
        self.source = source
        self.seed = seed
        self._headings = headings
        breakdowns = []
        for column, title in SUMMARY_COLUMNS:
            if column in cases.columns:
                counts = cases[column].astype("string").fillna("").value_counts()
                breakdowns.append(
                    (
                        headings.get(column) or title,
                        [(value_words(column, str(k)), int(v)) for k, v in counts.items()],
                    )
                )
        self.summary.value = render(
            "inspect/sample_loader/summary.html.j2",
            n=len(cases),
            source=source,
            breakdowns=breakdowns,
        )
        if not self.name_text.value and source.startswith(("upload '", "data file '")):
            self.name_text.value = Path(source.split("'")[1]).stem
        self._show_ready()

    def _show_ready(self) -> None:
        """The create button, enabled only with clean cases, and what it will import."""
        self.create_button.disabled = self.disabled or self.cases is None
        self.create_note.value = render(
            "inspect/sample_loader/ready.html.j2",
            n=None if self.cases is None else len(self.cases),
            source=self.source,
            disabled=self.disabled,
        )

    # -- the draw ------------------------------------------------------------------------------

    def load_population(self) -> None:
        """Read the chosen file as the eligible population and size the sample."""
        for area in (self.population_feedback, self.draw_feedback):
            area.clear()
        self.population_warnings.value = self.draw_table.value = ""
        chosen = self.chosen
        try:
            population = self._read(population=True)
        except WorkbookError as exc:
            self._show_problems(self.population_feedback, self.population_warnings, exc, chosen)
            return
        self.population = population.cases
        self._population_source = chosen
        self._population_headings = dict(self._written(population))
        self._population_words = population.headings()
        self._show_warnings(self.population_warnings, population.warnings)
        columns = [c for c in STRATA_CANDIDATES if c in population.cases.columns]
        self.strata_picker.options = [(self._population_headings.get(c, c), c) for c in columns]
        self.strata_picker.value = tuple(c for c in ("ldu",) if c in columns)
        self.population_feedback.show_status(
            f"Eligible population: {len(population)} cases from {chosen}. "
            "Choose the size, strata and seed below, then draw."
        )
        self._on_size_inputs(None)
        self._show_population()

    def _show_population(self) -> None:
        ready = self.population is not None
        self.draw_button.disabled = not ready
        self.draw_box.layout.display = None if ready else "none"
        if ready:
            self.draw_button.description = (
                f"Draw the sample from the population: {self._population_source}"
            )

    def _on_size_inputs(self, change) -> None:
        if self.population is None:
            return
        try:
            size = sample_size(
                len(self.population),
                confidence=self.confidence.value,
                margin=self.margin.value / 100,
            )
        except ValueError as exc:
            self.draw_feedback.show_problems(str(exc))
            return
        self.sample_n.max = max(1, len(self.population))
        self.sample_n.value = size.n
        self.size_label.value = render(
            "inspect/sample_loader/size.html.j2", n=size.n, formula=size.formula
        )

    def draw(self) -> None:
        """Draw the sample from the population with the strata and seed chosen."""
        self.draw_feedback.clear()
        if self.population is None:
            self.draw_feedback.show_problems("Load the eligible population first.")
            return
        try:
            result = draw_sample(
                self.population,
                int(self.sample_n.value),
                list(self.strata_picker.value),
                seed=int(self.seed_text.value),
                words=self._population_words,
            )
            download = self._drawn_download(result)
        except WorkbookError as exc:
            self.draw_feedback.show_problems(exc)
            return
        self.drawn = result
        headings = {c: self._population_headings.get(c, plain_name(c)) for c in result.strata}
        self.draw_table.value = draw_tables(result, headings, value_words)
        source = f"draw of {result.n} cases with seed {result.seed}"
        self._accept(result.sample, source, result.seed, headings=self._population_headings)
        self.draw_feedback.show_status(
            Markup(
                render(
                    "inspect/sample_loader/drawn.html.j2",
                    n=result.n,
                    seed=result.seed,
                    population=result.population,
                    source=self._population_source,
                    download=download,
                )
            )
        )

    def _drawn_download(self, result):
        """The drawn list as the CSV file ``write_sample`` writes (the seed on every row)."""
        stem = "drawn"
        if self._population_source:
            stem = Path(self._population_source.split("'")[1]).stem + "-drawn"
        name = f"{stem}-{result.n}-seed-{result.seed}.csv"
        with tempfile.TemporaryDirectory() as folder:
            path = write_sample(result.sample, Path(folder) / "drawn.csv", seed=result.seed)
            return download_of(name, path.read_bytes())

    # -- the inspection ------------------------------------------------------------------------

    def create_inspection(self) -> None:
        """Create the inspection and import the checked cases."""
        self.feedback.clear()
        try:
            if self.disabled:
                raise WorkbookError("This page is read-only: nothing was imported.")
            if self.cases is None:
                raise WorkbookError(
                    "Check a case list (or draw a sample) first: nothing was imported."
                )
            framework = load_framework(self.framework_picker.value, extra=self.frameworks_dir)
            name = self.name_text.value.strip()
            # the inspection and its cases in one transaction: a failure leaves nothing behind
            self.store.create_inspection(
                name,
                framework,
                provider=self.provider_text.value.strip(),
                inspector=self.inspector,
                cases=self.cases,
            )
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return
        self.created = name
        self.feedback.show_status(
            Markup(render("inspect/sample_loader/created.html.j2", name=name, n=len(self.cases)))
        )
        self.feedback.dispatch(self._created, name)
