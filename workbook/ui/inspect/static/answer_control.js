// AnswerControl's view (anywidget): the markup comes from the template rendered in Python
// (inspect/judgement_form/answer_control.html.j2); this script only keeps the radios' checked
// and disabled states in step with the model and sends a choice back as `value`.
// The element keeps its keystrokes: JupyterLab does not take arrows, Enter or letters typed here
// (data-lm-suppress-shortcuts).

function render({ model, el }) {
  el.classList.add("wb-answer-control");
  el.setAttribute("data-lm-suppress-shortcuts", "true");

  const inputs = () => el.querySelectorAll("input.wb-answer__input");

  function showValue() {
    const value = model.get("value");
    for (const input of inputs()) {
      input.checked = input.value === value;
    }
  }

  function showDisabled() {
    const disabled = model.get("disabled");
    const group = el.querySelector("fieldset");
    if (group) group.disabled = disabled;
  }

  function showMarkup() {
    const focused = el.contains(document.activeElement) ? document.activeElement.id : null;
    el.innerHTML = model.get("markup");
    showValue();
    showDisabled();
    if (focused) document.getElementById(focused)?.focus();
  }

  function chosen(event) {
    const input = event.target;
    if (!input.matches("input.wb-answer__input") || !input.checked) return;
    if (model.get("value") === input.value) return;
    model.set("value", input.value);
    model.save_changes();
  }

  showMarkup();
  el.addEventListener("change", chosen);
  model.on("change:value", showValue);
  model.on("change:disabled", showDisabled);
  model.on("change:markup", showMarkup);
  return () => {
    el.removeEventListener("change", chosen);
    model.off("change:value", showValue);
    model.off("change:disabled", showDisabled);
    model.off("change:markup", showMarkup);
  };
}

export default { render };
