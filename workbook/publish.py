"""A static, self-contained HTML dashboard: ``python -m workbook publish NAME --out site/``.

The same figures as the Voilà dashboard (the same builders, the same small-numbers rule, no
case id, name or note), written as one ``index.html`` with the charts as inline SVG rendered
offline by vl-convert and the tables as HTML. It asks nothing of any other host and runs no
kernel, so any web server can host it for any number of readers. A small inline script lets
the reader pick an LDU; without scripts every LDU's panel is shown.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .config import load_settings
from .framework import Framework

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>{title}</title>
<link rel="icon" href="data:,">
{style}
<style>body {{ margin: 1.5em auto; max-width: 1200px; padding: 0 1em; }} .wb-panel[hidden] {{ display: none; }}</style>
</head>
<body>
<main class="wb-dash">
{body}
<p class="wb-muted">Published {published} from the inspection store, read-only.</p>
</main>
<script>
(function () {{
  var pick = document.getElementById("wb-ldu-picker");
  if (!pick) return;
  function show() {{
    document.querySelectorAll(".wb-panel").forEach(function (p) {{ p.hidden = p.dataset.group !== pick.value; }});
  }}
  pick.hidden = false;
  document.getElementById("wb-ldu-label").hidden = false;
  pick.addEventListener("change", show);
  show();
}})();
</script>
</body>
</html>
"""


def explorer_panels_html(framework: Framework, figures) -> str:
    """One panel per LDU (and all LDUs): the chart of every key question and its table."""
    from .ui.dashboard_html import (
        ALL_GROUPS,
        esc,
        explorer_chart,
        explorer_rows,
        explorer_table_html,
        figure_html,
    )

    kq_text = {q.id: q.text for q in framework.rated_key_questions}
    options = "".join(
        f'<option value="{esc(g)}">{esc(g)}</option>' for g in [ALL_GROUPS, *figures.groups]
    )
    panels = []
    for group in [ALL_GROUPS, *figures.groups]:
        rows = explorer_rows(figures, group)
        where = "all LDUs" if group == ALL_GROUPS else group
        chart = figure_html(
            explorer_chart(figures, rows, f"Key questions: {where} and the whole sample"),
            f"Chart of each key question's % Yes with its 80% interval for {where} and the whole sample; the same figures are in the table beside it.",
            "Dots: % Yes; lines: 80% interval; dashed rules: band thresholds.",
        )
        panels.append(
            f'<section class="wb-panel" data-group="{esc(group)}"><h3>{esc(where)}</h3>'
            f'<div class="wb-pair">{chart}{explorer_table_html(rows, kq_text)}</div></section>'
        )
    return (
        '<h2 id="wb-explore">One LDU at a time</h2>'
        '<p><label id="wb-ldu-label" for="wb-ldu-picker" hidden>LDU </label>'
        f'<select id="wb-ldu-picker" hidden>{options}</select></p>' + "".join(panels)
    )


def render_site(framework: Framework, figures, published: datetime | None = None) -> str:
    """The static page's HTML."""
    from .ui.dashboard_html import (
        STYLE,
        annex_html,
        composition_html,
        esc,
        header_html,
        heatmap_html,
        notes_html,
        summary_html,
    )

    body = "".join(
        [
            header_html(figures),
            summary_html(figures),
            notes_html(figures),
            annex_html(figures),
            heatmap_html(figures),
            explorer_panels_html(framework, figures),
            composition_html(figures),
        ]
    )
    when = (published or datetime.now()).strftime("%d %B %Y %H:%M")
    title = f"{figures.provider or figures.title}: inspection dashboard"
    return PAGE.format(title=esc(title), style=STYLE, body=body, published=esc(when))


def publish_dashboard(
    name: str | None = None, out: Path | str = "site", db_url: str | None = None
) -> Path:
    """Write ``out/index.html`` for inspection ``name`` read from the store (read-only).
    Raises WorkbookError (StoreError) if the store or the inspection cannot be read."""
    from .app.dashboard import dashboard_figures
    from .store import open_store

    settings = load_settings()
    name = name or settings.inspection
    store = open_store(db_url or settings.db_url, read_only=True)
    try:
        framework, figures = dashboard_figures(store, name, settings)
    finally:
        store.close()
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "index.html"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(render_site(framework, figures), encoding="utf-8")
    tmp.replace(path)
    return path
