"""Staff tables in and out of Excel (人员导入/导出)."""

from django.db.models import QuerySet

from chuangkou.core import importing, xlsx
from chuangkou.core.errors import DomainError
from chuangkou.core.validators import validate_id_number, validate_mobile

from . import permissions, services
from .models import BusinessCategory, Center, Department, Separation, Staff, Window

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
    "离职原因",
    "离职说明",
]
TEXT_COLUMNS = ("工号", "手机号", "身份证号")  # kept as text by Excel (18 digits, leading zeros)


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
            s.get_current_status_display(),
            separation.date if separation else None,
            separation.get_reason_display() if separation else "",
            separation.note if separation else "",
        ]

    rows = (row(s) for s in staff.select_related("separation"))
    return xlsx.write_table("窗口人员", EXPORT_HEADERS, rows, text_columns=TEXT_COLUMNS)


def _lookup(model, field: str, what: str):
    def parse(value: object):
        text = xlsx.parse_text(value)
        found = model.objects.filter(**{field: text}).first()
        if found is None:
            raise DomainError(f"没有名为「{text}」的{what}")
        return found

    return parse


def _id_text(value: object) -> str:
    """An ID number typed into a number cell has lost its last digits to Excel: say so."""
    if isinstance(value, int | float):
        raise DomainError(
            "身份证号被 Excel 存成了数字，末几位可能已丢失：请把该列设为文本后重新填写"
        )
    return validate_id_number(xlsx.parse_text(value))


IMPORT_COLUMNS = [
    xlsx.Column("工号", required=False, parse=xlsx.parse_text),
    xlsx.Column("姓名", parse=xlsx.parse_text),
    xlsx.Column("性别", parse=importing.choice_of(Staff.Gender.choices)),
    xlsx.Column("用工性质", parse=importing.choice_of(Staff.EmploymentType.choices)),
    xlsx.Column("业务类别", required=False, parse=_lookup(BusinessCategory, "name", "业务类别")),
    xlsx.Column("部门", parse=_lookup(Department, "name", "部门")),
    xlsx.Column("所在中心", parse=_lookup(Center, "name", "中心")),
    xlsx.Column("窗口号", required=False, parse=xlsx.parse_text),
    xlsx.Column("入职日期", parse=xlsx.parse_date),
    xlsx.Column("手机号", required=False, parse=lambda v: validate_mobile(xlsx.parse_text(v))),
    xlsx.Column("身份证号", required=False, parse=_id_text),
    xlsx.Column("状态", required=False, parse=importing.choice_of(Staff.Status.choices)),
    xlsx.Column("离职日期", required=False, parse=xlsx.parse_date),
    xlsx.Column("离职原因", required=False, parse=importing.choice_of(Separation.Reason.choices)),
    xlsx.Column("离职说明", required=False, parse=xlsx.parse_text),
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
    "date": "离职日期",
    "reason": "离职原因",
}


def import_template() -> bytes:
    example = ["", "张三", "女", "临编", "", "", "", "A01", "2018-03-01", "13800000000", "", "在岗"]
    headers = [c.header for c in IMPORT_COLUMNS]
    return xlsx.write_table("人员导入模板", headers, [example], text_columns=TEXT_COLUMNS)


class StaffImport(importing.TableImport):
    """批量导入人员: every cell of every row is checked; on any error nothing is written."""

    action = "org.import"
    object_type = "org.staff"
    columns = IMPORT_COLUMNS
    field_columns = _FIELD_OF_COLUMN

    def check_row(self, row: importing.Row) -> None:
        number, center = row["窗口号"], row["所在中心"]
        window = None
        if number and isinstance(center, Center):
            window = Window.objects.filter(center=center, number=number).first()
            if window is None:
                row.error("窗口号", f"{center.name}没有 {number} 号窗口")
        row.values["窗口号"] = window
        _check_separation_cells(row)

    def check_rows(self, rows: list[importing.Row]) -> None:
        importing.unique_within(rows, "身份证号")

    def write_row(self, row: importing.Row) -> str:
        staff = services.create_staff(
            actor=self.actor,
            staff_no=row["工号"] or "",
            name=row["姓名"],
            gender=row["性别"],
            employment_type=row["用工性质"],
            category=row["业务类别"],
            department=row["部门"],
            center=row["所在中心"],
            window=row["窗口号"],
            hire_date=row["入职日期"],
            phone=row["手机号"] or "",
            id_number=row["身份证号"] or "",
        )
        if row["离职日期"]:
            services.record_separation(
                actor=self.actor,
                staff=staff,
                date=row["离职日期"],
                reason=row["离职原因"],
                note=row["离职说明"] or "",
            )
        return "created"


def _check_separation_cells(row: importing.Row) -> None:
    """状态 离职 goes with a 离职日期 and a 离职原因, and a 离职日期 with 状态 离职 (or blank)."""
    status, date, reason = row["状态"], row["离职日期"], row["离职原因"]
    if status == Staff.Status.LEFT and date is None and not row.raw.get("离职日期"):
        row.error("离职日期", "状态为离职时须填写离职日期")
    if date is not None and status not in (None, Staff.Status.LEFT):
        row.error("状态", "填写了离职日期，状态应为离职")
    if date is not None and reason is None and not row.raw.get("离职原因"):
        row.error("离职原因", "填写了离职日期时须填写离职原因")
    if reason is not None and date is None and not row.raw.get("离职日期"):
        row.error("离职日期", "填写了离职原因时须填写离职日期")


def import_staff(*, actor, content: bytes, filename: str = "") -> importing.ImportReport:
    """批量导入人员 (see StaffImport)."""
    return StaffImport(actor=actor).run(content=content, filename=filename)
