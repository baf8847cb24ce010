"""Downloads. Every export goes through `xlsx_response`, which writes the audit entry (who, what,
which filter, how many rows, whether unmasked) so no export can leave without one; a large table
registered with `core.exports` goes through `table_response` (small: `xlsx_response`; large: a
background job, audited when its file is written and on each download); a blank import template,
which holds no data, goes through `template_response`."""

import io
import re
import zipfile
from urllib.parse import quote

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from . import exports, xlsx
from .xlsx import XLSX_CONTENT_TYPE

# Query parameters that only steer the page, not which rows are exported.
_NOT_FILTERS = {"export", "page", "csrfmiddlewaretoken"}
_SHEET = re.compile(r"xl/worksheets/sheet\d+\.xml")


def _download(content: bytes, filename: str) -> HttpResponse:
    """An xlsx download whose Chinese file name survives every browser (RFC 6266)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "no-store"
    return response


def data_rows(content: bytes) -> int:
    """Rows below the header row of every sheet of a workbook (counted in its XML, unparsed)."""
    rows = 0
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        for name in book.namelist():
            if _SHEET.fullmatch(name):
                count = _count_rows(book, name)
                rows += max(0, count - 1)
    return rows


def _count_rows(book: zipfile.ZipFile, name: str) -> int:
    count, tail = 0, b""
    with book.open(name) as sheet:
        for block in iter(lambda: sheet.read(1 << 20), b""):
            chunk = tail + block
            count += chunk.count(b"<row ") + chunk.count(b"<row>")
            tail = chunk[-5:]
            count -= tail.count(b"<row ") + tail.count(b"<row>")
    return count + tail.count(b"<row ") + tail.count(b"<row>")


def export_filter(request: HttpRequest) -> dict:
    """The query parameters that chose the exported rows."""
    return {k: v for k, v in request.GET.items() if k not in _NOT_FILTERS and v != ""}


def xlsx_response(
    content: bytes, filename: str, *, request: HttpRequest, what: str, unmasked: bool = False
) -> HttpResponse:
    """Send an export and audit it: `what` names the data (e.g. "org.staff"), `unmasked` says
    whether full ID/phone numbers were written."""
    exports.audit_export(
        actor=request.user,
        kind=what,
        filename=filename,
        query=export_filter(request),
        rows=data_rows(content),
        unmasked=unmasked,
    )
    return _download(content, filename)


def table_response(request: HttpRequest, kind: str) -> HttpResponse:
    """A list's "导出 Excel" of a table registered with `core.exports`, under the list's filter:
    up to `exports.INLINE_ROWS` rows at once; more become a background job, whose page shows the
    progress and then the download."""
    query = export_filter(request)
    table = exports.build_table(request.user, kind, query)
    if table.total > exports.INLINE_ROWS:
        job = exports.start_export(actor=request.user, kind=kind, query=query, table=table)
        messages.info(
            request, f"共 {table.total} 条，数据较多，已转入后台导出：完成后在此页下载，可先离开。"
        )
        return redirect("core:export_job", pk=job.pk)
    content = xlsx.write_table(
        table.title, table.headers, table.rows, text_columns=table.text_columns
    )
    return xlsx_response(
        content, table.filename(), request=request, what=kind, unmasked=table.unmasked
    )


def template_response(content: bytes, filename: str) -> HttpResponse:
    """A blank import template (headers only, no personal data): not audited."""
    return _download(content, filename)
