"""Excel tables in and out: one writer for every export, one reader for every import.

An import reads every row, collects each error with its row and column, and the caller writes
nothing unless the whole file is clean.
"""

import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .errors import DomainError

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_ROWS = 50_000


def write_table(title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A one-sheet workbook: bold frozen header, columns sized to their content.

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
    ws.freeze_panes = "A2"
    ws.append([_header_cell(ws, h) for h in headers])
    for row in head:
        ws.append(row)
    for row in rows:
        ws.append(_plain(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


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

    def __str__(self) -> str:
        return f"第 {self.row} 行「{self.column}」列：{self.message}"


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Column:
    header: str
    required: bool = True
    parse: Callable[[object], object] = lambda v: v


def read_table(content: bytes, columns: Sequence[Column]) -> tuple[list[dict], ImportReport]:
    """Rows of the first sheet as {header: parsed value}, and a report of every bad cell.

    Row numbers are the sheet's own (the header is row 1). Blank rows are skipped.
    """
    report = ImportReport()
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        raise DomainError("无法读取文件：请上传 Excel（.xlsx）格式的文件。") from None
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
    missing = [c.header for c in columns if c.header not in header]
    if missing:
        raise DomainError(f"表头缺少列：{'、'.join(missing)}。请使用导出的模板。")
    index = {name: header.index(name) for name in (c.header for c in columns)}
    parsed: list[dict] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        report.rows += 1
        if report.rows > MAX_IMPORT_ROWS:
            raise DomainError(f"一次最多导入 {MAX_IMPORT_ROWS} 行，请拆分文件。")
        record = {"_row": number}
        for column in columns:
            i = index[column.header]
            raw = values[i] if i < len(values) else None
            if isinstance(raw, str):
                raw = raw.strip()
            if raw is None or raw == "":
                if column.required:
                    report.errors.append(CellError(number, column.header, "不能为空"))
                record[column.header] = None
                continue
            try:
                record[column.header] = column.parse(raw)
            except DomainError as exc:
                report.errors.append(CellError(number, column.header, exc.message))
            except (ValueError, TypeError):
                report.errors.append(CellError(number, column.header, "格式不正确"))
        parsed.append(record)
    wb.close()
    if report.rows == 0:
        raise DomainError("文件中没有数据行。")
    return parsed, report


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
