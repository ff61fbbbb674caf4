"""ShortcutGuard: keeps the workbook's keystrokes inside the workbook in JupyterLab.

JupyterLab's shortcuts are Lumino key bindings, and Lumino's ``CommandRegistry`` skips every
key binding for a keydown whose target has an ancestor carrying the attribute
``data-lm-suppress-shortcuts`` (the supported way; JupyterLab's own shortcut editor uses it).
Lumino walks from the keydown's target up to that ancestor but tests each element against the
binding's selector first, and the notebook's command-mode bindings
(``.jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus``) match the focused element
itself: an attribute on an ancestor alone does not stop them. The guard is a tiny invisible
anywidget placed inside the workbook: its script finds the enclosing element matching
``scope`` (the screen's root, ``.wb-workbook``), sets the attribute there, and sets it on every
element that receives focus inside it (on ``focusin``, before any keydown), so ``d d``, ``m``, ``j``, ``k``, ``a``, ``b``, ``x``, ``z``, ``Shift+Enter`` or
the arrow keys typed with focus anywhere in the workbook reach the focused control (arrow keys
move the case list's selection and the drop-downs' value) and change no notebook cell. The
notebook's own keydown handler only moves focus back to its active cell when focus has left
it; focus inside the workbook makes the workbook's cell the active one, so it does nothing.

When focus comes into the workbook and the whole workbook fits in the notebook's view, the
guard scrolls the notebook just enough to show all of it, so the summary beside the form is in
sight while answering (the form scrolls in its own column). Scrolling regions without a focusable child (the summary's column, the board's table) get a
tab stop, ``role="region"`` and a name, so they can be scrolled from the keyboard. *Escape*
still leaves: it moves focus to the workbook's cell (JupyterLab's command mode), from
where the notebook's shortcuts work again. Outside JupyterLab (Voilà) the attribute is inert.
"""

from __future__ import annotations

import anywidget
import ipywidgets as widgets
import traitlets

ATTRIBUTE = "data-lm-suppress-shortcuts"

_ESM = """
const ATTRIBUTE = "data-lm-suppress-shortcuts";

function scroller(root) {
  for (let e = root.parentElement; e; e = e.parentElement) {
    const y = getComputedStyle(e).overflowY;
    if ((y === "auto" || y === "scroll") && e.scrollHeight > e.clientHeight) return e;
  }
  return null;
}

function keepInView(root) {
  // Focus came in: if the whole screen fits in the notebook's view, show all of it.
  const outer = scroller(root);
  if (!outer) return;
  const view = outer.getBoundingClientRect();
  const box = root.getBoundingClientRect();
  if (box.height > view.height) return;
  if (box.top < view.top) outer.scrollTop -= view.top - box.top;
  else if (box.bottom > view.bottom) outer.scrollTop += box.bottom - view.bottom;
}

function markRegions(root, regions) {
  // Scrolling regions without a focusable child get a name and a tab stop (WCAG 2.1.1).
  for (const [selector, label] of regions) {
    for (const e of root.querySelectorAll(selector)) {
      if (e.hasAttribute("tabindex")) continue;
      e.setAttribute("tabindex", "0");
      e.setAttribute("role", "region");
      e.setAttribute("aria-label", label);
    }
  }
}

function guard(root, model) {
  root.setAttribute(ATTRIBUTE, "true");
  if (root.dataset.wbGuarded) return;
  root.dataset.wbGuarded = "true";
  const regions = model.get("regions");
  markRegions(root, regions);
  new MutationObserver(() => markRegions(root, regions)).observe(root, {
    childList: true,
    subtree: true,
  });
  root.addEventListener("focusin", (event) => {
    // Lumino tests the keydown's target itself before its ancestors, and the notebook's
    // command-mode bindings match any focused element (":focus"): mark the target too.
    if (event.target instanceof Element) event.target.setAttribute(ATTRIBUTE, "true");
    if (model.get("keep_in_view")) requestAnimationFrame(() => keepInView(root));
  });
  root.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    const cell = root.closest(".jp-Cell");
    if (cell) {
      event.preventDefault();
      cell.focus();
    }
  });
}

function render({ model, el }) {
  let tries = 0;
  const find = () => {
    const root = el.closest(model.get("scope"));
    if (root) {
      guard(root, model);
      if (!model.get("attached")) {
        model.set("attached", true);
        model.save_changes();
      }
    } else if (++tries < 400) {
      setTimeout(find, 25);
    }
  };
  find();
}

export default { render };
"""


class ShortcutGuard(anywidget.AnyWidget):
    """Sets ``data-lm-suppress-shortcuts`` on the enclosing ``scope`` (see the module's notes)."""

    _esm = _ESM
    scope = traitlets.Unicode(
        ".wb-workbook", help="CSS selector of the enclosing element whose keystrokes are kept."
    ).tag(sync=True)
    regions = traitlets.List(
        [
            [".wb-screen-summary", "Ratings beside the form"],
            [".wb-board", "Ratings table"],
        ],
        help="[CSS selector, name] of scrolling regions inside the scope that get a tab stop "
        "and a name (keyboard users can scroll them).",
    ).tag(sync=True)
    keep_in_view = traitlets.Bool(
        True,
        help="When focus comes into the scope and it fits in the notebook's view, scroll the "
        "notebook so that all of it shows (the summary stays in sight while answering).",
    ).tag(sync=True)
    attached = traitlets.Bool(
        False, help="Set by the browser once the attribute is on the enclosing element."
    ).tag(sync=True)

    def __init__(self, **kwargs):
        kwargs.setdefault("layout", widgets.Layout(display="none"))
        super().__init__(**kwargs)
