"""Downloads. Every export goes through `xlsx_response`, which writes the audit entry (who, what,
which filter, how many rows, whether unmasked) so no export can leave without one; a blank
import template, which holds no data, goes through `template_response`."""

import io
import re
import zipfile
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse

from . import audit
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
    audit.record(
        actor=request.user,
        action="data.export",
        object_type=what,
        after={
            "file": filename,
            "filter": export_filter(request),
            "rows": data_rows(content),
            "unmasked": unmasked,
        },
    )
    return _download(content, filename)


def template_response(content: bytes, filename: str) -> HttpResponse:
    """A blank import template (headers only, no personal data): not audited."""
    return _download(content, filename)
