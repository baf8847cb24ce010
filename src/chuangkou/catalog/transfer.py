"""The catalog in and out of Excel (事项目录导入/导出).

One sheet, one row per material; the rows that share a 事项编码 make one matter. An export
re-imports unchanged. An import checks every row first and writes nothing if any cell is wrong;
it updates the matters whose code exists (replacing their material list) and creates the others.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from chuangkou.core import importing, xlsx
from chuangkou.core.errors import DomainError
from chuangkou.core.permissions import require_role
from chuangkou.org.models import Department

from . import permissions, services
from .models import Material, Matter
from .services.cleaning import check_zero_visit_online, clean_code, clean_matter_fields
from .text import normalize, without_controls

MATTER_COLUMNS = {
    "事项编码": "code",
    "事项名称": "name",
    "部门": "department",
    "事项类型": "kind",
    "承诺时限": "promised_days",
    "最多跑动次数": "max_visits",
    "可网办": "online",
}
MATERIAL_COLUMNS = {
    "材料名称": "name",
    "是否必需": "requirement",
    "材料形式": "form",
    "份数": "copies",
}
HEADERS = [*MATTER_COLUMNS, *MATERIAL_COLUMNS]
COLUMN_OF_FIELD = {field: column for column, field in MATTER_COLUMNS.items()}
MATERIAL_COLUMN_OF_FIELD = {field: column for column, field in MATERIAL_COLUMNS.items()}
YES, NO = "是", "否"


def _row(matter: Matter, material: Material | None) -> list:
    row = [
        matter.code,
        matter.name,
        matter.department.name,
        matter.get_kind_display(),
        matter.promised_days,
        matter.max_visits,
        YES if matter.online else NO,
    ]
    if material is None:
        return [*row, None, None, None, None]
    return [
        *row,
        material.name,
        material.get_requirement_display(),
        material.get_form_display(),
        material.copies,
    ]


def export_catalog(matters: QuerySet[Matter]) -> bytes:
    """事项目录 as xlsx, one row per material (a matter without materials takes one row)."""

    def rows():
        for matter in matters.select_related("department").prefetch_related("materials"):
            materials = list(matter.materials.all())
            for material in materials or [None]:
                yield _row(matter, material)

    return xlsx.write_table("事项目录", HEADERS, rows())


def import_template() -> bytes:
    matter = ["330103-XX-001", "示例事项", "市场监管", "行政许可", 5, 1, YES]
    example = [
        [*matter, "申请书", "必需", "原件", 1],
        [*matter, "居民身份证", "必需", "原件和复印件", 1],
    ]
    return xlsx.write_table("事项目录", HEADERS, example)


def _via_cleaning(field: str):
    def parse(value: object):
        return clean_matter_fields({field: value})[field]

    return parse


def _labelled(choices, *, aliases: dict[str, str] | None = None):
    def parse(value: object) -> str:
        text = xlsx.parse_text(value)
        for key, label in choices:
            if text in (key, label):
                return key
        if aliases and text in aliases:
            return aliases[text]
        raise DomainError(f"应为 {'、'.join(label for _, label in choices)} 之一")

    return parse


def _yes_no(value: object) -> bool:
    text = xlsx.parse_text(value).lower()
    if text in ("是", "y", "yes", "true", "1", "可"):
        return True
    if text in ("否", "n", "no", "false", "0", "不可"):
        return False
    raise DomainError("应为 是 或 否")


def _departments():
    """A parser of department names that looks each name up once per import."""
    seen: dict[str, list[Department]] = {}

    def parse(value: object) -> Department:
        name = without_controls(xlsx.parse_text(value))
        if name not in seen:
            seen[name] = list(Department.objects.filter(name=name)[:2])
        found = seen[name]
        if not found:
            raise DomainError(f"没有名为「{name}」的部门")
        if len(found) > 1:
            raise DomainError(f"有多个名为「{name}」的部门（不同区县），无法确定")
        return found[0]

    return parse


def _copies(value: object) -> int:
    if isinstance(value, str):
        value = value.strip()
    try:
        number = int(float(value)) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise DomainError("应为整数") from None
    if isinstance(value, float) and not value.is_integer():
        raise DomainError("应为整数")
    if not 1 <= number <= 99:
        raise DomainError("应在 1–99 之间")
    return number


KIND_ALIASES = {label.removeprefix("行政"): key for key, label in Matter.Kind.choices}
REQUIREMENT_ALIASES = {
    "是": Material.Requirement.REQUIRED,
    "否": Material.Requirement.CONDITIONAL,
    "容缺": Material.Requirement.CONDITIONAL,
    "视情形提交": Material.Requirement.CONDITIONAL,
}


def columns() -> list[xlsx.Column]:
    """The columns of an import, with their parsers (fresh for each import)."""
    return [
        xlsx.Column("事项编码", parse=lambda v: clean_code(xlsx.parse_text(v))),
        xlsx.Column("事项名称", parse=_via_cleaning("name")),
        xlsx.Column("部门", parse=_departments()),
        xlsx.Column("事项类型", parse=_labelled(Matter.Kind.choices, aliases=KIND_ALIASES)),
        xlsx.Column("承诺时限", parse=_via_cleaning("promised_days")),
        xlsx.Column("最多跑动次数", parse=_via_cleaning("max_visits")),
        xlsx.Column("可网办", parse=_yes_no),
        xlsx.Column(
            "材料名称", required=False, parse=lambda v: " ".join(xlsx.parse_text(v).split())
        ),
        xlsx.Column(
            "是否必需",
            required=False,
            parse=_labelled(Material.Requirement.choices, aliases=REQUIREMENT_ALIASES),
        ),
        xlsx.Column("材料形式", required=False, parse=_labelled(Material.Form.choices)),
        xlsx.Column("份数", required=False, parse=_copies),
    ]


@dataclass
class _Group:
    """The rows of one 事项编码."""

    code: str
    rows: list[importing.Row]

    @property
    def first(self) -> importing.Row:
        return self.rows[0]

    def fields(self) -> dict:
        return {field: self.first[column] for column, field in MATTER_COLUMNS.items()}

    def materials(self) -> list[dict]:
        return [
            {
                "name": r["材料名称"],
                "requirement": r["是否必需"] or Material.Requirement.REQUIRED,
                "form": r["材料形式"] or Material.Form.ORIGINAL,
                "copies": r["份数"] or 1,
            }
            for r in self.rows
            if r["材料名称"]
        ]


def _group(rows: list[importing.Row]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for row in rows:
        code = row["事项编码"]
        if code:
            groups.setdefault(code, _Group(code, [])).rows.append(row)
    for group in groups.values():
        _check_group(group)
    return list(groups.values())


def _check_group(group: _Group) -> None:
    """Rows of one matter agree on the matter columns and ask each material once."""
    first = group.first
    for row in group.rows[1:]:
        for column in MATTER_COLUMNS:
            value, expected = row[column], first[column]
            if value is not None and expected is not None and value != expected:
                message = f"与第 {first.number} 行不一致（同一事项编码的各行须相同）"
                row.error(column, message)
    seen: dict[str, int] = {}
    for row in group.rows:
        name = row["材料名称"]
        if not name:
            if len(group.rows) > 1:
                row.error("材料名称", "同一事项有多行时，每行须填写一项材料")
            elif any(row[c] is not None for c in ("是否必需", "材料形式", "份数")):
                row.error("材料名称", "请填写材料名称")
            continue
        key = normalize(name)
        if key in seen:
            row.error("材料名称", f"与第 {seen[key]} 行的材料重复")
        else:
            seen[key] = row.number
    if first["最多跑动次数"] is not None and first["可网办"] is not None:
        try:
            check_zero_visit_online(first["最多跑动次数"], first["可网办"])
        except DomainError as exc:
            first.error("最多跑动次数", exc.message)


def _check_permission(actor, group: _Group, existing: Matter | None) -> None:
    department = group.first["部门"]
    targets = [department] + ([existing.department] if existing else [])
    for target in targets:
        if isinstance(target, Department) and not permissions.can_edit_department(actor, target):
            group.first.error("部门", f"您不能维护「{target.name}」的事项")
            return


def _column_of(group: _Group, field: str | None) -> tuple[importing.Row, str]:
    """The row and column a service error on `field` belongs to."""
    if field and field.startswith("materials."):
        _, index, name = (field.split(".") + ["", ""])[:3]
        rows = [r for r in group.rows if r["材料名称"]]
        row = rows[int(index)] if index.isdigit() and int(index) < len(rows) else group.first
        return row, MATERIAL_COLUMN_OF_FIELD.get(name, "材料名称")
    return group.first, COLUMN_OF_FIELD.get(field or "", "事项编码")


class CatalogImport(importing.TableImport):
    """批量导入事项目录: every cell of every row is checked; on any error nothing is written."""

    action = "catalog.import"
    object_type = "catalog.matter"

    def check_permission(self) -> None:
        require_role(self.actor, *permissions.CATALOG_EDITORS)

    def get_columns(self) -> list[xlsx.Column]:
        return columns()

    def check_rows(self, rows: list[importing.Row]) -> None:
        self.groups = _group(rows)
        self.existing = {
            m.code: m
            for m in Matter.objects.select_related("department").filter(
                code__in=[g.code for g in self.groups]
            )
        }
        for group in self.groups:
            _check_permission(self.actor, group, self.existing.get(group.code))

    def write_rows(self, rows: list[importing.Row], report: importing.ImportReport) -> None:
        for group in self.groups:
            if all(row.ok for row in group.rows):
                _write_group(self.actor, group, self.existing.get(group.code), report)


def import_catalog(*, actor, content: bytes, filename: str = "") -> importing.ImportReport:
    """批量导入事项目录 (see CatalogImport)."""
    return CatalogImport(actor=actor).run(content=content, filename=filename)


def _write_group(actor, group: _Group, matter: Matter | None, report) -> None:
    try:
        with transaction.atomic():
            if matter is None:
                services.create_matter(actor=actor, **group.fields(), materials=group.materials())
                report.created += 1
            else:
                services.update_matter(
                    actor=actor, matter=matter, changes=group.fields(), materials=group.materials()
                )
                report.updated += 1
    except DomainError as exc:
        row, column = _column_of(group, exc.field)
        row.error(column, exc.message)
