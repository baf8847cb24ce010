"""The shared import mechanism (core/importing.py): every error of every row at once, all or
nothing, every attempt audited, xlsx and csv, and each app's import on top of it."""

import csv
import io

import pytest
from openpyxl import Workbook

from chuangkou import cli
from chuangkou.core import importing
from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry
from chuangkou.org.models import Department

TEN = [f"列{i}" for i in range(1, 11)]


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


def _number(value):
    return int(str(value))


class DepartmentsImport(importing.TableImport):
    """A toy import: ten number columns; a row makes one department named after their sum."""

    action = "test.import"
    columns = [importing.Column(h, parse=_number) for h in TEN]

    def __init__(self, *, actor, region, explode=False):
        super().__init__(actor=actor)
        self.region, self.explode = region, explode

    def check_row(self, row):
        if row["列1"] is not None and row["列1"] > 100:
            row.error("列1", "不能超过 100")

    def write_row(self, row):
        if self.explode:
            raise RuntimeError("disk full")
        total = sum(row[h] for h in TEN)
        Department.objects.create(region=self.region, code=f"T{total}", name=f"部门{total}")
        return "created"


def last_attempt():
    return AuditEntry.objects.filter(action="test.import").latest("id")


def test_a_row_with_ten_bad_cells_lists_ten_errors_and_writes_nothing(org_small):
    before = Department.objects.count()
    content = xlsx_bytes(TEN, [[1] * 10, ["x"] * 10, [2] * 10])
    report = DepartmentsImport(actor=org_small.admin, region=org_small.main.region).run(
        content=content, filename="部门.xlsx"
    )
    assert not report.ok and report.error_count == 10 and report.rows == 3
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, h, "x") for h in TEN]
    assert all(e.message == "格式不正确" for e in report.errors)
    assert Department.objects.count() == before
    attempt = last_attempt()
    assert attempt.actor == org_small.admin
    assert attempt.after == {
        "file": "部门.xlsx",
        "rows": 3,
        "errors": 10,
        "result": "rejected",
        "created": 0,
        "updated": 0,
    }


def test_checks_across_cells_and_missing_cells_are_reported_beside_bad_ones(org_small):
    content = csv_bytes(TEN, [[101, "", "y", *[1] * 7]])
    report = DepartmentsImport(actor=org_small.admin, region=org_small.main.region).run(
        content=content, filename="部门.csv"
    )
    assert [(e.column, e.message) for e in report.errors] == [
        ("列2", "不能为空"),
        ("列3", "格式不正确"),
        ("列1", "不能超过 100"),
    ]


def test_a_clean_file_is_written_and_audited_as_succeeded(org_small):
    content = csv_bytes(TEN, [[1] * 10, [], [2] * 10], encoding="gb18030")
    report = DepartmentsImport(actor=org_small.admin, region=org_small.main.region).run(
        content=content, filename="部门.csv"
    )
    assert report.ok and (report.rows, report.created) == (2, 2)
    assert Department.objects.filter(name__in=["部门10", "部门20"]).count() == 2
    assert last_attempt().after["result"] == "succeeded"


def test_an_aborted_import_is_audited_and_reported_in_chinese(org_small):
    before = Department.objects.count()
    importer = DepartmentsImport(actor=org_small.admin, region=org_small.main.region, explode=True)
    with pytest.raises(DomainError, match="系统错误"):
        importer.run(content=xlsx_bytes(TEN, [[1] * 10]), filename="部门.xlsx")
    assert Department.objects.count() == before
    assert last_attempt().after["result"] == "aborted"


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"not a workbook", "a.xlsx", "无法读取文件"),
        (csv_bytes(["列1"], [[1]]), "a.csv", "表头缺少列"),
        (csv_bytes(TEN, []), "a.csv", "没有数据行"),
    ],
)
def test_a_file_that_is_not_a_table_is_refused_and_audited(org_small, content, filename, message):
    importer = DepartmentsImport(actor=org_small.admin, region=org_small.main.region)
    with pytest.raises(DomainError, match=message):
        importer.run(content=content, filename=filename)
    attempt = last_attempt()
    assert attempt.after["result"] == "rejected" and attempt.after["errors"] == 1


