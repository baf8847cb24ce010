from urllib.parse import quote

from django.http import HttpResponse

from .xlsx import XLSX_CONTENT_TYPE


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An xlsx download whose Chinese file name survives every browser (RFC 6266)."""
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
