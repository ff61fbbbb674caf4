"""File formats at the edge: framework YAML, judgements and decisions CSV.

Everything is read and validated once, here, and renamed to canonical names. Each reader
collects every problem (file, row as a spreadsheet shows it, column, value, what is allowed)
and raises once; nothing partial is returned.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import yaml

from .config import BUILTIN_FRAMEWORKS, load_settings
from .errors import FrameworkError, InputError, Problem
from .framework import ANSWERS, Framework, framework_from_dict
from .ratings import Decision

# -- frameworks ------------------------------------------------------------------------------


def framework_folders(extra: Path | str | None = None) -> list[Path]:
    """Folders searched for framework files: the built-in ones, WORKBOOK_FRAMEWORKS, ``extra``."""
    folders = [BUILTIN_FRAMEWORKS]
    env_dir = load_settings().frameworks_dir
    for folder in (env_dir, Path(extra) if extra else None):
        if folder is not None and folder not in folders:
            folders.append(folder)
    return folders


def list_frameworks(extra: Path | str | None = None) -> dict[str, Path]:
    """Framework id (the file's stem) -> file, later folders overriding earlier ones."""
    found: dict[str, Path] = {}
    for folder in framework_folders(extra):
        if folder.is_dir():
            for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
                found[path.stem] = path
    return found


def read_framework_file(path: Path | str) -> Framework:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkError(Problem("missing_file", "the framework file does not exist.", file=str(path))) from None
    except UnicodeDecodeError as exc:
        raise FrameworkError(Problem("not_utf8", f"the file is not UTF-8 text (byte {exc.start}).", file=path.name)) from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise FrameworkError(Problem("not_yaml", f"the file is not valid YAML ({getattr(exc, 'problem', exc)}).", file=path.name, row=row)) from None
    fw = framework_from_dict(doc, source=path.name)
    if fw.id != path.stem:
        raise FrameworkError(Problem("id_mismatch", f"the framework id '{fw.id}' differs from the file name '{path.stem}'. Name the file {fw.id}.yaml.", file=path.name, place="id", value=fw.id))
    return fw


def load_framework(name_or_path: str | Path = "hmip-2018-crc", extra: Path | str | None = None) -> Framework:
    """Load a framework by id (built-in, WORKBOOK_FRAMEWORKS or ``extra`` folder) or by path."""
    text = str(name_or_path)
    if text.endswith((".yaml", ".yml")) or "/" in text or "\\" in text:
        return read_framework_file(text)
    known = list_frameworks(extra)
    if text not in known:
        raise FrameworkError(
            Problem("unknown_framework", f"'{text}' is not a known framework.", value=text, allowed=", ".join(sorted(known)) + " (or a path to a .yaml file)")
        )
    return read_framework_file(known[text])


# -- text tables -----------------------------------------------------------------------------


def _canon(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(name).lower())


def read_csv_rows(path: Path | str, required: Iterable[str], aliases: dict[str, str] | None = None, error=InputError) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Read a UTF-8 CSV file into (canonical header, [(spreadsheet row, {column: text})]).

    Column names are matched without regard to case, spaces or punctuation. Missing required
    columns, a file that is not UTF-8 text, or an empty file raise ``error`` with every problem.
    """
    path = Path(path)
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(Problem("missing_file", "the file does not exist.", file=str(path))) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(Problem("not_utf8", f"the file is not UTF-8 text (byte {exc.start} is 0x{raw[exc.start]:02x}). Save it as CSV UTF-8.", file=name)) from None
    if "\x00" in text:
        raise error(Problem("not_text", "the file holds binary data, not a CSV table.", file=name))
    rows = list(csv.reader(io.StringIO(text)))
    rows_numbered = [(i + 1, r) for i, r in enumerate(rows) if any(c.strip() for c in r)]
    if not rows_numbered:
        raise error(Problem("empty_file", "the file is empty.", file=name, allowed="a header row with " + ", ".join(required)))
    header_row, header = rows_numbered[0]
    lookup = {_canon(k): v for k, v in (aliases or {}).items()}
    lookup.update({_canon(r): r for r in required})
    columns = [lookup.get(_canon(h), h.strip()) for h in header]
    missing = [r for r in required if r not in columns]
    if missing:
        raise error([
            Problem("missing_column", f"the column '{m}' is missing (columns found: {', '.join(h.strip() for h in header)}).", file=name, row=header_row, column=m)
            for m in missing
        ])
    out = []
    for number, r in rows_numbered[1:]:
        out.append((number, {c: (r[i].strip() if i < len(r) else "") for i, c in enumerate(columns)}))
    return columns, out


# -- judgements ------------------------------------------------------------------------------

_ANSWER_WORDS = {
    "yes": "yes", "y": "yes",
    "no": "no", "n": "no",
    "notapplicable": "not_applicable", "na": "not_applicable", "n/a": "not_applicable",
}


def normalise_answer(value: str) -> str | None:
    """'Yes', 'Y', 'no', 'N/A', 'not applicable', ... -> canonical answer, or None."""
    v = str(value).strip().lower()
    if v in ANSWERS:
        return v
    return _ANSWER_WORDS.get(v) or _ANSWER_WORDS.get(_canon(v))


def validate_judgement_rows(framework: Framework, rows: Iterable[tuple[int | None, dict[str, str]]], file: str | None = None) -> tuple[list[Problem], list[tuple[str, str, str]]]:
    """Check judgement rows against a framework: known KQ, allowed answer, no duplicates."""
    problems: list[Problem] = []
    good: list[tuple[str, str, str]] = []
    seen: dict[tuple[str, str], int | None] = {}
    rated = [q.id for q in framework.rated_key_questions]
    for number, row in rows:
        case_id, question, raw = row.get("case_id", ""), row.get("question", ""), row.get("answer", "")
        ok = True
        if not case_id:
            problems.append(Problem("empty_case_id", "the case id is empty.", file=file, row=number, column="case_id", allowed="the case's id, such as its CRN"))
            ok = False
        if not framework.has_key_question(question):
            problems.append(Problem("unknown_key_question", f"'{question}' is not a key question answered on cases in {framework.id}.", file=file, row=number, column="question", value=question, allowed=f"{rated[0]} ... {rated[-1]}"))
            ok = False
        answer = normalise_answer(raw)
        if answer is None:
            problems.append(Problem("unknown_answer", f"'{raw}' is not an answer.", file=file, row=number, column="answer", value=raw, allowed="yes, no, not applicable (also Y, N, NA, N/A)"))
            ok = False
        elif ok and answer not in framework.key_question(question).allowed_answers:
            problems.append(Problem("answer_not_allowed", f"'{raw}' is not allowed for {question}, which is rated over every case of its sample.", file=file, row=number, column="answer", value=raw, allowed="yes, no"))
            ok = False
        key = (case_id, question)
        if ok and key in seen:
            problems.append(Problem("duplicate_judgement", f"case '{case_id}' already has an answer for {question} (row {seen[key]}).", file=file, row=number, column="question", value=question, allowed="one answer per case and key question"))
            ok = False
        if ok:
            seen[key] = number
            good.append((case_id, question, answer))
    return problems, good


def read_judgements(path: Path | str, framework: Framework) -> pd.DataFrame:
    """Read ``case_id,question,answer`` rows; every problem raised at once as InputError."""
    path = Path(path)
    _, rows = read_csv_rows(path, ["case_id", "question", "answer"], aliases={"crn": "case_id", "kq": "question", "keyquestion": "question"})
    problems, good = validate_judgement_rows(framework, rows, file=path.name)
    if problems:
        raise InputError(problems)
    return pd.DataFrame(good, columns=["case_id", "question", "answer"])


def read_decisions(path: Path | str, framework: Framework) -> list[Decision]:
    """Read ``standard,rating,reason`` rows: domain-one judged ratings and discretion decisions."""
    path = Path(path)
    _, rows = read_csv_rows(path, ["standard", "rating", "reason"], aliases={"evidence": "reason"})
    problems = validate_decision_rows(framework, rows, file=path.name)
    if problems:
        raise InputError(problems)
    return [Decision(r["standard"], _rating_name(framework, r["rating"]), r["reason"], by=r.get("by") or None) for _, r in rows]


def _rating_name(framework: Framework, value: str) -> str | None:
    for r in framework.ratings:
        if _canon(r) == _canon(value):
            return r
    return None


def validate_decision_rows(framework: Framework, rows, file: str | None = None) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    for number, r in rows:
        sid = r.get("standard", "")
        if not framework.has_standard(sid):
            problems.append(Problem("unknown_standard", f"'{sid}' is not a standard of {framework.id}.", file=file, row=number, column="standard", value=sid, allowed=", ".join(s.id for s in framework.standards)))
        elif sid in seen:
            problems.append(Problem("duplicate_decision", f"standard {sid} already has a decision (row {seen[sid]}).", file=file, row=number, column="standard", value=sid, allowed="one decision per standard"))
        else:
            seen[sid] = number
        if _rating_name(framework, r.get("rating", "")) is None:
            problems.append(Problem("unknown_rating", f"'{r.get('rating', '')}' is not a rating.", file=file, row=number, column="rating", value=r.get("rating", ""), allowed=", ".join(framework.ratings)))
        if not r.get("reason", "").strip():
            problems.append(Problem("missing_reason", "the reason (or, for a domain-one standard, the evidence) is empty.", file=file, row=number, column="reason", allowed="a sentence the report's footnote can quote"))
    return problems


def read_case_attributes(path: Path | str) -> pd.DataFrame:
    """Read a CSV of ``case_id`` and attributes (ldu, gender, ...) for breakdowns."""
    path = Path(path)
    columns, rows = read_csv_rows(path, ["case_id"], aliases={"crn": "case_id", "localdeliveryunit": "ldu"})
    problems, seen = [], {}
    for number, r in rows:
        cid = r["case_id"]
        if not cid:
            problems.append(Problem("empty_case_id", "the case id is empty.", file=path.name, row=number, column="case_id"))
        elif cid in seen:
            problems.append(Problem("duplicate_case_id", f"case '{cid}' appears twice (first at row {seen[cid]}).", file=path.name, row=number, column="case_id", value=cid))
        else:
            seen[cid] = number
    if problems:
        raise InputError(problems)
    return pd.DataFrame([r for _, r in rows], columns=columns)
