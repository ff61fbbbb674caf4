"""The dashboard's snapshot file: read by a visit's kernel, written by whoever renders it.

A snapshot (built by :func:`workbook.render.snapshot.build_snapshot`) is one JSON file per
inspection in the snapshots folder (``WORKBOOK_SNAPSHOTS``), named by a digest of the store's
address and the inspection's name, so no path is ever built from a name. This module imports nothing but the
standard library: a visit's kernel reads the file, checks it and shows it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

FORMAT = 2  # the snapshot's layout; a reader refuses another
# The page's sections, in the order both deliveries show them: each a field of HTML, but
# "explorer", the LDU and standard selectors over the views (``explorer_heading``, ``groups``,
# ``standards``, ``views``: group -> standard id -> HTML, ``statuses``: the live region's words).
SECTIONS = ("summary", "method", "annex", "heatmap", "explorer", "sample")
TEXT_FIELDS = ("style", "summary", "method", "annex", "heatmap", "explorer_heading", "sample")
MAX_BYTES = 64 * 1024 * 1024  # a snapshot far larger than any inspection's is not read


class SnapshotError(ValueError):
    """A snapshot file that cannot be used (missing, damaged, of another inspection)."""


def snapshot_path(folder: Path, inspection: str, store: str = "") -> Path:
    """The snapshot file of ``inspection`` of the store at URL ``store`` in ``folder``: two
    stores holding inspections of the same name never share a snapshot."""
    key = f"{store}\n{inspection}".encode()
    digest = hashlib.sha256(key).hexdigest()[:24]
    return Path(folder) / f"dashboard-{digest}.json"


def check_snapshot(data, inspection: str, suppression: int) -> dict:
    """``data`` if it is a snapshot of ``inspection`` suppressed at ``suppression``;
    otherwise :class:`SnapshotError` saying why."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SnapshotError("not a dashboard snapshot of this version")
    if data.get("inspection") != inspection:
        raise SnapshotError("a snapshot of another inspection")
    if data.get("suppression") != suppression:
        raise SnapshotError("built with another small-numbers threshold")
    for field in (*TEXT_FIELDS, "token", "built"):
        if not isinstance(data.get(field), str):
            raise SnapshotError(f"field {field!r} is missing or not text")
    groups, standards = data.get("groups"), data.get("standards")
    if not (isinstance(groups, list) and groups and all(isinstance(g, str) for g in groups)):
        raise SnapshotError("field 'groups' is not a list of names")
    if not isinstance(standards, list) or not all(
        isinstance(s, list) and len(s) == 2 and all(isinstance(x, str) for x in s)
        for s in standards
    ):
        raise SnapshotError("field 'standards' is not a list of [id, label]")
    ids = [sid for sid, _ in standards]
    for field in ("views", "statuses"):
        texts = data.get(field)
        for group in groups:
            view = texts.get(group) if isinstance(texts, dict) else None
            if not isinstance(view, dict) or any(not isinstance(view.get(i), str) for i in ids):
                raise SnapshotError(f"field {field!r} lacks the views of {group!r}")
    return data


def read_snapshot(path: Path, inspection: str, suppression: int) -> dict:
    """The checked snapshot in ``path``; :class:`SnapshotError` if it cannot be used."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise SnapshotError(f"no snapshot file ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise SnapshotError(f"the file is larger than {MAX_BYTES} bytes")
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise SnapshotError(f"the file cannot be read ({type(exc).__name__})") from None
    return check_snapshot(data, inspection, suppression)


def write_snapshot(path: Path, data: dict) -> Path:
    """Write ``data`` to ``path`` atomically: a reader sees the old file or the new one, never
    part of one; on any failure the temporary file is removed and the old file stays."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".dashboard-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path
