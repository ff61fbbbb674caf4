/* The workbook's Voilà page: the page's own functions, from a file of the server instead of
   inline scripts (the dashboard's Content-Security-Policy runs no inline script).

   Voilà's page script (voila.js) calls window.voila_finish once the theme is loaded, and the
   server sends <script>window.voila_heartbeat()</script> while a cell runs for long (the one
   inline script left, allowed by its hash in voila.json). */
(function () {
  "use strict";

  function setLoadingText(text) {
    var loading = document.getElementById("loading");
    if (loading && loading.style.display === "none") {
      loading.style.display = "flex";
    }
    var label = document.getElementById("loading_text");
    if (label && text) {
      label.textContent = text;
    }
  }

  window.voila_heartbeat = function () {};

  // The loading message keeps the page's own words ("Loading the dashboard..."): no count of
  // cells, which tells a visitor nothing.
  window.update_loading_text = function (cellIndex, cellCount, text) {
    setLoadingText(text);
  };
  window.voila_process = window.update_loading_text;

  window.display_cells = function () {
    if (!window.themeLoaded) {
      window.cellLoaded = true; // voila.js calls voila_finish again when the theme is in
      return;
    }
    var loading = document.getElementById("loading");
    if (loading) {
      loading.parentNode.removeChild(loading);
    }
    var cells = document.getElementById("rendered_cells");
    if (cells) {
      cells.style.display = "";
    }
  };
  window.voila_finish = window.display_cells;

  // The loading text follows the cells as the server sends them (each cell's element carries
  // its number and the count).
  var progress = new MutationObserver(function (records) {
    records.forEach(function (record) {
      record.addedNodes.forEach(function (node) {
        if (node.nodeType === 1 && node.hasAttribute("data-cell-count")) {
          window.voila_process(
            Number(node.getAttribute("cell-index")),
            Number(node.getAttribute("data-cell-count"))
          );
        }
      });
    });
  });
  progress.observe(document.documentElement, { childList: true, subtree: true });

  // Live regions: a widget with the class wb-live (the dashboard's "Showing ..." line) is a
  // polite status region, so a screen reader hears what a selector changed. Widgets are drawn,
  // and their classes set, after the page is in, so this watches the page while it is open.
  function markLive() {
    var found = document.querySelectorAll(".wb-live:not([aria-live])");
    for (var i = 0; i < found.length; i++) {
      found[i].setAttribute("role", "status");
      found[i].setAttribute("aria-live", "polite");
    }
  }
  new MutationObserver(markLive).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["class"],
  });

  // The page is complete when the document is: show the cells (or mark them ready for the theme).
  document.addEventListener("DOMContentLoaded", function () {
    progress.disconnect();
    window.voila_finish();
  });
})();
