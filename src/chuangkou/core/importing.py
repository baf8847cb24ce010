"""One import mechanism for every table import (导入): read, check every cell, all or nothing,
audited.

An app describes one import as a subclass of `TableImport`:

    class StaffImport(TableImport):
        action = "org.import"                 # audit action of every attempt
        object_type = "org.staff"
        columns = [Column("姓名", parse=parse_text), Column("入职日期", parse=parse_date), ...]
        field_columns = {"hire_date": "入职日期"}   # DomainError.field -> column, for writes

        def check_row(self, row):             # checks across the cells of one row
            if row["离职日期"] and row["离职日期"] < row["入职日期"]:
                row.error("离职日期", "早于入职日期")

        def write_row(self, row):             # one clean row through the app's service
            services.create_staff(actor=self.actor, name=row["姓名"], ...)
            return "created"                  # or "updated"; counted in the report

    report = StaffImport(actor=user).run(content=upload.read(), filename=upload.name)

`run` reads the first sheet of an xlsx or a csv (UTF-8 or GB18030), parses every cell of every
row and records each problem (`report.errors`: row, column, value, message; a row with ten bad
cells gives ten errors), then `check_row` for each row and `check_rows` over all of them. Then,
in one transaction, `write_row` for every row without errors (each in a savepoint): a
DomainError there becomes that row's error; on any error at all the transaction is rolled back,
so nothing is written, and every problem of the file is reported at once. Every
attempt leaves one audit entry `action` with after={file, rows, errors, result, created,
updated}: result is "succeeded", "rejected" (errors found, nothing written) or "aborted" (an
unexpected exception; nothing written, a DomainError with a Chinese message is raised).
A problem with the file as a whole (not a table, no header, no rows) is a DomainError, audited
as "rejected".

Large files that must stream (the case history import) use the pieces: `open_table`,
`ImportReport`, `record_attempt`.
"""

import codecs
import csv
import io
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from . import audit
from .errors import DomainError
from .xlsx import CellError, Column, parse_date, parse_text

__all__ = [
    "Column",
    "CellError",
    "ImportReport",
    "Row",
    "TableImport",
    "open_table",
    "parse_date",
    "parse_text",
    "record_attempt",
]

log = logging.getLogger(__name__)

MAX_ROWS = 50_000
MAX_ERRORS_LISTED = 1000
SUCCEEDED, REJECTED, ABORTED = "succeeded", "rejected", "aborted"
RESULT_LABELS = {SUCCEEDED: "成功", REJECTED: "有错误，未导入", ABORTED: "系统错误，未导入"}


@dataclass
class ImportReport:
    filename: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[CellError] = field(default_factory=list)
    error_count: int = 0
    result: str = ""

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, row: int, column: str, message: str, value: object = None) -> None:
        """Count every error; list the first MAX_ERRORS_LISTED of them."""
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            shown = "" if value is None else str(value)[:100]
            self.errors.append(CellError(row, column, message, shown))

    @property
    def more_errors(self) -> int:
        return self.error_count - len(self.errors)

    def summary(self) -> dict:
        return {
            "file": self.filename,
            "rows": self.rows,
            "errors": self.error_count,
            "result": self.result,
            "created": self.created,
            "updated": self.updated,
        }


class Row:
    """One data row: parsed values by header (None when empty or not readable), the raw cells."""

    def __init__(self, number: int, values: dict, raw: dict, report: ImportReport):
        self.number = number
        self.values = values
        self.raw = raw
        self._report = report
        self.error_count = 0

    def __getitem__(self, header: str):
        return self.values.get(header)

    def get(self, header: str, default=None):
        value = self.values.get(header)
        return default if value is None else value

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def error(self, column: str, message: str) -> None:
        self.error_count += 1
        self._report.add_error(self.number, column, message, self.raw.get(column))


# --- reading -----------------------------------------------------------------------------


def _encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) or else GB18030 (Excel's "CSV" on Chinese Windows)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _csv_table(stream) -> tuple[list, Iterator[tuple[int, list]], int]:
    head = stream.read(1 << 20)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=_encoding(head), newline="")
    reader = csv.reader(text)
    try:
        header = next(reader, [])
    except (UnicodeDecodeError, csv.Error):
        raise DomainError("无法识别文件编码，请保存为 UTF-8 或 GBK 编码的 CSV 文件。") from None

    def rows():
        try:
            yield from enumerate(reader, start=2)
        except UnicodeDecodeError:
            raise DomainError("文件中有无法识别的字符，请保存为 UTF-8 编码后重新上传。") from None
        except csv.Error as exc:
            raise DomainError(f"CSV 格式错误（第 {reader.line_num} 行）：{exc}") from None

    return header, rows(), -1


