"""The stratified draw: a proportional sample of an eligible population, reproducible by seed.

The draw is a few small steps, each a function of the one before:

1. check the request (seed, sample size, stratum columns) and that every case has a value in
   every stratum column;
2. the strata: every combination of the stratum columns' values that has cases, in sorted order;
3. the allocation: the largest-remainder method, first across the ``within`` groups (such as
   LDUs), then across the strata, keeping each column's shares as close as rounding allows;
4. the draw within each stratum with ``numpy.random.default_rng(seed)``; the seed is recorded
   with the draw (and in the ``draw_seed`` column of the file written), so the same population
   and seed give the same sample.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .caselist import SEED_COLUMN, plain_name
from .errors import Problem, SampleError
from .reasons import Reason

__all__ = ["Draw", "allocate_largest_remainder", "allocate_strata", "draw_sample"]

SHARE_COLUMNS = ["column", "value", "population", "population_share", "sample", "sample_share"]


@dataclass(frozen=True, eq=False)
class Draw:
    """A drawn sample: the cases, each stratum's share in population and sample, the seed.

    Attributes
    ----------
    sample
        The cases drawn, in population order.
    table
        One row per stratum: its keys, population, population_share, sample, sample_share.
    margins
        One row per value of each stratum column: column, value and the same four shares.
    seed
        The seed the draw used; drawing again with it gives the same sample.
    strata, within
        The stratum columns, and the column allocated across first (or None).
    population
        The number of cases drawn from.
    """

    sample: pd.DataFrame
    table: pd.DataFrame
    margins: pd.DataFrame
    seed: int
    strata: tuple[str, ...]
    within: str | None
    population: int

    @property
    def n(self) -> int:
        """The number of cases drawn."""
        return len(self.sample)

    def with_seed_column(self) -> pd.DataFrame:
        """Return the sample as written to a file: the seed recorded on every row."""
        out = self.sample.copy()
        out[SEED_COLUMN] = str(self.seed)
        return out


# -- allocation ------------------------------------------------------------------------------


def allocate_largest_remainder(sizes: list[int] | np.ndarray, n: int) -> np.ndarray:
    """Share ``n`` out in proportion to ``sizes`` by the largest-remainder method.

    Whole quotas first, then one more to the largest remainders (ties: the larger stratum,
    then the earlier one).

    Parameters
    ----------
    sizes
        The size of each group.
    n
        The number to share out.

    Returns
    -------
    numpy.ndarray
        How many each group gets (never more than its size).
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    total = int(sizes.sum())
    if total == 0 or n == 0:
        return np.zeros(len(sizes), dtype=np.int64)
    exact = sizes * n / total
    base = np.floor(exact + 1e-9).astype(np.int64)
    left = n - int(base.sum())
    if left > 0:
        remainder = exact - base
        order = sorted(range(len(sizes)), key=lambda i: (-round(remainder[i], 12), -sizes[i], i))
        for i in order[:left]:
            base[i] += 1
    return np.minimum(base, sizes)


