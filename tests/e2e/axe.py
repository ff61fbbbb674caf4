"""axe-core, from the npm registry (``tests/package.json``, installed by ``make test``), run
inside a page opened by Playwright: never loaded from a CDN, and run through the browser's
debugging protocol, so a page's Content-Security-Policy does not stop it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


@cache
def _source() -> str:
    if not AXE.exists():
        raise AssertionError(f"axe-core is not installed: run `make test` (missing {AXE})")
    return AXE.read_text(encoding="utf-8")


def axe_violations(page, within: str | None = None, impacts=SERIOUS) -> list[dict]:
    """The WCAG 2.x A/AA violations axe-core finds in ``page`` (or in the elements matching the
    CSS selector ``within``) of the given impacts: ``[{id, impact, help, targets}]``."""
    page.evaluate(_source() + "\n;0")
    found = page.evaluate(
        """async (within) => {
            const context = within ? {include: [within]} : document;
            const result = await axe.run(context, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']},
                resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        within,
    )
    return [v for v in found if v["impact"] in impacts]
