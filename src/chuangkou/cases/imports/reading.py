"""Rows out of a CSV (UTF-8 or GB18030) or Excel file, one at a time: `core.importing`'s reader."""

import datetime as dt
from pathlib import Path

from chuangkou.core.importing import cell_text as text
from chuangkou.core.importing import open_table

from ..models import ImportJob

__all__ = ["cell", "read_rows", "text"]


def read_rows(path: Path, fmt: str):
    """(header, iterator of (row number, values), estimated data rows) of the first sheet."""
    name = "rows.csv" if fmt == ImportJob.Format.CSV else "rows.xlsx"
    header, rows, total = open_table(path, name, raw=True)  # `cell` takes "" and floats
    if total < 0:
        total = _count_lines(path) - 1
    return header, rows, max(0, total)


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            count += chunk.count(b"\n")
    return count


def cell(value):
    """A cell as the checks take it: dates and times as they are, everything else as text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.date):
        return value
    return text(value)
