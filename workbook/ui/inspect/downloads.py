"""Download links for files the inspectors' page makes: the drawn case list and the exports.

A link is a ``data:`` URL with a ``download`` attribute, so the browser saves the file under its
own name wherever the page is served from: JupyterLab with any root folder, Voila, a notebook
opened from elsewhere. (A link to JupyterLab's ``files/`` route would need the file under the
server's root and the notebook's place in it, which a kernel cannot know for sure.) Each file is
read once and sent to the page inside the link, so only files up to :data:`LINK_LIMIT` get one;
a larger file is named with its folder, to open from JupyterLab's file browser.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass
from pathlib import Path

LINK_LIMIT = 8 * 1024 * 1024  # bytes: larger files are named, not linked
MIME = {
    ".csv": "text/csv",
    ".md": "text/markdown",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Download:
    """One file offered for download: its name, size and link (or None when too large)."""

    name: str
    size: int
    href: str | None

    @property
    def size_text(self) -> str:
        """The size in words people read: ``"12 KB"``, ``"1.4 MB"``, ``"830 bytes"``."""
        if self.size < 1024:
            return f"{self.size} bytes"
        if self.size < 1024 * 1024:
            return f"{round(self.size / 1024)} KB"
        return f"{self.size / (1024 * 1024):.1f} MB"


def data_url(data: bytes, name: str) -> str:
    """A ``data:`` URL holding ``data``, typed by the file name's suffix."""
    suffix = Path(name).suffix.lower()
    mime = MIME.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def download_of(name: str, data: bytes) -> Download:
    """The download of ``data`` saved as ``name``."""
    href = data_url(data, name) if len(data) <= LINK_LIMIT else None
    return Download(name, len(data), href)


def download_of_file(path: Path) -> Download:
    """The download of a file written on the kernel's side (read once, when small enough)."""
    size = path.stat().st_size
    if size > LINK_LIMIT:
        return Download(path.name, size, None)
    return download_of(path.name, path.read_bytes())
