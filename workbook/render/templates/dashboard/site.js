// The static dashboard's LDU picker (python -m workbook publish writes it beside index.html as
// dashboard.js). The page allows scripts from its own site only, so this is a file, not an
// inline script. Without it, every LDU's panel is shown and the picker stays hidden.
(function () {
  "use strict";
  var pick = document.getElementById("wb-ldu-picker");
  var label = document.getElementById("wb-ldu-label");
  if (!pick) return;
  var panels = document.querySelectorAll(".wb-panel");
  function show() {
    for (var i = 0; i < panels.length; i++) {
      panels[i].hidden = panels[i].getAttribute("data-group") !== pick.value;
    }
  }
  pick.hidden = false;
  if (label) label.hidden = false;
  pick.addEventListener("change", show);
  show();
})();
