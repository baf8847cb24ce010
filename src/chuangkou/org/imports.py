"""A center's existing data (数据导入): the organisation (centers, departments, windows) and the
posting history (岗位记录), through core.importing: every error of every row, all or nothing,
audited. The staff import itself is in transfer.py."""

from collections import defaultdict

from django.db import transaction

from chuangkou.core import importing, xlsx
from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.importing import Column, Row, choice_of, parse_date, text_of
from chuangkou.core.roles import Role, has_role

from . import postings, structure
from .models import Assignment, Center, Department, Region, Staff, Window


class _AdminImport(importing.TableImport):
    """Imports of the organisation are the center admin's."""

    def check_permission(self) -> None:
        if not has_role(self.actor, Role.CENTER_ADMIN):
            raise PermissionDeniedError("只有中心管理员可以导入机构数据。")


def _region_code(row: Row) -> Region | None:
    code = row["区划代码"]
    if code is None:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        row.error("区划代码", f"没有区划代码为 {code} 的区县：请先导入中心（含区县）")
    return region


# --- centers ------------------------------------------------------------------------------


class CenterImport(_AdminImport):
    """服务中心 with their 区县: one row per center; a sub-center names its main center."""

    action = "org.import.centers"
    object_type = "org.center"
    columns = [
        Column("区划代码", parse=text_of(12)),
        Column("区县", parse=text_of(50)),
        Column("所属城市", parse=text_of(50)),
        Column("中心名称", parse=text_of(100)),
        Column("类型", parse=choice_of(Center.Kind.choices)),
        Column("上级中心", required=False, parse=text_of(100)),
        Column("地址", required=False, parse=text_of(200)),
    ]
    field_columns = {"region": "区划代码", "parent": "上级中心", "name": "中心名称"}

    def check_row(self, row: Row) -> None:
        if row["类型"] == Center.Kind.MAIN and row["上级中心"]:
            row.error("上级中心", "区行政服务中心没有上级中心")
        if row["类型"] == Center.Kind.SUB and not row["上级中心"] and not row.raw.get("上级中心"):
            row.error("上级中心", "分中心须填写上级中心")

    def check_rows(self, rows: list[Row]) -> None:
        _unique_pairs(rows, "区划代码", "中心名称", "同一区县")
        seen: dict[str, tuple] = {}
        earlier: set[tuple] = set()
        for row in rows:
            code = row["区划代码"]
            names = (row["区县"], row["所属城市"])
            if code and None not in names and seen.setdefault(code, names) != names:
                row.error("区县", f"与前面同一区划代码 {code} 的区县名称不一致")
            parent = row["上级中心"]
            if code and parent and (code, parent) not in earlier:
                if not Center.objects.filter(region__code=code, name=parent).exists():
                    row.error("上级中心", f"「{parent}」不在前面的行中，系统中也没有")
            earlier.add((code, row["中心名称"]))

    def write_row(self, row: Row) -> str:
        region = structure.save_region(
            actor=self.actor, code=row["区划代码"], name=row["区县"], city=row["所属城市"]
        )
        parent = None
        if row["上级中心"]:
            parent = Center.objects.get(region=region, name=row["上级中心"])
        _, created = structure.save_center(
            actor=self.actor,
            region=region,
            name=row["中心名称"],
            kind=row["类型"],
            parent=parent,
            address=row["地址"] or "",
        )
        return "created" if created else "updated"


def _unique_pairs(rows: list[Row], scope: str, column: str, within: str) -> None:
    """Report every row whose (`scope`, `column`) repeats an earlier row's."""
    first: dict = {}
    for row in rows:
        scope_value, value = row[scope], row[column]
        if scope_value is None or value is None:
            continue
        key = (getattr(scope_value, "pk", scope_value), value)
        if key in first:
            row.error(column, f"与第 {first[key]} 行重复（{within}）")
        else:
            first[key] = row.number


# --- departments --------------------------------------------------------------------------


