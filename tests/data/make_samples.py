"""Write the case-list files the tests read (valid and malformed), deterministically.

Run ``python tests/data/make_samples.py`` to regenerate tests/data/samples/. Every case is
invented; no case id belongs to a real person.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent / "samples"
LDUS = ("Warwickshire", "Worcestershire", "Shropshire, Telford and Herefordshire")
HEADER = [
    "CRN",
    "Sample",
    "Local delivery unit",
    "Gender",
    "Disposal",
    "RoSH",
    "Officer grade",
    "Team",
]


def cases(n: int = 30, start: int = 1) -> list[list[str]]:
    """n valid cases, 10 per LDU; gender, disposal and risk vary in a fixed pattern."""
    rows = []
    for i in range(n):
        k = start + i
        rows.append(
            [
                f"T{k:05d}",
                "case supervision",
                LDUS[i % 3],
                "Female" if i % 8 == 0 else "Male",
                "Licence" if i % 3 == 1 else "Community",
                ("low", "medium", "high", "very high")[i % 4 if i % 7 else 1],
                ("PO", "PSO", "trainee")[i % 3],
                f"Team {i % 4 + 1}",
            ]
        )
    return rows


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    def cell(c: str) -> str:
        return f'"{c}"' if any(ch in c for ch in (delimiter, '"', "\n")) else c

    return "".join(delimiter.join(cell(c) for c in r) + "\r\n" for r in rows)


def png_bytes() -> bytes:
    """A real 2x2 grey PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x80\x80" for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def write_xlsx(path: Path, sheets: list[tuple[str, list[list]]]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        ws = book.create_sheet(title)
        for r in rows:
            ws.append(r)
    book.save(path)


def main(folder: Path = HERE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    good = cases()

    def write(
        name: str, rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ","
    ) -> None:
        (folder / name).write_bytes(csv_text(rows, delimiter).encode(encoding))

    write("valid.csv", [HEADER, *good])
    (folder / "bom.csv").write_bytes(b"\xef\xbb\xbf" + csv_text([HEADER, *good]).encode("utf-8"))
    cp = [row[:-1] + [f"Équipe {row[-1][-1]} – Telford’s"] for row in good]
    write("cp1252.csv", [HEADER, *cp], encoding="cp1252")
    write("semicolon.csv", [HEADER, *good], delimiter=";")
    write(
        "title_row.csv",
        [["Case list for inspection, exported 18 March 2019"], [], [HEADER[0], *HEADER[1:]], *good],
    )
    write(
        "missing_column.csv", [[h for h in HEADER if h != "RoSH"], *[r[:5] + r[6:] for r in good]]
    )
    dup = [r[:] for r in good]
    dup[5][0] = dup[2][0]  # row 7 repeats row 4's case id
    dup[9][0] = ""  # row 11 has none
    write("duplicates.csv", [HEADER, *dup])
    bad = [r[:] for r in good]
    bad[12][5] = "meduim"  # row 14, as the example
    bad[3][3] = "Mail"
    bad[4][4] = "suspended"
    bad[6][1] = "case supervison"
    bad[7][5] = ""
    write("bad_values.csv", [HEADER, *bad])
    spell = [r[:] for r in good]
    for r in spell[2:9:3]:
        r[2] = "Shropshire, Telford & Herefordshire"
    spell[4][2] = "worcestershire"
    write("ldu_spelling.csv", [HEADER, *spell])
    small = [r[:] for r in good]
    for r in small[2:20:3]:  # 6 of Shropshire's 10 cases moved: 4 left in a sample of 30
        r[2] = LDUS[0]
    write("small_ldu.csv", [HEADER, *small])
    write("header_only.csv", [HEADER])
    (folder / "empty.csv").write_bytes(b"")
    (folder / "not_a_table.csv").write_bytes(png_bytes())
    (folder / "old_excel.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    ages = [HEADER + ["Age", "Sentence date"]] + [r + ["34", "18/03/2019"] for r in good]
    ages[5][8] = "thirty"
    ages[6][9] = "31/02/2019"
    write("bad_age_date.csv", ages)
    write("drawn.csv", [HEADER + ["draw_seed"]] + [r + ["7"] for r in good])
    write_xlsx(
        folder / "title_row.xlsx",
        [("Cases", [["Case list for inspection"], [None], HEADER, *good])],
    )
    write_xlsx(folder / "empty_sheet.xlsx", [("Notes", []), ("Cases", [HEADER, *good])])


if __name__ == "__main__":
    main()
