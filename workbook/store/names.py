"""Inspection names: the characters a new name may hold, and a name shown or used safely.

A new inspection's name is letters, digits, spaces, ``.``, ``_`` and ``-``, at most
:data:`MAX_NAME_LENGTH` characters, and not only dots (:func:`check_name`). Stores made before
this rule may hold other names: they still open and read, so every message quotes a name
through :func:`shown` (control characters escaped, never sent raw to a terminal) and every
file or folder name made from a name goes through :func:`path_part`.
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import Problem, StoreError
from ..reasons import Reason

MAX_NAME_LENGTH = 80
NAME_ALLOWED = (
    f"letters, digits, spaces, '.', '_' and '-', at most {MAX_NAME_LENGTH} characters, "
    "not only dots (such as 'wwm-2019')"
)
_SHOWN_LENGTH = 100


def _allowed_char(ch: str) -> bool:
    return ch.isalnum() or ch in " ._-"


def shown(value: object, limit: int | None = _SHOWN_LENGTH) -> str:
    """Return ``value`` as text safe to print: control and format characters escaped.

    Parameters
    ----------
    value
        A name or any value read from a user or a store.

    Returns
    -------
    str
        The text with control characters (and other non-printing ones) written as
        ``repr``-style escapes such as ``\\x1b`` or ``\\x00``, cut to ``limit`` characters (None: whole).
    """
    text = str(value)
    cut = limit is not None and len(text) > limit
    text = text[:limit] if cut else text
    out = []
    for ch in text:
        if ch == "\\" or (unicodedata.category(ch)[0] in "CZ" and ch != " "):
            out.append(repr(ch)[1:-1] if ch != "\\" else "\\\\")
        else:
            out.append(ch)
    return "".join(out) + ("..." if cut else "")


def check_name(name: object) -> str:
    """Return a new inspection's name stripped; raise when it is empty or not allowed.

    Raises
    ------
    StoreError
        ``empty_name`` or ``bad_name`` (quoting the name escaped).
    """
    text = str(name).strip()
    if not text:
        raise StoreError(
            Problem(
                Reason.EMPTY_NAME,
                "the inspection's name is empty.",
                allowed="a short name such as 'wwm-2019'",
            )
        )
    bad = sorted({ch for ch in text if not _allowed_char(ch)})
    if len(text) > MAX_NAME_LENGTH or bad or not text.strip("."):
        if len(text) > MAX_NAME_LENGTH:
            what = f"is {len(text)} characters long"
        elif bad:
            what = "holds " + ", ".join(f"'{shown(ch)}'" for ch in bad[:5])
        else:
            what = "is only dots"
        raise StoreError(
            Problem(
                Reason.BAD_NAME,
                f"the inspection's name '{shown(text)}' {what}.",
                column="name",
                value=shown(text),
                allowed=NAME_ALLOWED,
            )
        )
    return text


def path_part(name: object, default: str = "inspection") -> str:
    """Return a file or folder name made from ``name``: never a path, never hidden.

    Every character but letters, digits, ``.``, ``_`` and ``-`` becomes ``-``; leading dots
    and dashes are dropped; at most 80 characters. A name with nothing left is ``default``.

    Parameters
    ----------
    name
        An inspection's name (any name a store may hold).
    default
        The part used when nothing of the name is left.

    Returns
    -------
    str
        One path component, such as ``wwm-2019`` for ``wwm 2019`` or ``etc-passwd`` for
        ``../../etc/passwd``.
    """
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(name)).lstrip(".-")
    text = re.sub(r"\.{2,}", ".", text)[:MAX_NAME_LENGTH].rstrip(".-")
    return text or default
