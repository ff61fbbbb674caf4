"""The demo inspection: SYNTHETIC data modelled on the seed report.

Warwickshire and West Mercia CRC, fieldwork March 2019 (HM Inspectorate of Probation, July
2019). Case ids are invented (``D19-...``), there are no names, and every judgement was made up
so that the computed figures equal the report's Annex 2 to the whole percentage, with per-LDU
results following the report's text (Shropshire, Telford and Herefordshire better in assessment,
planning and delivery; Warwickshire weaker on keeping others safe at assessment).

Everything in ``data/demo/`` is written by :func:`write_demo` (``python -m workbook demo
--regenerate``) from a fixed seed; a test regenerates it and checks it is unchanged.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from .config import DEMO_INSPECTION, REPO_DIR
from .reasons import Reason

DEMO_DIR = REPO_DIR / "data" / "demo"
SEED = 20190304
FRAMEWORK = "hmip-2018-crc"
PROVIDER = "Warwickshire and West Mercia CRC (synthetic demo)"
FIELDWORK = (date(2019, 3, 4), date(2019, 3, 15))
BANNER = "SYNTHETIC DEMO DATA: invented cases modelled on a published inspection report; not real people."

LDUS = ("Warwickshire", "Worcestershire", "Shropshire, Telford and Herefordshire")
CS_PER_LDU = (31, 32, 35)  # 98 case-supervision cases

# Yes answers and cases answered (yes + no) per key question, from the report's Annex 2
# percentages and its sample sizes: 98 cases, 83 with risk-of-harm issues, 53 needing a
# review of keeping others safe, 25 unpaid work, 18 Through the Gate.
TARGETS = {
    "2.1.1": (79, 98),
    "2.1.2": (81, 98),
    "2.1.3": (63, 98),
    "2.2.1": (70, 98),
    "2.2.2": (78, 98),
    "2.2.3": (47, 83),
    "2.3.1": (81, 98),
    "2.3.2": (51, 98),
    "2.3.3": (42, 83),
    "2.4.1": (70, 98),
    "2.4.2": (67, 98),
    "2.4.3": (26, 53),
    "4.1.1": (20, 25),
    "4.1.2": (23, 25),
    "4.1.3": (25, 25),
    "4.1.4": (25, 25),
    "4.2.1": (15, 18),
    "4.2.2": (12, 18),
    "4.2.3": (12, 18),
}

# How each LDU leans, per key question (added to a case's latent quality before ranking).
STH, WAR, WOR = LDUS[2], LDUS[0], LDUS[1]
LEAN = {
    **{q: {STH: 0.9} for q in ("2.1.1", "2.1.2", "2.2.1", "2.2.2", "2.3.1", "2.3.2")},
    "2.1.3": {STH: 0.9, WAR: -1.4},
    "2.2.3": {STH: 0.9, WAR: -0.6, WOR: -0.3},
    "2.3.3": {STH: 0.9, WAR: -0.4, WOR: -0.5},
    "2.4.3": {WAR: -0.3, WOR: -0.3},
}

DECISIONS = [
    (
        "1.1",
        "Requires improvement",
        "Judged against the domain one rating characteristics: a dynamic response to quality information, but staff are not engaged in the CRC's decisions and service provision is negotiated locally, with inconsistencies between LDUs.",
    ),
    (
        "1.2",
        "Requires improvement",
        "Judged against the domain one rating characteristics: of the 44 responsible officers interviewed, 19 said their workloads were manageable; managers lack capacity to support the work and wellbeing of staff.",
    ),
    (
        "1.3",
        "Requires improvement",
        "Judged against the domain one rating characteristics: long waits to start accredited programmes and too little focus on equality, diversity and inclusion.",
    ),
    (
        "1.4",
        "Requires improvement",
        "Judged against the domain one rating characteristics: the failure to adopt flexible working limits effective work with some of the most vulnerable individuals.",
    ),
    (
        "2.1",
        "Good",
        "In arriving at the score for assessment, we have exercised professional discretion in relation to the case data, so as to take into account wider evidence gathered about this particular aspect of practice.",
    ),
    (
        "2.4",
        "Requires improvement",
        "In arriving at the rating for reviewing, we have exercised professional discretion, lifting the rating from inadequate to requires improvement, so as to take into account wider evidence gathered about this particular aspect of practice.",
    ),
    (
        "4.1",
        "Good",
        "In arriving at the score for unpaid work, we have exercised professional discretion in relation to the case data, so as to take into account wider evidence gathered about this particular aspect of practice.",
    ),
]

NOTE_TEXTS = {
    "no": [
        "Synthetic note {n}: the assessment does not analyse the risk to children in the household.",
        "Synthetic note {n}: no contingency plan is recorded for the risks identified.",
        "Synthetic note {n}: the review was not updated after a change in circumstances.",
        "Synthetic note {n}: information from the police was not sought.",
    ],
    "yes": [
        "Synthetic note {n}: the service user's views are clearly recorded and acted on.",
        "Synthetic note {n}: good joint work with the local women's centre.",
    ],
}

CASE_COLUMNS = [
    "case_id",
    "sample",
    "ldu",
    "gender",
    "disposal",
    "rosh",
    "officer_grade",
    "age",
    "sentence_date",
    "inspector",
    "rosh_issues",
    "safety_review_needed",
    "synthetic",
]


def _shuffled(rng, values):
    values = list(values)
    rng.shuffle(values)
    return values


def _case_supervision(rng) -> list[dict]:
    ldus = [ldu for ldu, k in zip(LDUS, CS_PER_LDU, strict=True) for _ in range(k)]
    n = len(ldus)
    gender = _shuffled(rng, ["female"] * 12 + ["male"] * (n - 12))
    disposal = _shuffled(rng, ["licence"] * 32 + ["community"] * (n - 32))
    rosh = _shuffled(rng, ["low"] * 15 + ["medium"] * 55 + ["high"] * 25 + ["very high"] * 3)
    grade = _shuffled(
        rng, ["probation officer"] * 44 + ["probation services officer"] * 46 + ["trainee"] * 8
    )
    cases = []
    for i in range(n):
        cases.append(
            {
                "case_id": f"D19-CS-{i + 1:03d}",
                "sample": "case supervision",
                "ldu": ldus[i],
                "gender": gender[i],
                "disposal": disposal[i],
                "rosh": rosh[i],
                "officer_grade": grade[i],
                "age": str(int(rng.integers(19, 62))),
                "sentence_date": (
                    date(2018, 8, 20) + timedelta(days=int(rng.integers(0, 31)))
                ).isoformat(),
                "inspector": f"inspector {1 + i % 5}",
            }
        )
    # risk-of-harm issues apply to the 83 cases above low risk; 53 of them needed a review
    issues = [i for i, c in enumerate(cases) if c["rosh"] != "low"]
    review = set(_shuffled(rng, issues)[:53])
    for i, c in enumerate(cases):
        c["rosh_issues"] = "yes" if i in issues else "no"
        c["safety_review_needed"] = "yes" if i in review else "no"
    return cases


def _other_samples(rng) -> list[dict]:
    cases = []
    for prefix, sample, count, disposal in (
        ("UW", "unpaid work", 25, "community"),
        ("TG", "Through the Gate", 18, "licence"),
    ):
        rosh = _shuffled(
            rng,
            (["low"] * 12 + ["medium"] * 11 + ["high"] * 2)
            if count == 25
            else (["low"] * 4 + ["medium"] * 9 + ["high"] * 5),
        )
        gender = _shuffled(
            rng,
            ["female"] * (3 if count == 25 else 2) + ["male"] * (count - (3 if count == 25 else 2)),
        )
        for i in range(count):
            cases.append(
                {
                    "case_id": f"D19-{prefix}-{i + 1:03d}",
                    "sample": sample,
                    "ldu": LDUS[i % 3],
                    "gender": gender[i],
                    "disposal": disposal,
                    "rosh": rosh[i],
                    "officer_grade": "probation services officer" if i % 3 else "probation officer",
                    "age": str(int(rng.integers(19, 62))),
                    "sentence_date": (
                        date(2018, 11, 1) + timedelta(days=int(rng.integers(0, 60)))
                    ).isoformat(),
                    "inspector": f"inspector {1 + i % 5}",
                    "rosh_issues": "no" if rosh[i] == "low" else "yes",
                    "safety_review_needed": "no",
                }
            )
    return cases


def _applies(question: str, case: dict) -> bool:
    if question in ("2.2.3", "2.3.3"):
        return case["rosh_issues"] == "yes"
    if question == "2.4.3":
        return case["safety_review_needed"] == "yes"
    return True


def _judgements(rng, cases: list[dict]) -> list[dict]:
    by_sample = {"2": "case supervision", "4.1": "unpaid work", "4.2": "Through the Gate"}
    quality = {c["case_id"]: rng.normal() for c in cases}
    rows = []
    notes = 0
    for question, (yes, answered) in TARGETS.items():
        sample = by_sample.get(question[:3], by_sample["2"])
        pool = [c for c in cases if c["sample"] == sample]
        applicable = [c for c in pool if _applies(question, c)]
        assert len(applicable) == answered, (question, len(applicable), answered)
        lean = LEAN.get(question, {})
        score = {
            c["case_id"]: 0.8 * quality[c["case_id"]] + lean.get(c["ldu"], 0.0) + rng.normal()
            for c in applicable
        }
        ranked = sorted(applicable, key=lambda c: -score[c["case_id"]])
        answers = {c["case_id"]: ("yes" if i < yes else "no") for i, c in enumerate(ranked)}
        for c in pool:
            answer = answers.get(c["case_id"], "not_applicable")
            note = ""
            if answer != "not_applicable" and rng.random() < 0.08:
                notes += 1
                texts = NOTE_TEXTS[answer]
                note = texts[int(rng.integers(0, len(texts)))].format(n=notes)
            rows.append(
                {
                    "case_id": c["case_id"],
                    "question": question,
                    "answer": answer,
                    "note": note,
                    "inspector": c["inspector"],
                }
            )
    rows.sort(key=lambda r: (r["case_id"], [int(x) for x in r["question"].split(".")]))
    return rows


def _population(rng, cases: list[dict]) -> list[dict]:
    """240 eligible case-supervision cases: the 98 sampled and 142 others, each stratum
    (gender x disposal x risk level) scaled by 240/98 with largest remainders, so that a
    proportional draw of 98 gives back the sample's mix."""
    sampled = [c for c in cases if c["sample"] == "case supervision"]
    keys = ("sample", "ldu", "gender", "disposal", "rosh", "officer_grade")
    strata: dict[tuple, list[dict]] = {}
    for c in sampled:
        strata.setdefault((c["gender"], c["disposal"], c["rosh"]), []).append(c)
    total = 240
    quotas = {k: len(v) * total / len(sampled) for k, v in strata.items()}
    counts = {k: int(q) for k, q in quotas.items()}
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - counts[k]), k))[
        : total - sum(counts.values())
    ]:
        counts[k] += 1
    population = [{k: c[k] for k in ("case_id", *keys)} for c in sampled]
    extra = 0
    for k in sorted(strata):
        members = strata[k]
        for i in range(counts[k] - len(members)):
            extra += 1
            twin = members[i % len(members)]
            population.append({**{f: twin[f] for f in keys}, "case_id": f"D19-EP-{extra:03d}"})
    order = rng.permutation(len(population))
    return [population[int(i)] for i in order]