class DepartmentImport(_AdminImport):
    """进驻部门 of a 区县 (imported with the centers first)."""

    action = "org.import.departments"
    object_type = "org.department"
    columns = [
        Column("区划代码", parse=text_of(12)),
        Column("部门编码", parse=text_of(20)),
        Column("部门名称", parse=text_of(100)),
    ]
    field_columns = {"name": "部门名称", "code": "部门编码"}

    def check_row(self, row: Row) -> None:
        row.values["区划代码"] = _region_code(row)

    def check_rows(self, rows: list[Row]) -> None:
        _unique_pairs(rows, "区划代码", "部门编码", "同一区县")
        _unique_pairs(rows, "区划代码", "部门名称", "同一区县")

    def write_row(self, row: Row) -> str:
        _, created = structure.save_department(
            actor=self.actor, region=row["区划代码"], code=row["部门编码"], name=row["部门名称"]
        )
        return "created" if created else "updated"


# --- windows ------------------------------------------------------------------------------

CATEGORY_SEPARATORS = "、，,;；/"


def _categories(value: object) -> list[str]:
    text = importing.text_of(1000)(value)
    for sep in CATEGORY_SEPARATORS:
        text = text.replace(sep, "、")
    names = [n.strip() for n in text.split("、") if n.strip()]
    too_long = [n for n in names if len(n) > 50]
    if too_long:
        raise DomainError(f"业务类别名称不能超过 50 个字：{too_long[0][:20]}…")
    return names


class WindowImport(_AdminImport):
    """窗口 of a center, with its department and 业务类别 (several, separated by 、)."""

    action = "org.import.windows"
    object_type = "org.window"
    columns = [
        Column("区划代码", parse=text_of(12)),
        Column("中心名称", parse=text_of(100)),
        Column("窗口号", parse=text_of(10)),
        Column("窗口名称", parse=text_of(100)),
        Column("部门编码", parse=text_of(20)),
        Column("业务类别", required=False, parse=_categories),
        Column("启用", required=False, parse=importing.parse_yes_no),
    ]
    field_columns = {"department": "部门编码"}

    def check_row(self, row: Row) -> None:
        region = _region_code(row)
        row.values["中心名称"] = self._center(row, region)
        row.values["部门编码"] = self._department(row, region)

    @staticmethod
    def _center(row: Row, region: Region | None) -> Center | None:
        name = row["中心名称"]
        if region is None or name is None:
            return None
        center = Center.objects.filter(region=region, name=name).first()
        if center is None:
            row.error("中心名称", f"{region.name}没有名为「{name}」的中心")
        return center

    @staticmethod
    def _department(row: Row, region: Region | None) -> Department | None:
        code = row["部门编码"]
        if region is None or code is None:
            return None
        department = Department.objects.filter(region=region, code=code).first()
        if department is None:
            row.error("部门编码", f"{region.name}没有编码为 {code} 的部门：请先导入部门")
        return department

    def check_rows(self, rows: list[Row]) -> None:
        _unique_pairs(rows, "中心名称", "窗口号", "同一中心")

    def write_row(self, row: Row) -> str:
        _, created = structure.save_window(
            actor=self.actor,
            center=row["中心名称"],
            number=row["窗口号"],
            name=row["窗口名称"],
            department=row["部门编码"],
            categories=row["业务类别"] or [],
            is_active=row.get("启用", True),
        )
        return "created" if created else "updated"


# --- posting history ----------------------------------------------------------------------

POSTING_FIELD_COLUMNS = {
    "kind": "类型",
    "center": "中心",
    "window": "窗口号",
    "start_date": "开始日期",
    "end_date": "结束日期",
}


