"""Excel tables in and out: one writer for every export; the cells, columns and parsers of
every import (which runs through `core.importing`: every error at once, all or nothing)."""

import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import DomainError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def write_table(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    text_columns: Collection[str] = (),
) -> bytes:
    """`save_table` into memory: the workbook's bytes (an export answered in the request)."""
    buffer = io.BytesIO()
    save_table(buffer, title, headers, rows, text_columns=text_columns)
    return buffer.getvalue()


def save_table(
    target,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    text_columns: Collection[str] = (),
) -> None:
    """A one-sheet workbook written to `target` (a path or a binary file): bold frozen header,
    columns sized to their content.

    `text_columns` (headers) are formatted as text, so Excel keeps an 18-digit ID number or a
    leading zero as typed instead of turning it into 3.30103E+17.

    Written in openpyxl's write-only mode (streamed, a fraction of the memory and time of a
    normal workbook); column widths come from the header and the first `_WIDTH_SAMPLE` rows.
    """
    rows = iter(rows)
    head = [_plain(row) for row in itertools.islice(rows, _WIDTH_SAMPLE)]
    widths = [_width(h) + 2 for h in headers]
    for row in head:
        widths = [max(w, min(60, _width(v) + 2)) for w, v in zip(widths, row, strict=False)]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    text_at = [i for i, h in enumerate(headers) if h in text_columns]
    for i in text_at:
        ws.column_dimensions[get_column_letter(i + 1)].number_format = "@"
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, h) for h in headers])
    for row in head:
        ws.append(_as_text(ws, row, text_at))
    for row in rows:
        ws.append(_as_text(ws, _plain(row), text_at))
    wb.save(target)


_WIDTH_SAMPLE = 500
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="206BC4")


def _plain(row: Sequence) -> list:
    """Excel has no time zones: aware datetimes are written as local wall-clock time."""
    return [
        timezone.localtime(v).replace(tzinfo=None)
        if isinstance(v, dt.datetime) and timezone.is_aware(v)
        else v
        for v in row
    ]


def _as_text(ws, row: list, text_at: list[int]) -> list:
    for i in text_at:
        if i < len(row) and row[i] not in (None, ""):
            cell = WriteOnlyCell(ws, value=str(row[i]))
            cell.number_format = "@"
            row[i] = cell
    return row


def _width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(c) > 127 else 1 for c in text)


def _header_cell(ws, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=text)
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(horizontal="center")
    return cell


@dataclass(frozen=True)
class CellError:
    row: int
    column: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」列：{self.message}"


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = True
    parse: Callable[[object], object] = lambda v: v


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    # 2018-06-30, 2018/6/30, 2018.6.30, 2018年6月30日
    match = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", str(value).strip()
    )
    try:
        if match is None:
            raise ValueError
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise DomainError("日期格式应为 2018-06-30。") from None


def parse_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