def _csv(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in columns})
    return buf.getvalue()


def generate_demo() -> dict[str, str]:
    """The demo files' contents (file name -> CSV text), from the fixed seed."""
    rng = np.random.default_rng(SEED)
    cases = _case_supervision(rng) + _other_samples(rng)
    for c in cases:
        c["synthetic"] = "yes"
    judgements = _judgements(rng, cases)
    population = _population(rng, cases)
    for p in population:
        p["synthetic"] = "yes"
    decisions = [
        {"standard": s, "rating": r, "reason": reason, "by": "demo lead inspector"}
        for s, r, reason in DECISIONS
    ]
    return {
        "cases.csv": _csv(cases, CASE_COLUMNS),
        "judgements.csv": _csv(judgements, ["case_id", "question", "answer", "note", "inspector"]),
        "decisions.csv": _csv(decisions, ["standard", "rating", "reason", "by"]),
        "population.csv": _csv(
            population,
            [
                "case_id",
                "sample",
                "ldu",
                "gender",
                "disposal",
                "rosh",
                "officer_grade",
                "synthetic",
            ],
        ),
    }


def write_demo(folder: Path | str = DEMO_DIR) -> list[Path]:
    """Write the demo files into ``folder`` (atomically, file by file)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in generate_demo().items():
        path = folder / name
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(path)
        written.append(path)
    return written


def ensure_demo(store, folder: Path | str = DEMO_DIR, name: str = DEMO_INSPECTION) -> bool:
    """Load the demo inspection into ``store`` unless it is there already. True if loaded."""
    from .errors import StoreError
    from .files import load_framework, load_sample

    try:
        store.inspection(name)
        return False
    except StoreError as exc:
        if Reason.UNKNOWN_INSPECTION not in exc.codes:
            raise
    folder = Path(folder)
    framework = load_framework(FRAMEWORK)
    sample = load_sample(folder / "cases.csv")
    with open(folder / "judgements.csv", encoding="utf-8", newline="") as f:
        judgements = [
            (r["case_id"], r["question"], r["answer"], r["inspector"], r["note"] or None)
            for r in csv.DictReader(f)
        ]
    with open(folder / "decisions.csv", encoding="utf-8", newline="") as f:
        decisions = [(r["standard"], r["rating"], r["reason"], r["by"]) for r in csv.DictReader(f)]
    # one transaction: an interrupted load leaves no half-made demo, so the next call loads it
    try:
        store.create_inspection(
            name,
            framework,
            provider=PROVIDER,
            fieldwork_start=FIELDWORK[0],
            fieldwork_end=FIELDWORK[1],
            inspector="demo import",
            cases=sample.cases,
            judgements=judgements,
            decisions=decisions,
        )
    except StoreError as exc:
        if Reason.INSPECTION_EXISTS in exc.codes:
            return False  # loaded meanwhile by another process
        raise
    return True