class PostingImport(importing.TableImport):
    """岗位记录: the rows of one 工号 replace that person's whole posting history."""

    action = "org.import.postings"
    object_type = "org.assignment"
    columns = [
        Column("工号", parse=text_of(20)),
        Column("类型", parse=choice_of(Assignment.Kind.choices)),
        Column("中心", parse=text_of(100)),
        Column("窗口号", required=False, parse=text_of(10)),
        Column("开始日期", parse=parse_date),
        Column("结束日期", required=False, parse=parse_date),
        Column("备注", required=False, parse=text_of(200)),
    ]
    field_columns = POSTING_FIELD_COLUMNS

    def check_permission(self) -> None:
        if not has_role(self.actor, Role.CENTER_ADMIN):
            raise PermissionDeniedError("只有中心管理员可以导入岗位记录。")

    def check_row(self, row: Row) -> None:
        number = row["工号"]
        if number is not None:
            row.values["工号"] = Staff.objects.filter(staff_no=number).first()
            if row["工号"] is None:
                row.error("工号", f"没有工号为 {number} 的人员")
        center = self._center(row)
        row.values["中心"] = center
        if center is not None and row["窗口号"]:
            window = Window.objects.filter(center=center, number=row["窗口号"]).first()
            if window is None:
                row.error("窗口号", f"{center.name}没有 {row['窗口号']} 号窗口")
            row.values["窗口号"] = window

    @staticmethod
    def _center(row: Row) -> Center | None:
        name = row["中心"]
        if name is None:
            return None
        found = list(Center.objects.filter(name=name)[:2])
        if not found:
            row.error("中心", f"没有名为「{name}」的中心")
        elif len(found) > 1:
            row.error("中心", f"有多个名为「{name}」的中心")
        return found[0] if len(found) == 1 else None

    def check_rows(self, rows: list[Row]) -> None:
        for staff, group in _by_staff(rows).items():
            if not all(_complete(r) for r in group):
                continue
            for problem in postings.posting_problems(staff, [_posting(r) for r in group]):
                group[problem.index].error(POSTING_FIELD_COLUMNS[problem.field], problem.message)

    def write_rows(self, rows: list[Row], report: importing.ImportReport) -> None:
        """One service call per person (their rows replace their history)."""
        for staff, group in _by_staff(rows).items():
            if not all(r.ok for r in group):
                continue
            try:
                with transaction.atomic():
                    postings.replace_postings(
                        actor=self.actor, staff=staff, postings=[_posting(r) for r in group]
                    )
            except DomainError as exc:
                group[0].error(self.column_of(exc.field), exc.message)
            else:
                report.created += len(group)


def _by_staff(rows: list[Row]) -> dict[Staff, list[Row]]:
    groups: dict[Staff, list[Row]] = defaultdict(list)
    for row in rows:
        if isinstance(row["工号"], Staff):
            groups[row["工号"]].append(row)
    return groups


def _complete(row: Row) -> bool:
    """Whether the cells the posting rules need were read (other cells may still be wrong)."""
    return bool(row["类型"] and isinstance(row["中心"], Center) and row["开始日期"])


def _posting(row: Row) -> postings.Posting:
    return postings.Posting(
        kind=row["类型"],
        center=row["中心"],
        window=row["窗口号"],
        start=row["开始日期"],
        end=row["结束日期"],
        note=row["备注"] or "",
    )


# --- the templates ------------------------------------------------------------------------

EXAMPLES = {
    CenterImport: [
        ["330103", "下城区", "杭州市", "下城区行政服务中心", "区行政服务中心", "", "环城北路"],
        ["330103", "下城区", "杭州市", "武林街道分中心", "分中心", "下城区行政服务中心", ""],
    ],
    DepartmentImport: [["330103", "SCJG", "区市场监管局"]],
    WindowImport: [
        ["330103", "下城区行政服务中心", "A01", "商事登记", "SCJG", "商事登记、综合受理", "是"]
    ],
    PostingImport: [
        ["CK00001", "常驻", "下城区行政服务中心", "A01", "2016-05-03", "2018-02-28", "入职"],
        ["CK00001", "阶段性进驻交流", "武林街道分中心", "", "2018-03-01", "2018-05-31", ""],
        ["CK00001", "常驻", "下城区行政服务中心", "A02", "2018-03-01", "", "调岗"],
    ],
}
TEXT_COLUMNS = ("区划代码", "部门编码", "窗口号", "工号")


def template(kind: type[importing.TableImport], title: str) -> bytes:
    headers = [c.header for c in kind.columns]
    return xlsx.write_table(title, headers, EXAMPLES[kind], text_columns=TEXT_COLUMNS)
