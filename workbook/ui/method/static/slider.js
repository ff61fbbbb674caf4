// NamedSlider's view (anywidget): a native range input named by its visible <label> (so a
// screen reader hears "2.1.1 Yes answers, slider, 45"), with the value written beside it in an
// <output>. Arrow keys, Page Up/Down, Home and End move it; the kernel hears the value when it
// is released or a key is pressed ("change"), not on every pixel of a drag.

let serial = 0;

function render({ model, el }) {
  const id = `wb-slider-${++serial}-${Math.random().toString(36).slice(2, 8)}`;
  el.classList.add("wb-slider");
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  const label = document.createElement("label");
  label.className = "wb-slider__label";
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  input.className = "wb-slider__input";
  const output = document.createElement("output");
  output.className = "wb-slider__value";
  output.htmlFor = id;
  output.setAttribute("aria-hidden", "true"); // the slider itself announces its value
  el.append(label, input, output);
  // the layout is set here so that it holds in any notebook; colours and the focus ring come
  // from the one stylesheet (css/trainer.css.j2)
  el.style.cssText += ";display:flex;align-items:center;gap:0.5em;padding:4px 6px;margin-right:0.5em;";
  label.style.cssText = "white-space:nowrap;";
  input.style.cssText = "flex:1 1 auto;min-width:8em;min-height:24px;margin:0;";
  output.style.cssText = "min-width:3ch;text-align:right;font-variant-numeric:tabular-nums;";

  function update() {
    label.textContent = model.get("description");
    input.min = String(model.get("min"));
    input.max = String(model.get("max"));
    input.step = String(model.get("step"));
    input.value = String(model.get("value"));
    input.disabled = model.get("disabled");
    const text = model.get("value_text");
    if (text) input.setAttribute("aria-valuetext", text);
    else input.removeAttribute("aria-valuetext");
    output.textContent = String(model.get("value"));
  }

  input.addEventListener("input", () => {
    output.textContent = input.value; // shown at once; sent on release
  });
  input.addEventListener("change", () => {
    model.set("value", Number(input.value));
    model.save_changes();
  });
  for (const name of ["value", "min", "max", "step", "description", "disabled", "value_text"]) {
    model.on(`change:${name}`, update);
  }
  update();
}

export default { render };
