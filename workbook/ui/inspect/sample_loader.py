"""SampleLoader: how an inspection begins. Upload a case list (CSV or XLSX) or pick one from the
data folder; every problem the sample reader finds is shown in a table and nothing is imported
until the list is clean (warnings are shown but do not block). Or draw the sample from an
eligible population: the sample-size calculator, the stratified draw with the strata and seed
chosen, and the population-versus-sample table. Then "Create inspection" imports the cases.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import traitlets

from ... import report
from ...draw import draw_sample
from ...errors import Problem, SampleError, WorkbookError
from ...files import list_frameworks, load_framework, load_sample, load_sample_bytes
from ...reasons import Reason
from ...render import Markup, render
from ...stats import sample_size
from ..feedback import Feedback

CONFIDENCE = (("80%", 0.80), ("90%", 0.90), ("95%", 0.95))
STRATA_CANDIDATES = ("ldu", "gender", "disposal", "rosh", "officer_grade", "sample")
SUMMARY_COLUMNS = (
    ("sample", "Sample"),
    ("ldu", "LDU"),
    ("gender", "Gender"),
    ("disposal", "Disposal"),
    ("rosh", "Risk of serious harm"),
)


def _heading(level: int, text: str) -> widgets.HTML:
    return widgets.HTML(render("inspect/sample_loader/heading.html.j2", level=level, text=text))


class SampleLoader(widgets.VBox):
    """Load or draw a case sample and create an inspection from it (see the module's notes)."""

    cases = traitlets.Any(None, help="The clean cases ready to import (a DataFrame), or None.")
    population = traitlets.Any(
        None, help="The eligible population loaded for a draw (a DataFrame), or None."
    )
    source = traitlets.Unicode(
        "", help="Where the cases came from: a file name, or the draw and its seed."
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
        # the case list
        self.upload = widgets.FileUpload(
            accept=".csv,.xlsx", multiple=False, description="Upload a file"
        )
        self.file_picker = widgets.Dropdown(
            description="or pick",
            options=[("choose a file", "")] + self._data_files(),
            layout=widgets.Layout(width="95%"),
        )
        self.check_button = widgets.Button(
            description="Check as the case list",
            tooltip="Read and check the file as the inspection's case sample",
            layout=widgets.Layout(width="auto"),
        )
        self.population_button = widgets.Button(
            description="Use as the population to draw from",
            tooltip="Read the file as the eligible population",
            layout=widgets.Layout(width="auto"),
        )
        self.feedback = Feedback()
        self.problems = Feedback()
        self.warnings = Feedback()
        self.summary = widgets.HTML()
        # the draw
        self.confidence = widgets.Dropdown(description="Confidence", options=CONFIDENCE, value=0.80)
        self.margin = widgets.BoundedFloatText(
            description="Margin (points)", value=5.0, min=0.5, max=30.0, step=0.5
        )
        self.size_label = widgets.HTML()
        self.sample_n = widgets.BoundedIntText(
            description="Cases to draw", value=1, min=1, max=1_000_000
        )
        self.strata_picker = widgets.SelectMultiple(description="Strata", rows=5)
        self.seed_text = widgets.IntText(description="Seed", value=1)
        self.draw_button = widgets.Button(
            description="Draw the sample", tooltip="Stratified random draw with this seed"
        )
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
        )
        super().__init__(**kwargs)
        draw_box = widgets.VBox(
            [
                _heading(4, "Draw from an eligible population"),
                widgets.HBox([self.confidence, self.margin]),
                self.size_label,
                widgets.HBox([self.sample_n, self.seed_text]),
                self.strata_picker,
                self.draw_button,
                self.draw_table,
            ]
        )
        self.children = [
            _heading(3, "Start an inspection: the case sample"),
            widgets.HBox([self.upload]),
            self.file_picker,
            widgets.HBox([self.check_button, self.population_button]),
            self.feedback,
            self.problems,
            self.warnings,
            self.summary,
            draw_box,
            _heading(4, "Create the inspection"),
            widgets.HBox([self.name_text, self.provider_text]),
            self.framework_picker,
            self.create_button,
        ]
        self.add_class("wb-sample-loader")
        self.check_button.on_click(lambda _: self.check_case_list())
        self.population_button.on_click(lambda _: self.load_population())
        self.draw_button.on_click(lambda _: self.draw())
        self.create_button.on_click(lambda _: self.create_inspection())
        self.confidence.observe(self._on_size_inputs, names="value")
        self.margin.observe(self._on_size_inputs, names="value")

    @traitlets.observe("disabled")
    def _on_disabled(self, change) -> None:
        for w in (
            self.upload,
            self.create_button,
            self.draw_button,
            self.population_button,
            self.check_button,
        ):
            w.disabled = self.disabled or (w is self.create_button and self.cases is None)

    def on_created(self, callback, remove: bool = False) -> None:
        """Call ``callback(name)`` after an inspection is created.

        ``remove=True`` unregisters it (as :meth:`ipywidgets.Button.on_click` does).
        """
        self._created.register_callback(callback, remove=remove)

    # -- reading files -------------------------------------------------------------------------

    def _data_files(self) -> list[tuple[str, str]]:
        if self.data_dir is None or not self.data_dir.is_dir():
            return []
        files = sorted(
            p
            for p in self.data_dir.rglob("*")
            if p.suffix.lower() in (".csv", ".xlsx") and p.is_file()
        )
        return [(str(p.relative_to(self.data_dir)), str(p)) for p in files]

    def _read(self, population: bool = False):
        """The chosen file as a Sample (an upload wins over the picked file)."""
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

    def _clear(self) -> None:
        for area in (self.feedback, self.problems, self.warnings):
            area.clear()
        self.summary.value = ""

    def check_case_list(self) -> None:
        """Read and check the chosen file as the case sample; nothing is imported here."""
        self._clear()
        self.cases = None
        try:
            sample = self._read()
        except WorkbookError as exc:
            self._show_problems(exc)
            return
        self._accept(sample.cases, sample.source or "", sample.seed, sample.warnings)

    def _show_problems(self, exc: WorkbookError) -> None:
        n = len(exc.problems)
        self.problems.show_problems(
            exc,
            f"{n} problem{'s' if n != 1 else ''} in the file: nothing was imported. Fix them and check the file again.",
        )
        if exc.warnings:
            self._show_warnings(exc.warnings)
        self.create_button.disabled = True

    def _show_warnings(self, warnings) -> None:
        if warnings:
            self.warnings.show_problems(
                list(warnings), f"{len(warnings)} warnings (they do not stop the import):"
            )

    def _accept(self, cases, source: str, seed, warnings=()) -> None:
        self.cases = cases
        self.source = source
        self.seed = seed
        self._show_warnings(warnings)
        breakdowns = []
        for column, title in SUMMARY_COLUMNS:
            if column in cases.columns:
                counts = cases[column].astype("string").fillna("not recorded").value_counts()
                breakdowns.append((title, [(str(k), int(v)) for k, v in counts.items()]))
        self.summary.value = render(
            "inspect/sample_loader/summary.html.j2",
            n=len(cases),
            source=source,
            breakdowns=breakdowns,
        )
        self.create_button.disabled = self.disabled
        if not self.name_text.value and "ldu" in cases.columns:
            self.name_text.value = (
                Path(source).stem if source and not source.startswith("draw") else ""
            )

    # -- the draw ------------------------------------------------------------------------------

    def load_population(self) -> None:
        """Read the chosen file as the eligible population and size the sample."""
        self._clear()
        try:
            population = self._read(population=True)
        except WorkbookError as exc:
            self._show_problems(exc)
            return
        self.population = population.cases
        self._show_warnings(population.warnings)
        columns = [c for c in STRATA_CANDIDATES if c in population.cases.columns]
        self.strata_picker.options = columns
        self.strata_picker.value = tuple(c for c in ("ldu",) if c in columns)
        self.summary.value = render(
            "inspect/sample_loader/population.html.j2",
            n=len(population.cases),
            source=population.source or "",
        )
        self._on_size_inputs(None)

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
            self.feedback.show_problems(str(exc))
            return
        self.sample_n.max = max(1, len(self.population))
        self.sample_n.value = size.n
        self.size_label.value = render(
            "inspect/sample_loader/size.html.j2", n=size.n, formula=size.formula
        )

    def draw(self) -> None:
        """Draw the sample from the population with the strata and seed chosen."""
        self.feedback.clear()
        if self.population is None:
            self.feedback.show_problems("Load the eligible population first.")
            return
        try:
            result = draw_sample(
                self.population,
                int(self.sample_n.value),
                list(self.strata_picker.value),
                seed=int(self.seed_text.value),
            )
        except WorkbookError as exc:
            self.feedback.show_problems(exc)
            return
        self.draw_table.value = report.html_table(
            result.table, caption="Population and sample by stratum"
        )
        self._accept(result.sample, f"draw of {result.n} cases, seed {result.seed}", result.seed)

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
            Markup(
                render(
                    "inspect/sample_loader/created.html.j2",
                    name=name,
                    n=len(self.cases),
                    call=repr(name),
                )
            )
        )
        self.feedback.dispatch(self._created, name)
