// Feedback's view (anywidget): shows the area's HTML (an error summary or a status line, from
// the templates). When the component shows problems, focus moves to the summary (the GOV.UK
// error-summary pattern); a link in it moves focus to its field (the element with that id).
// The area keeps its keystrokes: the summary and its links carry data-lm-suppress-shortcuts
// themselves (JupyterLab's notebook shortcuts match the focused element itself), so Enter on a
// link or a letter typed on the summary is not a notebook shortcut.
const ATTRIBUTE = "data-lm-suppress-shortcuts";

function focusField(id) {
  const field = document.getElementById(id);
  if (!field) return false;
  const target = field.matches("input, select, textarea, button, summary, a[href], [tabindex]")
    ? field
    : field.querySelector("input, select, textarea, button, summary, a[href], [tabindex]");
  if (!target) return false;
  target.scrollIntoView({ block: "center" });
  target.focus();
  return true;
}

// Each showing of problems has a serial number unique in the kernel; a view takes focus for a
// serial once, when it is in the page (a view rendered after the change takes it then).
const honoured = new Set();

function render({ model, el }) {
  el.setAttribute(ATTRIBUTE, "true");

  let shown = null;
  function show() {
    // only when the HTML changed: replacing the summary would take focus away from it
    const value = model.get("value");
    if (value === shown) return;
    shown = value;
    el.innerHTML = value;
    for (const e of el.querySelectorAll("a[href], [tabindex]")) e.setAttribute(ATTRIBUTE, "true");
  }

  function focusSummary(tries = 60) {
    const serial = model.get("focus_serial");
    if (!serial || honoured.has(serial)) return;
    if (!el.isConnected) {
      if (tries > 0) requestAnimationFrame(() => focusSummary(tries - 1));
      return;
    }
    const summary = el.querySelector(".wb-error-summary");
    if (!summary) return;
    honoured.add(serial);
    if (!summary.hasAttribute("tabindex")) summary.setAttribute("tabindex", "-1");
    summary.scrollIntoView({ block: "nearest" });
    summary.focus();
  }

  function changed() {
    // after every change of this update is applied (the value may come after the serial)
    requestAnimationFrame(() => {
      show();
      focusSummary();
    });
  }

  function followed(event) {
    const link = event.target.closest("a[data-wb-field]");
    if (!link || !el.contains(link)) return;
    event.preventDefault();
    focusField(link.getAttribute("data-wb-field"));
  }

  show();
  focusSummary();
  el.addEventListener("click", followed);
  model.on("change:value", show);
  model.on("change:focus_serial", changed);
  return () => {
    el.removeEventListener("click", followed);
    model.off("change:value", show);
    model.off("change:focus_serial", changed);
  };
}

export default { render };
