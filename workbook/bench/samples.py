"""``python -m workbook.bench samples``: read and validate a 100,000-row population file, then
draw a stratified sample from it; prints the figures (target: under 2 s in all)."""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ..draw import draw_sample
from ..files import load_sample

LDUS = ("Warwickshire", "Worcestershire", "Shropshire, Telford and Herefordshire")
TARGET_SECONDS = 2.0


def generate_population(n: int, seed: int = 2019) -> pd.DataFrame:
    """An invented eligible population of ``n`` case-supervision cases (no real ids)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "case_id": [f"P{i:07d}" for i in range(1, n + 1)],
            "sample": "case supervision",
            "ldu": rng.choice(LDUS, size=n, p=[0.35, 0.35, 0.30]),
            "gender": rng.choice(["male", "female"], size=n, p=[0.88, 0.12]),
            "disposal": rng.choice(["community", "licence"], size=n, p=[0.67, 0.33]),
            "rosh": rng.choice(
                ["low", "medium", "high", "very high"], size=n, p=[0.15, 0.50, 0.32, 0.03]
            ),
            "officer_grade": rng.choice(
                ["probation officer", "probation services officer"], size=n
            ),
            "age": rng.integers(18, 80, size=n).astype(str),
        }
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbook.bench samples")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--n", type=int, default=98)
    parser.add_argument(
        "--folder", help="where to write the population file (default: a temporary folder)"
    )
    parser.add_argument(
        "--progress", action="store_true", help="show the progress bar while reading"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        path = Path(folder) / "population.csv"
        generate_population(args.rows).to_csv(path, index=False)
        size_mb = path.stat().st_size / 1e6
        t0 = time.perf_counter()
        sample = load_sample(path, progress=args.progress or False)
        t1 = t2 = time.perf_counter()
        draw = draw_sample(
            sample.cases, args.n, ["gender", "disposal", "rosh"], within="ldu", seed=7
        )
        t3 = time.perf_counter()
    read, draw_time = t1 - t0, t3 - t2
    total = read + draw_time
    print(f"population file: {args.rows:,} rows, {size_mb:.1f} MB CSV ({len(sample):,} cases read)")
    print(f"read + validate (load_sample): {read:.3f} s")
    print(
        f"stratified draw of {args.n} (gender x disposal x rosh within ldu, {len(draw.table)} strata): {draw_time * 1000:.1f} ms"
    )
    print(
        f"total: {total:.3f} s (target {TARGET_SECONDS:.1f} s: {'met' if total < TARGET_SECONDS else 'NOT met'})"
    )
    return 0