def _xlsx_table(stream, raw: bool = False) -> tuple[list, Iterator[tuple[int, list]], int]:
    """The first sheet through python-calamine (Rust; many times openpyxl's read-only speed).

    Rows come from the sheet's first row (leading empty rows included), their cells from the
    first used column: the columns before it are added back, so row and column numbers are
    those Excel shows. Cells as openpyxl gave them (None when empty, whole numbers int), or
    with `raw` as calamine gives them (cheaper): "" when empty, every number a float.
    """
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(stream)
        sheet = wb.get_sheet_by_index(0)
    except Exception:  # calamine raises several kinds for a file that is not xlsx
        raise DomainError("无法读取文件：请上传 Excel（.xlsx）或 CSV 文件。") from None
    lead = [""] * (sheet.start[1] if sheet.start else 0)
    it = (lead + row for row in sheet.iter_rows()) if lead else sheet.iter_rows()
    header = list(next(it, ()))
    total = max(0, (sheet.end[0] if sheet.end else 0))

    def rows():
        try:
            yield from enumerate(it if raw else map(_as_openpyxl, it), start=2)
        finally:
            wb.close()

    return header, rows(), total


def _as_openpyxl(row: list) -> list:
    return [None if c == "" else int(c) if type(c) is float and c.is_integer() else c for c in row]


def open_table(
    source: bytes | Path, filename: str = "", *, raw: bool = False
) -> tuple[list[str], Iterator, int]:
    """(header, iterator of (row number, cell values), estimated data rows or -1) of a csv
    (a file name ending in .csv) or else the first sheet of an xlsx; read lazily. `raw`: xlsx
    cells as python-calamine gives them (see `_xlsx_table`), for callers that take both."""
    if isinstance(source, Path):
        stream = source.open("rb")
        filename = filename or source.name
    else:
        stream = io.BytesIO(source)
    if filename.lower().endswith(".csv"):
        header, rows, total = _csv_table(stream)
    else:
        header, rows, total = _xlsx_table(stream, raw)
    return [cell_text(h) for h in header], rows, total


def cell_text(value: object) -> str:
    """A cell as text: 13800000000.0 is "13800000000", spaces around are dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def is_blank(values: Sequence) -> bool:
    return all(cell_text(v) == "" for v in values)


def actor_named(username: str):
    """The account a command-line import runs as (`--as USERNAME`): active, or refused."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username or "").first()
    if user is None or not user.is_active:
        raise DomainError(
            f"没有名为「{username}」的在用账号：命令行导入须用 --as 指定执行导入的人员账号。"
        )
    return user


# --- auditing ----------------------------------------------------------------------------


def record_attempt(
    *, actor, action: str, report: ImportReport, obj=None, object_type: str = "", **extra
):
    """The audit entry of one import attempt, whatever its result."""
    audit.record(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        after={**report.summary(), **extra},
    )


# --- the mechanism -----------------------------------------------------------------------


