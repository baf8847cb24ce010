"""Tables for import tests: an xlsx or csv file from headers and rows."""

import csv
import io

from openpyxl import Workbook


def xlsx_bytes(headers, rows) -> bytes:
    wb = Workbook()
    wb.active.append(list(headers))
    for row in rows:
        wb.active.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers, rows, encoding="utf-8-sig") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def last_audit(action: str):
    from chuangkou.core.models import AuditEntry

    return AuditEntry.objects.filter(action=action).order_by("-id").first()