def allocate_strata(
    cells: pd.DataFrame,
    sizes: np.ndarray,
    n: int,
    groups: np.ndarray | None = None,
    group_alloc: dict | None = None,
) -> np.ndarray:
    """Largest-remainder allocation over strata that cross several columns.

    Every stratum (such as gender x disposal x risk) gets its whole quota, and the cases left
    over go one each to the strata with the largest remainder plus the shortfall of their
    values' totals, so that each column's shares (not only each stratum's) stay as close as
    rounding allows. With one column this is the plain largest-remainder method.

    Parameters
    ----------
    cells
        One row per stratum, one column per stratum column.
    sizes
        The cases in each stratum.
    n
        The sample size.
    groups, group_alloc
        One label per stratum, and label -> cases: fixes how many cases each group (such as
        an LDU) gets.

    Returns
    -------
    numpy.ndarray
        The cases drawn from each stratum.
    """
    sizes = np.asarray(sizes, dtype=np.int64)
    total = int(sizes.sum())
    if total == 0 or n == 0 or (cells.shape[1] <= 1 and groups is None):
        return allocate_largest_remainder(sizes, n)
    exact = sizes * n / total
    alloc = np.floor(exact + 1e-9).astype(np.int64)
    left = n - int(alloc.sum())
    columns = [cells[c].to_numpy() for c in cells.columns]
    codes = [pd.factorize(values)[0] for values in columns]
    quota = [np.bincount(c, weights=exact) for c in codes]
    open_cells = [i for i in range(len(sizes)) if exact[i] - alloc[i] > 1e-9]
    if groups is not None:
        need = {g: a - int(alloc[groups == g].sum()) for g, a in group_alloc.items()}
    for _ in range(left):
        if groups is not None:
            open_cells = [i for i in open_cells if need[groups[i]] > 0]
        given = [
            np.bincount(c, weights=alloc, minlength=len(q))
            for c, q in zip(codes, quota, strict=True)
        ]

        def priority(i, given=given):
            shortfall = sum(q[c[i]] - g[c[i]] for c, q, g in zip(codes, quota, given, strict=True))
            return (round(exact[i] - alloc[i] + shortfall, 9), sizes[i], -i)

        best = max(open_cells, key=priority)
        alloc[best] += 1
        open_cells.remove(best)
        if groups is not None:
            need[groups[best]] -= 1
    return alloc


# -- step 1: the request ---------------------------------------------------------------------


