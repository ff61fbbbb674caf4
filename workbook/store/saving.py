"""The one rule deciding whether a save writes anything, and with what version.

- A save may carry the version the inspector last saw (``expect_version``; 0 when there was no
  answer). If someone else saved since, the save raises :class:`ConflictError` naming who,
  when and what, and saves nothing.
- A save that changes nothing (the same value and the same note) writes nothing, and so does
  clearing what was never there.
- Otherwise the save writes version ``current + 1`` (1 for the first).

Judgements (value: the answer; note: the note) and decisions (value: the rating; note: the
reason) follow the same rule, one at a time or in a batch.
"""

from __future__ import annotations

from typing import Any

from ..errors import ConflictError


def conflict(
    what: str, field: str, previous: Any, current_version: int, expected: int
) -> ConflictError:
    """Return the conflict of a save from a stale version: who changed what, when.

    Parameters
    ----------
    what
        Where, for the message: ``"case C001, 2.1.1"`` or ``"standard 2.1"``.
    field
        ``"answer"`` or ``"rating"``.
    previous
        The stored judgement or decision (None when there is none).
    current_version, expected
        The version stored and the version the caller saw.
    """
    if previous is None:
        message = (
            f"{what}: there is no saved {field} (version 0), but you expected version {expected}. "
            "Nothing was saved; reload and save again."
        )
        return ConflictError(message, current_version=0)
    value = getattr(previous, field)
    message = (
        f"{what}: {previous.inspector} changed the {field} to {value if value is not None else 'nothing'!r} "
        f"at {previous.saved_at:%Y-%m-%d %H:%M:%S} UTC (version {current_version}) since you saw version {expected}. "
        f"Nothing was saved; look at their {field} and save again."
    )
    return ConflictError(
        message,
        changed_by=previous.inspector,
        changed_at=previous.saved_at,
        current_value=value,
        current_version=current_version,
    )


def plan_save(
    previous: tuple[Any, Any, int] | None,
    value: Any,
    note: Any,
    *,
    expect_version: int | None = None,
    on_conflict=None,
) -> int | None:
    """Return the version a save writes, or None when it writes nothing.

    Parameters
    ----------
    previous
        What is stored as (value, note, version), or None when nothing is.
    value, note
        What the save would store (an answer and its note, or a rating and its reason).
    expect_version
        The version the caller last saw (0: nothing), or None for "last write wins".
    on_conflict
        Called with the version stored when ``expect_version`` is stale; returns the
        :class:`ConflictError` to raise (see :func:`conflict`).

    Returns
    -------
    int or None
        The new version, or None: the save changes nothing and writes nothing.

    Raises
    ------
    ConflictError
        Someone saved since ``expect_version``.
    """
    current = 0 if previous is None else previous[2]
    if expect_version is not None and int(expect_version) != current:
        raise on_conflict(current)
    if previous is None:
        return None if value is None else 1  # clearing nothing writes nothing
    if previous[0] == value and previous[1] == note:
        return None
    return current + 1