class TableImport:
    """One kind of import; see the module docstring."""

    action: str = ""
    object_type: str = ""
    columns: Sequence[Column] = ()
    field_columns: Mapping[str, str] = {}
    max_rows: int = MAX_ROWS

    def __init__(self, *, actor):
        self.actor = actor

    # hooks ---------------------------------------------------------------------------------

    def get_columns(self) -> Sequence[Column]:
        """The columns with their parsers; override to build fresh parsers per import."""
        return self.columns

    def check_permission(self) -> None:
        """Raise PermissionDeniedError before anything is read when the actor may not import."""

    def check_row(self, row: Row) -> None:
        """Checks across the cells of one row; report each with `row.error(column, message)`."""

    def check_rows(self, rows: list[Row]) -> None:
        """Checks across rows (duplicates, existing records) after every row was checked."""

    def write_row(self, row: Row) -> str | None:
        """Write one row through a service; return "created" or "updated"."""
        raise NotImplementedError

    def write_rows(self, rows: list[Row], report: ImportReport) -> None:
        """Every row in its own savepoint, so that each row's service error is reported."""
        for row in rows:
            if not row.ok:
                continue
            try:
                with transaction.atomic():
                    outcome = self.write_row(row)
            except DomainError as exc:
                row.error(self.column_of(exc.field), exc.message)
            else:
                if outcome == "updated":
                    report.updated += 1
                else:
                    report.created += 1

    def column_of(self, field_name: str | None) -> str:
        return self.field_columns.get(field_name or "", "整行")

    # running -------------------------------------------------------------------------------

    def run(self, *, content: bytes, filename: str = "") -> ImportReport:
        """Check everything, write all or nothing, audit the attempt (see module docstring)."""
        self.check_permission()
        report = ImportReport(filename=filename[:200])
        try:
            rows = self.read(content, filename, report)
            self.check(rows)
            with transaction.atomic():
                # Rows that passed the checks go through the services even when others did
                # not, so that one upload reports every error; any error rolls all back.
                self.write_rows(rows, report)
                if report.ok:
                    report.result = SUCCEEDED
                    self.audit(report)
                else:
                    transaction.set_rollback(True)
        except DomainError as exc:
            if not report.error_count:
                report.add_error(0, "文件", exc.message)
            self._close(report, REJECTED)
            raise
        except Exception:
            log.exception("%s failed", self.action)
            self._close(report, ABORTED)
            raise DomainError("导入时发生系统错误，未导入任何数据。请联系系统管理员。") from None
        if not report.ok:
            self._close(report, REJECTED)
        report.errors.sort(key=lambda e: e.row)
        return report

    def _close(self, report: ImportReport, result: str) -> None:
        report.result = result
        report.created = report.updated = 0
        self.audit(report)

    def audit(self, report: ImportReport) -> None:
        record_attempt(
            actor=self.actor, action=self.action, report=report, object_type=self.object_type
        )

    def check(self, rows: list[Row]) -> None:
        for row in rows:
            self.check_row(row)
        self.check_rows(rows)

    def read(self, content: bytes, filename: str, report: ImportReport) -> list[Row]:
        """Every data row, every cell parsed; each unreadable or missing cell is an error."""
        header, table, _ = open_table(content, filename)
        columns = list(self.get_columns())
        missing = [c.header for c in columns if c.required and c.header not in header]
        if missing:
            raise DomainError(f"表头缺少列：{'、'.join(missing)}。请使用导入模板。")
        index = {c.header: header.index(c.header) for c in columns if c.header in header}
        rows: list[Row] = []
        for number, values in table:
            if is_blank(values):
                continue
            report.rows += 1
            if report.rows > self.max_rows:
                raise DomainError(f"一次最多导入 {self.max_rows} 行，请拆分文件。")
            raw = {h: values[i] if i < len(values) else None for h, i in index.items()}
            rows.append(self._parse(number, raw, columns, report))
        if not rows:
            raise DomainError("文件中没有数据行。")
        return rows

    @staticmethod
    def _parse(number: int, raw: dict, columns: list[Column], report: ImportReport) -> Row:
        row = Row(number, {}, raw, report)
        for column in columns:
            value = raw.get(column.header)
            if isinstance(value, str):
                value = value.strip()
            row.values[column.header] = None
            if value is None or value == "":
                if column.required:
                    row.error(column.header, "不能为空")
                continue
            try:
                row.values[column.header] = column.parse(value)
            except DomainError as exc:
                row.error(column.header, exc.message)
            except (ValueError, TypeError, ArithmeticError):
                row.error(column.header, "格式不正确")
        return row


def unique_within(rows: list[Row], column: str, key: Callable[[object], object] = lambda v: v):
    """Report every row whose `column` repeats an earlier row's value."""
    first: dict = {}
    for row in rows:
        value = row[column]
        if value is None or value == "":
            continue
        k = key(value)
        if k in first:
            row.error(column, f"与第 {first[k]} 行重复")
        else:
            first[k] = row.number


# --- cell parsers shared by the imports --------------------------------------------------


def choice_of(choices: Sequence[tuple[str, str]]) -> Callable[[object], str]:
    """A cell holding one of `choices` by its label (在编) or its code (regular): the code."""

    def parse(value: object) -> str:
        text = parse_text(value)
        for key, shown in choices:
            if text in (key, str(shown)):
                return key
        raise DomainError(f"应为 {'、'.join(str(shown) for _, shown in choices)} 之一")

    return parse


def text_of(max_length: int) -> Callable[[object], str]:
    """A text cell of at most `max_length` characters (no NUL: PostgreSQL refuses it)."""

    def parse(value: object) -> str:
        text = parse_text(value)
        if "\x00" in text:
            raise DomainError("含有无效字符（NUL）")
        if len(text) > max_length:
            raise DomainError(f"不能超过 {max_length} 个字")
        return text

    return parse


YES, NO = ("是", "y", "yes", "true", "1", "√"), ("否", "n", "no", "false", "0", "×")


def parse_yes_no(value: object) -> bool:
    """是/否 (also yes/no, 1/0, √/×)."""
    text = parse_text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise DomainError("应为 是 或 否")
