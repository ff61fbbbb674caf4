// The static dashboard's selectors (python -m workbook publish writes this beside index.html as
// dashboard.js): the LDU and the standard pick one of the views rendered beforehand, with no
// kernel; the live region says which view is shown. The page allows scripts from its own site
// only, so this is a file, not an inline script. Without it, every view is shown and the
// selectors stay hidden.
(function () {
  "use strict";
  var group = document.getElementById("wb-ldu-picker");
  var standard = document.getElementById("wb-standard-picker");
  var pickers = document.getElementById("wb-pickers");
  var status = document.getElementById("wb-view-status");
  if (!group || !standard || !pickers) return;
  var views = document.querySelectorAll(".wb-view");
  function show() {
    for (var i = 0; i < views.length; i++) {
      var view = views[i];
      var shown =
        view.getAttribute("data-group") === group.value &&
        view.getAttribute("data-standard") === standard.value;
      view.hidden = !shown;
      if (shown && status) status.textContent = view.getAttribute("data-status");
    }
  }
  pickers.hidden = false;
  group.addEventListener("change", show);
  standard.addEventListener("change", show);
  show();
})();
