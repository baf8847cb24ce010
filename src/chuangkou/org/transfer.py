"""Staff tables in and out of Excel (人员导入/导出)."""

from django.db import transaction
from django.db.models import QuerySet

from chuangkou.core import xlsx
from chuangkou.core.errors import DomainError

from . import permissions, services
from .models import BusinessCategory, Center, Department, Staff, Window

EXPORT_HEADERS = [
    "工号",
    "姓名",
    "性别",
    "用工性质",
    "业务类别",
    "部门",
    "所在中心",
    "窗口号",
    "入职日期",
    "手机号",
    "身份证号",
    "状态",
    "离职日期",
]


def export_staff(staff: QuerySet[Staff], *, viewer) -> bytes:
    """The listed staff as xlsx; ID and phone numbers masked unless the viewer may see them."""

    def row(s: Staff) -> list:
        full = permissions.can_see_full_identity(viewer, s)
        separation = getattr(s, "separation", None)
        return [
            s.staff_no,
            s.name,
            s.get_gender_display(),
            s.get_employment_type_display(),
            s.category.name if s.category else "",
            s.department.name,
            s.center.name,
            s.window.number if s.window else "",
            s.hire_date,
            s.phone if full else s.masked_phone,
            s.id_number if full else s.masked_id_number,
            s.get_status_display(),
            separation.date if separation else None,
        ]

    rows = (row(s) for s in staff.select_related("separation"))
    return xlsx.write_table("窗口人员", EXPORT_HEADERS, rows)


def _choice(choices, label: str) -> str:
    def parse(value: object) -> str:
        text = xlsx.parse_text(value)
        for key, shown in choices:
            if text in (key, shown):
                return key
        options = "、".join(shown for _, shown in choices)
        raise DomainError(f"应为 {options} 之一")

    parse.__name__ = label
    return parse


def _lookup(model, field: str, what: str):
    def parse(value: object):
        text = xlsx.parse_text(value)
        found = model.objects.filter(**{field: text}).first()
        if found is None:
            raise DomainError(f"没有名为「{text}」的{what}")
        return found

    return parse


IMPORT_COLUMNS = [
    xlsx.Column("工号", required=False, parse=xlsx.parse_text),
    xlsx.Column("姓名", parse=xlsx.parse_text),
    xlsx.Column("性别", parse=_choice(Staff.Gender.choices, "性别")),
    xlsx.Column("用工性质", parse=_choice(Staff.EmploymentType.choices, "用工性质")),
    xlsx.Column("业务类别", required=False, parse=_lookup(BusinessCategory, "name", "业务类别")),
    xlsx.Column("部门", parse=_lookup(Department, "name", "部门")),
    xlsx.Column("所在中心", parse=_lookup(Center, "name", "中心")),
    xlsx.Column("窗口号", required=False, parse=xlsx.parse_text),
    xlsx.Column("入职日期", parse=xlsx.parse_date),
    xlsx.Column("手机号", required=False, parse=xlsx.parse_text),
    xlsx.Column("身份证号", required=False, parse=xlsx.parse_text),
]
_FIELD_OF_COLUMN = {
    "name": "姓名",
    "gender": "性别",
    "employment_type": "用工性质",
    "department": "部门",
    "center": "所在中心",
    "window": "窗口号",
    "hire_date": "入职日期",
    "phone": "手机号",
    "id_number": "身份证号",
    "staff_no": "工号",
}


def import_template() -> bytes:
    example = ["", "张三", "女", "临编", "", "", "", "A01", "2018-03-01", "13800000000", ""]
    return xlsx.write_table("人员导入模板", [c.header for c in IMPORT_COLUMNS], [example])


def import_staff(*, actor, content: bytes) -> xlsx.ImportReport:
    """批量导入人员: every row is checked; on any error nothing is written."""
    records, report = xlsx.read_table(content, IMPORT_COLUMNS)
    first_row_of_id: dict[str, int] = {}
    for record in records:
        _resolve_window(record, report)
        id_number = record.get("身份证号")
        if id_number in first_row_of_id:
            message = f"与第 {first_row_of_id[id_number]} 行重复"
            report.errors.append(xlsx.CellError(record["_row"], "身份证号", message))
        elif id_number:
            first_row_of_id[id_number] = record["_row"]
    # Rows that read cleanly still go through the service (check digits, duplicates with
    # existing staff ...), so that one upload reports every error; nothing is kept on any error.
    unreadable = {error.row for error in report.errors}
    with transaction.atomic():
        for record in records:
            if record["_row"] in unreadable:
                continue
            try:
                with transaction.atomic():
                    _create_from_row(actor, record)
            except DomainError as exc:
                column = _FIELD_OF_COLUMN.get(exc.field or "", "整行")
                report.errors.append(xlsx.CellError(record["_row"], column, exc.message))
        if report.errors:
            transaction.set_rollback(True)
            report.errors.sort(key=lambda error: error.row)
        else:
            report.created = len(records)
    return report


def _resolve_window(record: dict, report: xlsx.ImportReport) -> None:
    number, center = record.get("窗口号"), record.get("所在中心")
    if not number or not isinstance(center, Center):
        record["窗口号"] = None
        return
    window = Window.objects.filter(center=center, number=number).first()
    if window is None:
        report.errors.append(
            xlsx.CellError(record["_row"], "窗口号", f"{center.name}没有 {number} 号窗口")
        )
    record["窗口号"] = window


def _create_from_row(actor, record: dict) -> None:
    services.create_staff(
        actor=actor,
        staff_no=record["工号"] or "",
        name=record["姓名"],
        gender=record["性别"],
        employment_type=record["用工性质"],
        category=record["业务类别"],
        department=record["部门"],
        center=record["所在中心"],
        window=record["窗口号"],
        hire_date=record["入职日期"],
        phone=record["手机号"] or "",
        id_number=record["身份证号"] or "",
    )