def _is_whole(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _request_problems(
    population: pd.DataFrame, n, keys: list[str], strata: tuple[str, ...], within, seed
) -> list[Problem]:
    problems: list[Problem] = []
    total = len(population)
    if not _is_whole(seed) or seed < 0:
        problems.append(
            Problem(
                Reason.BAD_SEED,
                f"the seed '{seed}' is not a whole number of 0 or more.",
                place="seed",
                value=seed,
                allowed="a whole number such as 7; it is recorded so the draw can be repeated",
            )
        )
    if not _is_whole(n) or n < 1:
        what = f"the sample size '{n}' is not a whole number of 1 or more."
        problems.append(Problem(Reason.BAD_N, what, place="n", value=n, allowed=f"1 to {total}"))
    elif n > total:
        what = f"a sample of {n} cases cannot be drawn from a population of {total}."
        problems.append(
            Problem(Reason.N_TOO_LARGE, what, place="n", value=n, allowed=f"1 to {total}")
        )
    columns = ", ".join(str(c) for c in population.columns)
    if not strata:
        problems.append(
            Problem(
                Reason.NO_STRATA, "no stratum column was given.", place="strata", allowed=columns
            )
        )
    problems += [
        Problem(
            Reason.UNKNOWN_STRATUM,
            f"'{k}' is not a column of the population.",
            place="strata" if k != within else "within",
            column=k,
            value=k,
            allowed=columns,
        )
        for k in keys
        if k not in population.columns
    ]
    return problems


def _strip_text(value) -> str:
    return "" if value is None or value != value else str(value).strip()


def _sorted_codes(values: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """(code of each value, the distinct values as stripped text, sorted)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    texts = [_strip_text(u) for u in uniques] + [""]  # the last one: missing values
    labels, inverse = np.unique(np.array(texts, dtype=object), return_inverse=True)
    codes = np.where(codes < 0, len(texts) - 1, codes)
    return inverse.reshape(-1)[codes], [str(v) for v in labels]


def _empty_value_problems(
    population: pd.DataFrame, k: str, codes, labels, words: Mapping[str, str]
) -> list[Problem]:
    if "" not in labels:
        return []
    k = words.get(k, plain_name(k))
    empty = np.flatnonzero(codes == labels.index(""))
    problems = []
    for p in empty[:20]:
        cid = population["case_id"].iat[p] if "case_id" in population.columns else str(p + 1)
        problems.append(
            Problem(
                Reason.EMPTY_STRATUM_VALUE,
                f"case '{cid}' has no value for the stratum column '{k}'.",
                column=k,
                place=f"case {cid}",
                allowed="a value on every case",
            )
        )
    if len(empty) > 20:
        problems.append(
            Problem(
                Reason.EMPTY_STRATUM_VALUE,
                f"... and {len(empty) - 20} more cases have no value for '{k}'.",
                column=k,
            )
        )
    return problems


# -- step 2: the strata ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Strata:
    keys: list[str]
    factors: dict[str, tuple[np.ndarray, list[str]]]  # column -> (code of each case, labels)
    cells: pd.DataFrame  # one row per stratum, in the keys' sort order
    codes: np.ndarray  # the stratum of each case
    sizes: np.ndarray  # the cases in each stratum


def _strata(factors: dict, keys: list[str]) -> _Strata:
    shape = [len(factors[k][1]) for k in keys]
    combined = np.ravel_multi_index([factors[k][0] for k in keys], shape)
    cell_ids, codes = np.unique(combined, return_inverse=True)
    sizes = np.bincount(codes, minlength=len(cell_ids))
    cell_codes = np.unravel_index(cell_ids, shape)
    cells = pd.DataFrame(
        {k: np.array(factors[k][1], dtype=object)[c] for k, c in zip(keys, cell_codes, strict=True)}
    )
    return _Strata(keys, factors, cells, codes, sizes)


# -- step 3: the allocation ------------------------------------------------------------------


def _allocate(
    strata: _Strata, n: int, within: str | None, words: Mapping[str, str]
) -> tuple[np.ndarray, list[Problem]]:
    if not within:
        return allocate_strata(strata.cells[strata.keys], strata.sizes, n), []
    total = int(strata.sizes.sum())
    groups = strata.cells[within].to_numpy()
    group_names = sorted(set(groups))
    group_sizes = [int(strata.sizes[groups == g].sum()) for g in group_names]
    group_alloc = allocate_largest_remainder(group_sizes, n)
    problems = [
        Problem(
            Reason.STRATUM_TOO_SMALL,
            f"the {words.get(within, plain_name(within))} '{g}' has {size} of {total} cases, "
            f"too few to get one case in a sample of {n}.",
            column=words.get(within, plain_name(within)),
            value=g,
            allowed=f"a larger sample, or draw without --within {within}",
        )
        for g, size, a in zip(group_names, group_sizes, group_alloc, strict=True)
        if a == 0
    ]
    alloc = allocate_strata(
        strata.cells[strata.keys],
        strata.sizes,
        n,
        groups,
        dict(zip(group_names, group_alloc.tolist(), strict=True)),
    )
    return alloc, problems


def _too_small(strata: _Strata, min_per_stratum: int, words: Mapping[str, str]) -> list[Problem]:
    problems = []
    for i in np.flatnonzero(strata.sizes < min_per_stratum):
        label = ", ".join(
            f"{words.get(k, plain_name(k))} '{strata.cells.at[i, k]}'" for k in strata.keys
        )
        size = strata.sizes[i]
        problems.append(
            Problem(
                Reason.STRATUM_TOO_SMALL,
                f"the stratum {label} has {size} case{'s' if size != 1 else ''}, fewer than the "
                f"{min_per_stratum} each stratum must give.",
                value=label,
                allowed=f"strata of at least {min_per_stratum} cases: merge small strata or use "
                "fewer stratum columns",
            )
        )
    return problems


# -- step 4: the draw within each stratum, and its shares -----------------------------------


def _pick(strata: _Strata, alloc: np.ndarray, seed: int) -> np.ndarray:
    """Positions of the cases drawn: ``alloc[i]`` at random from stratum i, sorted."""
    rng = np.random.default_rng(seed)
    order = np.argsort(strata.codes, kind="stable")
    starts = np.concatenate([[0], np.cumsum(strata.sizes)])
    chosen = []
    for i, k in enumerate(alloc):
        if k:
            members = order[starts[i] : starts[i + 1]]
            chosen.append(members[rng.choice(len(members), size=int(k), replace=False)])
    return np.sort(np.concatenate(chosen)) if chosen else np.array([], dtype=np.int64)


def _share_table(strata: _Strata, alloc: np.ndarray, n: int) -> pd.DataFrame:
    table = strata.cells.copy()
    total = int(strata.sizes.sum())
    table["population"] = strata.sizes
    table["population_share"] = strata.sizes / total
    table["sample"] = alloc
    table["sample_share"] = alloc / n
    return table


def _margins(strata: _Strata, picked: np.ndarray, n: int) -> pd.DataFrame:
    total = int(strata.sizes.sum())
    rows = []
    for k in strata.keys:
        codes_k, labels_k = strata.factors[k]
        pop_counts = np.bincount(codes_k, minlength=len(labels_k))
        smp_counts = np.bincount(codes_k[picked], minlength=len(labels_k))
        for value, p, s in zip(labels_k, pop_counts.tolist(), smp_counts.tolist(), strict=True):
            if p:
                rows.append(
                    {
                        "column": k,
                        "value": value,
                        "population": p,
                        "population_share": p / total,
                        "sample": s,
                        "sample_share": s / n,
                    }
                )
    return pd.DataFrame(rows, columns=SHARE_COLUMNS)


# -- the draw --------------------------------------------------------------------------------


def _raise_if(problems: list[Problem]) -> None:
    if problems:
        raise SampleError(problems)


def draw_sample(
    population: pd.DataFrame,
    n: int,
    strata: str | list[str] | tuple[str, ...],
    within: str | None = None,
    seed: int | None = None,
    min_per_stratum: int = 0,
    words: Mapping[str, str] | None = None,
) -> Draw:
    """Draw a proportional stratified sample of ``n`` cases, reproducible from ``seed``.

    Parameters
    ----------
    population
        The eligible cases, one row each (a ``case_id`` column names them in problems).
    n
        The sample size, 1 to the population's size.
    strata
        The stratum columns, as a list or comma-separated (``"gender,disposal,rosh"``).
    within
        A column whose groups (such as LDUs) are allocated first, then the strata within each.
    seed
        A whole number of 0 or more; the same population and seed give the same sample.
    min_per_stratum
        The fewest cases a stratum may have.
    words
        Column -> how the problems name it (the user's heading, :meth:`Sample.headings`);
        a column not given is named in the column table's plain words.

    Returns
    -------
    Draw
        The sample, each stratum's and each value's shares, and the seed.

    Raises
    ------
    SampleError
        For a bad seed or size, an unknown stratum column, a case with no value for a stratum
        column, or a stratum (or ``within`` group) too small to allocate.
    """
    if isinstance(strata, str):
        strata = [s.strip() for s in strata.split(",") if s.strip()]
    strata = tuple(strata)
    keys = ([within] if within else []) + [s for s in strata if s != within]
    _raise_if(_request_problems(population, n, keys, strata, within, seed))
    factors = {k: _sorted_codes(population[k].to_numpy(dtype=object)) for k in keys}
    words = dict(words or {})
    _raise_if([p for k in keys for p in _empty_value_problems(population, k, *factors[k], words)])
    cells = _strata(factors, keys)
    alloc, problems = _allocate(cells, int(n), within, words)
    if min_per_stratum > 0:
        problems += _too_small(cells, min_per_stratum, words)
    _raise_if(problems)
    picked = _pick(cells, alloc, int(seed))
    sample = population.iloc[picked].reset_index(drop=True)
    return Draw(
        sample,
        _share_table(cells, alloc, int(n)),
        _margins(cells, picked, int(n)),
        int(seed),
        strata,
        within,
        len(population),
    )
