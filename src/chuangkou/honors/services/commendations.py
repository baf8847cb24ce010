"""表彰登记: 锦旗 and 感谢信 received for a window or a person; titles (青年文明号 …) of teams."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from chuangkou.core import audit, uploads
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.params import in_window
from chuangkou.org.models import Department, Staff, Window

from .. import permissions
from ..models import Commendation


def _department(type_: str, window, staff, department) -> Department:
    if staff is not None and window is not None and staff.department_id != window.department_id:
        raise DomainError("所选人员不属于所选窗口的部门。", field="staff")
    found = (staff and staff.department) or (window and window.department) or department
    if found is None:
        field = "department" if type_ == Commendation.Type.TITLE else "window"
        raise DomainError("请选择受表彰的窗口、人员或部门。", field=field)
    return found


def _check(type_: str, received_on: dt.date, window, staff, title: str) -> None:
    if type_ not in Commendation.Type.values:
        raise DomainError("请选择表彰类型。", field="type")
    if not in_window(received_on):
        raise DomainError("日期须在 2000-01-01 至 2100-12-31 之间。", field="received_on")
    if received_on > timezone.localdate():
        raise DomainError("日期不能晚于今天。", field="received_on")
    if type_ == Commendation.Type.TITLE and not title:
        raise DomainError("请填写荣誉称号（如 市级青年文明号）。", field="title")
    if type_ != Commendation.Type.TITLE and window is None and staff is None:
        raise DomainError("锦旗、感谢信须注明受赠的窗口或人员。", field="window")


@transaction.atomic
def record_commendation(
    *,
    actor,
    kind: str,
    received_on: dt.date,
    sender: str = "",
    window: Window | None = None,
    staff: Staff | None = None,
    department: Department | None = None,
    team: str = "",
    title: str = "",
    text: str = "",
    scan=None,
) -> Commendation:
    """登记一面锦旗、一封感谢信或一项集体荣誉 (`kind`: banner/letter/title), named to the
    window/person (or team) it honors."""
    title, team, sender = (title or "").strip(), (team or "").strip(), (sender or "").strip()
    _check(kind, received_on, window, staff, title)
    owner = _department(kind, window, staff, department)
    if not permissions.can_record_commendation(actor, owner.pk):
        raise PermissionDeniedError("只能登记本部门的表彰。")
    fields = {
        "type": kind,
        "received_on": received_on,
        "sender": sender[:100],
        "window": window,
        "staff": staff,
        "department": owner,
        "team": team[:100],
        "title": title[:100],
        "text": (text or "").strip()[:3000],
        "recorded_by": actor,
    }
    stored = _store_scan(scan)
    try:
        commendation = Commendation.objects.create(
            **fields,
            scan=stored.name if stored else "",
            scan_type=stored.content_type if stored else "",
        )
        audit.record(
            actor=actor,
            action="honors.commendation.record",
            obj=commendation,
            after={"type": kind, "received_on": received_on, "scan": bool(stored)},
        )
    except BaseException:
        uploads.delete_upload(stored.name if stored else "")
        raise
    return commendation


def _store_scan(scan) -> uploads.StoredUpload | None:
    """The scan or photo (JPEG/PNG/PDF, checked by its bytes, EXIF stripped), stored privately."""
    if not scan:
        return None
    return uploads.store_upload(
        scan, folder="honors/commendations", kinds=uploads.IMAGES_AND_DOCUMENTS, field="scan"
    )
