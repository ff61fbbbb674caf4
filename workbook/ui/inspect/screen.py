"""WorkbookScreen: the inspectors' whole page as one widget.

A top bar (the inspection picker, "New inspection", the line saying what is open); then tabs.
The first, *Cases*, is the day's work: the case list on the left, the case's form in the
middle (its own scrolling column) and the compact live summary on the right, always in view
beside the form. The full ratings board, the lead inspector's console (*Team*) and the quality
lead's panel (*Quality assurance*), shown only to those roles, decisions, export and the
loader are the other tabs, one click away. :meth:`WorkbookScreen.show` puts a new set of parts in place of the old ones
(picking or creating an inspection), so nothing needs a new cell or any code.

The root carries the CSS class ``wb-workbook`` (the stylesheet scopes the screen's layout and
the focus ring to it) and a :class:`~workbook.ui.inspect.keyboard.ShortcutGuard`, so
JupyterLab's shortcuts do not fire while focus is inside. The layout is in
``render/templates/css/screen.css.j2``.
"""

from __future__ import annotations

import ipywidgets as widgets
import traitlets

from ...render import style_tag
from .keyboard import ShortcutGuard

CASES, RATINGS, TEAM, QA, DECISIONS, EXPORT, LOADER = (
    "Cases",
    "Ratings",
    "Team",
    "Quality assurance",
    "Decisions",
    "Export",
    "New inspection",
)


def _column(name: str) -> widgets.Box:
    box = widgets.Box()
    box.add_class(name)
    return box


def close_tree(widget) -> None:
    """Close a widget and every widget under it (their views leave the page)."""
    for child in getattr(widget, "children", ()) or ():
        close_tree(child)
    for extra in ("chart",):  # a board's chart lives in a box, but also as an attribute
        part = getattr(widget, extra, None)
        if isinstance(part, widgets.Widget):
            part.close()
    widget.close()


class WorkbookScreen(widgets.VBox):
    """The one widget of the inspectors' page (see the module's notes)."""

    tab_titles = traitlets.List(traitlets.Unicode(), help="The tabs shown, in order.")
    tab = traitlets.Unicode("", help="The title of the tab in front.")

    def __init__(self, picker=None, message: widgets.HTML | None = None, **kwargs):
        self.picker = picker
        self.message = message if message is not None else widgets.HTML()
        self.message.add_class("wb-screen-message")
        self.guard = ShortcutGuard()
        self.style = widgets.HTML(style_tag())
        self.style.layout.display = "none"
        top = [self.picker] if self.picker is not None else []
        self.top = widgets.HBox(top + [self.message])
        self.top.add_class("wb-screen-top")
        self.cases_column = _column("wb-screen-cases")
        self.form_column = _column("wb-screen-form")
        self.summary_column = _column("wb-screen-summary")
        self.columns = widgets.HBox([self.cases_column, self.form_column, self.summary_column])
        self.columns.add_class("wb-screen-columns")
        self.tabs = widgets.Tab()
        self.tabs.add_class("wb-screen-tabs")
        self.slots = {
            title: _column("wb-screen-slot")
            for title in (RATINGS, TEAM, QA, DECISIONS, EXPORT, LOADER)
        }
        self.parts: dict[str, widgets.Widget] = {}
        super().__init__(**kwargs)
        self.children = [self.style, self.guard, self.top, self.tabs]
        self.add_class("wb-workbook")
        self.tabs.observe(self._on_tab, names="selected_index")
        if self.picker is not None:
            self.picker.on_new(self.show_loader)

    def show(
        self,
        navigator=None,
        form=None,
        summary=None,
        board=None,
        decisions=None,
        export=None,
        loader=None,
        console=None,
        qa=None,
    ) -> None:
        """Show these parts in place of the ones shown (None: that part is left out); the
        replaced parts are closed, except a loader shown again."""
        old = dict(self.parts)
        shown = {
            CASES: None if navigator is None and form is None else self.columns,
            RATINGS: board,
            TEAM: console,
            QA: qa,
            DECISIONS: decisions,
            EXPORT: export,
            LOADER: loader,
        }
        titles = [t for t, part in shown.items() if part is not None]
        self.cases_column.children = [navigator] if navigator is not None else []
        self.form_column.children = [form] if form is not None else []
        self.summary_column.children = [summary] if summary is not None else []
        for title in titles[1 if titles[:1] == [CASES] else 0 :]:
            if self.slots[title].children != (shown[title],):
                self.slots[title].children = [shown[title]]
        self.parts = {
            k: v
            for k, v in (
                ("navigator", navigator),
                ("form", form),
                ("summary", summary),
                ("board", board),
                ("console", console),
                ("qa", qa),
                ("decisions", decisions),
                ("export", export),
                ("loader", loader),
            )
            if v is not None
        }
        if titles != self.tab_titles:  # the tabs themselves change only when the set does
            with self.hold_sync():
                self.tabs.unobserve(self._on_tab, names="selected_index")
                try:
                    self.tabs.children = [
                        self.columns if t == CASES else self.slots[t] for t in titles
                    ]
                    self.tabs.titles = titles
                finally:
                    self.tabs.observe(self._on_tab, names="selected_index")
                self.tab_titles = titles
        self.select(titles[0] if titles else "")
        kept = set(map(id, self.parts.values()))
        for part in old.values():
            if id(part) not in kept:
                close_tree(part)

    def select(self, title: str) -> None:
        """Bring the tab called ``title`` to the front."""
        if title in self.tab_titles:
            self.tabs.selected_index = self.tab_titles.index(title)
            self.tab = title

    def show_loader(self) -> None:
        """The "New inspection" tab (the top bar's button)."""
        self.select(LOADER)

    def _on_tab(self, change) -> None:
        i = change["new"]
        self.tab = self.tab_titles[i] if i is not None and i < len(self.tab_titles) else ""
