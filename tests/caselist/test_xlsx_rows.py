"""A sheet with more rows than a sheet may hold (Excel's own limit) is refused before openpyxl
opens the workbook: its rows are counted in the sheet's XML, streamed, so a crafted sheet of two
million rows is refused in moments and in little memory. The reading runs in a child process
with a time limit, so a reader that tried to load the sheet would fail the test, not hang it."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workbook.caselist import limits
from workbook.errors import SampleError
from workbook.files import load_sample_bytes

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Cases &amp; more" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def crafted_workbook(path: Path, rows: int, prefix: str = "", skip_to: int | None = None) -> Path:
    """An XLSX file whose one sheet holds ``rows`` rows (written a block at a time), or, with
    ``skip_to``, one row numbered ``skip_to``."""
    ns = f"xmlns{':' + prefix[:-1] if prefix else ''}"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8"?><{prefix}worksheet '
                f'{ns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"<{prefix}sheetData>".encode()
            )
            numbers = [skip_to] if skip_to else range(1, rows + 1)
            block = []
            for r in numbers:
                block.append(
                    f'<{prefix}row r="{r}"><{prefix}c r="A{r}"><{prefix}v>{r}</{prefix}v></{prefix}c></{prefix}row>'
                )
                if len(block) == 50_000:
                    sheet.write("".join(block).encode())
                    block = []
            sheet.write(("".join(block) + f"</{prefix}sheetData></{prefix}worksheet>").encode())
    return path


READ = """
import json, resource, sys, time
from pathlib import Path
from workbook.errors import SampleError
from workbook.files import load_sample_bytes
data = Path(sys.argv[1]).read_bytes()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.process_time()
try:
    load_sample_bytes(data, "crafted.xlsx")
    out = {"codes": []}
except SampleError as exc:
    out = {"codes": [str(c) for c in exc.codes], "text": str(exc), "file": exc.problems[0].file}
out["cpu"] = time.process_time() - start
out["grew_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
print(json.dumps(out))
"""


def read_in_a_child(path: Path, timeout: float = 120) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", READ, str(path)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def two_million(tmp_path_factory) -> Path:
    return crafted_workbook(tmp_path_factory.mktemp("xlsx") / "crafted.xlsx", 2_000_000)


def test_a_sheet_of_two_million_rows_is_refused_before_it_is_opened(two_million):
    result = read_in_a_child(two_million)
    assert result["codes"] == ["too_many_rows"]
    assert result["file"] == "crafted.xlsx"
    assert "2,000,000 rows" in result["text"] and "was not opened" in result["text"]
    assert "'Cases & more'" in result["text"]
    # bounded: the sheet's XML (about 100 MiB) is never held whole, and openpyxl never walks
    # its rows (that takes minutes); generous bounds, so only a reader that loads it fails
    assert result["grew_kib"] < 200 * 1024, result
    assert result["cpu"] < 15, result


def test_a_sheet_claiming_two_million_rows_with_one_row_is_refused(tmp_path):
    path = crafted_workbook(tmp_path / "crafted.xlsx", 1, skip_to=2_000_000)
    result = read_in_a_child(path)
    assert result["codes"] == ["too_many_rows"] and "2,000,000 rows" in result["text"]


def test_rows_are_counted_with_a_namespace_prefix_and_across_chunks(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "CHUNK", 7)  # every row tag cut by a chunk's end somewhere
    path = crafted_workbook(tmp_path / "prefixed.xlsx", 1234, prefix="x:")
    with zipfile.ZipFile(path) as archive:
        assert limits.sheet_rows(archive, "xl/worksheets/sheet1.xml") == 1234
        assert limits.sheet_rows(archive, "xl/workbook.xml") == 0  # not a sheet


def test_a_sheet_within_the_limit_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 100)
    path = crafted_workbook(tmp_path / "small.xlsx", 100)
    with pytest.raises(SampleError) as info:  # read, then refused for its content, not its size
        load_sample_bytes(path.read_bytes(), "small.xlsx")
    assert "too_many_rows" not in info.value.codes
    path = crafted_workbook(tmp_path / "big.xlsx", 101)
    with pytest.raises(SampleError) as info:
        load_sample_bytes(path.read_bytes(), "big.xlsx")
    assert info.value.codes == ["too_many_rows"] and "101 rows" in str(info.value)
