"""Rows out of a CSV (UTF-8 or GB18030) or Excel file, one at a time, with their row numbers."""

import codecs
import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from chuangkou.core.errors import DomainError

from ..models import ImportJob


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) or, failing that, GB18030 (Excel's 'CSV' on Chinese Windows)."""
    with path.open("rb") as f:
        head = f.read(1 << 20)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _count_lines(path: Path) -> int:
    count = 0
    with path.open("rb") as f:
        while chunk := f.read(1 << 22):
            count += chunk.count(b"\n")
    return count


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list]], int]:
    encoding = _detect_encoding(path)
    total = max(0, _count_lines(path) - 1)
    f = path.open(encoding=encoding, newline="")
    reader = csv.reader(f)
    try:
        header = next(reader, [])
    except UnicodeDecodeError:
        f.close()
        raise DomainError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV 文件。") from None

    def rows():
        with f:
            try:
                yield from enumerate(reader, start=2)
            except UnicodeDecodeError:
                raise DomainError(
                    "文件中有无法识别的字符，请保存为 UTF-8 编码后重新上传。"
                ) from None
            except csv.Error as exc:
                raise DomainError(f"CSV 格式错误（第 {reader.line_num} 行）：{exc}") from None

    return header, rows(), total


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list]], int]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        raise DomainError("无法读取文件：请上传 Excel（.xlsx）或 CSV 文件。") from None
    ws = wb.worksheets[0]
    total = max(0, (ws.max_row or 1) - 1)
    it = ws.iter_rows(values_only=True)
    header = ["" if h is None else str(h) for h in next(it, ())]

    def rows():
        try:
            yield from enumerate(it, start=2)
        finally:
            wb.close()

    return header, rows(), total


def read_rows(path: Path, fmt: str):
    """(header, iterator of (row number, values), estimated data rows) of the first sheet."""
    return _csv_rows(path) if fmt == ImportJob.Format.CSV else _xlsx_rows(path)


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def cell(value):
    """A cell as the checks take it: dates and times as they are, everything else as text."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.date):
        return value
    return text(value)