def test_errors_beyond_the_listed_ones_are_counted(org_small):
    rows = [["x"] * 10] * (importing.MAX_ERRORS_LISTED // 10 + 5)
    report = DepartmentsImport(actor=org_small.admin, region=org_small.main.region).run(
        content=csv_bytes(TEN, rows), filename="a.csv"
    )
    assert len(report.errors) == importing.MAX_ERRORS_LISTED
    assert report.more_errors == 50 and report.error_count == importing.MAX_ERRORS_LISTED + 50


# --- each app's import: a row with every cell wrong lists each of them ------------------------


def test_staff_import_lists_every_bad_cell_of_a_row(org_small):
    from chuangkou.org import transfer

    bad = {
        "姓名": "",
        "性别": "未知",
        "用工性质": "外星",
        "业务类别": "无此类别",
        "部门": "无此部门",
        "所在中心": "无此中心",
        "入职日期": "2018-13-45",
        "手机号": "12345",
        "身份证号": "123",
        "状态": "消失",
    }
    headers = [c.header for c in transfer.IMPORT_COLUMNS]
    content = xlsx_bytes(headers, [[bad.get(h, "") for h in headers]])
    report = transfer.import_staff(actor=org_small.admin, content=content, filename="人员.xlsx")
    assert {e.column for e in report.errors} >= set(bad)
    assert report.error_count >= 10
    assert AuditEntry.objects.get(action="org.import").after["result"] == "rejected"


def test_catalog_import_lists_every_bad_cell_of_a_row(org_small):
    from chuangkou.catalog import transfer

    bad = {
        "事项编码": "坏 码",
        "事项名称": "",
        "部门": "无此部门",
        "事项类型": "无此类型",
        "承诺时限": "-3",
        "最多跑动次数": "很多",
        "可网办": "也许",
        "材料名称": "申请书",
        "是否必需": "不一定",
        "材料形式": "口头",
        "份数": "0",
    }
    content = xlsx_bytes(transfer.HEADERS, [[bad[h] for h in transfer.HEADERS]])
    report = transfer.import_catalog(actor=org_small.admin, content=content, filename="目录.xlsx")
    assert report.error_count >= 10
    assert {e.column for e in report.errors} >= set(bad) - {"材料名称"}


def test_case_import_lists_every_bad_cell_of_a_row(org_small):
    from chuangkou.cases.imports import HEADERS
    from chuangkou.cases.imports.checking import Checker, Lookups

    bad = {
        "受理编号": "X" * 40,
        "事项编码": "NO-SUCH",
        "受理渠道": "飞鸽",
        "中心": "无此中心",
        "受理人工号": "CK-NONE",
        "申请人类型": "外星人",
        "申请人": "长" * 201,
        "联系电话": "123",
        "受理时间": "昨天",
        "状态": "失踪",
        "跑动次数": "很多",
        "承诺办结日期": "下周",
    }
    import zoneinfo

    from django.utils import timezone

    checker = Checker(Lookups.load(), zoneinfo.ZoneInfo("Asia/Shanghai"), timezone.now())
    assert checker.check(2, {h: bad.get(h, "") for h in HEADERS}) is None
    assert {e.column for e in checker.errors} == set(bad)
    assert checker.error_count == 12


def test_question_import_lists_every_bad_cell_of_a_row(org_small):
    from chuangkou.exams import transfer

    bad = {"题型": "猜谜题", "难度": "9", "来源": "梦里", "知识点": "无此知识点", "题干": ""}
    content = xlsx_bytes(transfer.HEADERS, [[bad.get(h, "") for h in transfer.HEADERS]])
    report = transfer.import_questions(
        actor=org_small.admin, content_bytes=content, filename="题库.xlsx"
    )
    assert {e.column for e in report.errors} == set(bad)
    assert AuditEntry.objects.get(action="exams.import").after["errors"] == 5


# --- command line: --as USERNAME ----------------------------------------------------------------


def test_the_command_line_import_is_audited_under_the_named_person(org_small, tmp_path, capsys):
    from chuangkou.org import transfer

    headers = [c.header for c in transfer.IMPORT_COLUMNS]
    good = {
        "姓名": "命令行",
        "性别": "女",
        "用工性质": "临编",
        "部门": "市场监管局",
        "所在中心": "下城区行政服务中心",
        "入职日期": "2018-03-01",
    }
    path = tmp_path / "人员.xlsx"
    path.write_bytes(xlsx_bytes(headers, [[good.get(h, "") for h in headers]]))
    admin = org_small.admin.username
    assert cli.main(["import", "staff", str(path), "--as", admin]) == 0
    entry = AuditEntry.objects.get(action="org.import")
    assert entry.actor == org_small.admin and entry.after["result"] == "succeeded"
    assert "导入成功" in capsys.readouterr().out


def test_the_command_line_refuses_an_unknown_or_inactive_account(org_small, tmp_path, capsys):
    path = tmp_path / "人员.xlsx"
    path.write_bytes(xlsx_bytes(["姓名"], [["某"]]))
    assert cli.main(["import", "staff", str(path), "--as", "nobody"]) == 1
    assert "没有名为「nobody」的在用账号" in capsys.readouterr().err
    org_small.admin.is_active = False
    org_small.admin.save(update_fields=["is_active"])
    assert cli.main(["import", "staff", str(path), "--as", org_small.admin.username]) == 1
    assert not AuditEntry.objects.filter(action="org.import").exists()
    with pytest.raises(SystemExit):
        cli.main(["import", "staff", str(path)])  # --as is required
