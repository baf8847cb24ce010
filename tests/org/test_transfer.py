"""Excel import and export of staff (org/transfer.py through core/xlsx.py)."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry
from chuangkou.org import transfer
from chuangkou.org.models import Staff
from chuangkou.org.selectors import staff_visible_to

from ..factories import make_id_number

HEADERS = [c.header for c in transfer.IMPORT_COLUMNS]


def workbook(rows, headers=HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def row(**values):
    """A good import row for org_small; override columns by header name."""
    base = {
        "工号": "",
        "姓名": "新人",
        "性别": "女",
        "用工性质": "临编",
        "业务类别": "",
        "部门": "市场监管局",
        "所在中心": "下城区行政服务中心",
        "窗口号": "A01",
        "入职日期": "2018-03-01",
        "手机号": "13800000000",
        "身份证号": "",
        "状态": "",
        "离职日期": "",
        "离职原因": "",
        "离职说明": "",
    }
    base.update(values)
    return [base[h] for h in HEADERS]


def read_back(content: bytes) -> list[list]:
    ws = load_workbook(io.BytesIO(content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_a_good_file_creates_every_row(org_small):
    before = Staff.objects.count()
    content = workbook(
        [
            row(姓名="赵一", 身份证号=make_id_number(901), 业务类别="商事登记"),
            row(
                姓名="赵二",
                性别="M",
                用工性质="regular",
                部门="人力社保局",
                窗口号="B01",
                入职日期=dt.datetime(2017, 9, 1),  # noqa: DTZ001 (Excel cells are naive)
                手机号=13900001111,  # a number cell
            ),
            row(姓名="赵三", 所在中心="武林街道分中心", 窗口号="S01", 入职日期="2016/5/3"),
            [None] * len(HEADERS),  # blank rows are skipped
            row(姓名=" 赵四 ", 窗口号="", 工号="XC-001", 入职日期="2016.05.03"),
        ]
    )
    report = transfer.import_staff(actor=org_small.admin, content=content)
    assert report.ok, [str(e) for e in report.errors]
    assert report.rows == 4 and report.created == 4
    assert Staff.objects.count() == before + 4
    zhao2 = Staff.objects.get(name="赵二")
    assert (zhao2.gender, zhao2.employment_type, zhao2.department) == (
        "M",
        "regular",
        org_small.dept_b,
    )
    assert zhao2.hire_date == dt.date(2017, 9, 1) and zhao2.phone == "13900001111"
    assert zhao2.window == org_small.w_b01
    assert Staff.objects.get(name="赵一").category == org_small.category
    assert Staff.objects.get(name="赵三").window == org_small.w_s01
    zhao4 = Staff.objects.get(name="赵四")
    assert zhao4.staff_no == "XC-001" and zhao4.window is None
    assert zhao4.hire_date == dt.date(2016, 5, 3)
    entries = AuditEntry.objects.filter(action="staff.create")
    assert entries.count() == 4
    assert all(e.actor == org_small.admin for e in entries)


def test_a_file_with_broken_rows_writes_nothing_and_reports_every_error(org_small):
    before = Staff.objects.count(), AuditEntry.objects.count()
    good_id = make_id_number(902)
    wrong_check = good_id[:17] + ("1" if good_id[17] != "1" else "2")
    content = workbook(
        [
            row(姓名="好人"),  # row 2: fine
            row(姓名="钱二", 部门="不存在局"),  # row 3
            row(姓名="钱三", 入职日期="2018-13-45"),  # row 4
            row(姓名=""),  # row 5
            row(姓名="钱五", 身份证号=wrong_check),  # row 6
            row(姓名="钱六", 窗口号="S01"),  # row 7: S01 is the sub-center's
            row(姓名="钱七", 身份证号=make_id_number(903)),  # row 8
            row(姓名="钱八", 身份证号=make_id_number(903)),  # row 9: same as row 8
            row(姓名="钱九", 身份证号=org_small.b1.id_number),  # row 10: b1 has it
            row(姓名="钱十", 性别="未知"),  # row 11
            row(姓名="钱十一", 手机号="12345"),  # row 12
        ]
    )
    report = transfer.import_staff(actor=org_small.admin, content=content)
    assert not report.ok and report.created == 0 and report.rows == 11
    found = {(e.row, e.column) for e in report.errors}
    assert found == {
        (3, "部门"),
        (4, "入职日期"),
        (5, "姓名"),
        (6, "身份证号"),
        (7, "窗口号"),
        (9, "身份证号"),
        (10, "身份证号"),
        (11, "性别"),
        (12, "手机号"),
    }
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "部门")] == "没有名为「不存在局」的部门"
    assert messages[(4, "入职日期")] == "日期格式应为 2018-06-30。"
    assert messages[(5, "姓名")] == "不能为空"
    assert "校验位" in messages[(6, "身份证号")]
    assert messages[(7, "窗口号")] == "下城区行政服务中心没有 S01 号窗口"
    assert messages[(9, "身份证号")] == "与第 8 行重复"
    assert messages[(10, "身份证号")] == "该身份证号已登记在另一名人员名下。"
    assert "男、女" in messages[(11, "性别")]
    assert "11 位" in messages[(12, "手机号")]
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)
    assert str(report.errors[0]) == "第 3 行「部门」列：没有名为「不存在局」的部门"
    # nothing was written, not even the good rows or their audit entries: only the attempt
    assert (Staff.objects.count(), AuditEntry.objects.count()) == (before[0], before[1] + 1)
    attempt = AuditEntry.objects.get(action="org.import")
    assert attempt.actor == org_small.admin
    assert attempt.after["result"] == "rejected" and attempt.after["errors"] == 9
    assert not Staff.objects.filter(name="好人").exists()


def test_a_future_hire_date_is_reported_on_its_column(org_small):
    tomorrow = timezone.localdate() + dt.timedelta(days=2)
    report = transfer.import_staff(
        actor=org_small.admin, content=workbook([row(入职日期=tomorrow.isoformat())])
    )
    assert [(e.row, e.column) for e in report.errors] == [(2, "入职日期")]


def test_a_dept_head_may_import_only_their_department(org_small):
    content = workbook([row(姓名="甲新"), row(姓名="乙新", 部门="人力社保局", 窗口号="B01")])
    report = transfer.import_staff(actor=org_small.head_a, content=content)
    assert [(e.row, e.column) for e in report.errors] == [(3, "整行")]
    assert not Staff.objects.filter(name="甲新").exists()


def test_not_an_xlsx_file(org_small):
    with pytest.raises(DomainError) as exc:
        transfer.import_staff(
            actor=org_small.admin, content=b"name,phone\n\xe5\xbc\xa0,1\n", filename="a.xlsx"
        )
    assert "无法读取文件" in exc.value.message


def test_a_missing_column_is_named(org_small):
    headers = [h for h in HEADERS if h not in ("部门", "入职日期")]
    with pytest.raises(DomainError) as exc:
        transfer.import_staff(actor=org_small.admin, content=workbook([], headers=headers))
    assert exc.value.message == "表头缺少列：部门、入职日期。请使用导入模板。"


def test_columns_may_come_in_any_order_with_extras(org_small):
    headers = ["备注", *reversed(HEADERS)]
    values = ["随便", *reversed(row(姓名="倒序"))]
    report = transfer.import_staff(actor=org_small.admin, content=workbook([values], headers))
    assert report.ok and Staff.objects.filter(name="倒序").exists()


def test_a_file_without_rows(org_small):
    with pytest.raises(DomainError) as exc:
        transfer.import_staff(actor=org_small.admin, content=workbook([[None], []]))
    assert "没有数据行" in exc.value.message


def test_the_import_template_reads_back_with_the_import_headers(org_small):
    rows = read_back(transfer.import_template())
    assert rows[0] == HEADERS


# --- export ---------------------------------------------------------------------------------


def test_export_for_the_admin_is_unmasked(org_small):
    content = transfer.export_staff(staff_visible_to(org_small.admin), viewer=org_small.admin)
    rows = read_back(content)
    assert rows[0] == transfer.EXPORT_HEADERS
    assert len(rows) == 1 + 6
    by_no = {r[0]: dict(zip(transfer.EXPORT_HEADERS, r, strict=True)) for r in rows[1:]}
    a2 = by_no[org_small.a2.staff_no]
    assert a2["姓名"] == "甲二" and a2["用工性质"] == "在编" and a2["性别"] == "女"
    assert a2["手机号"] == org_small.a2.phone and a2["身份证号"] == org_small.a2.id_number
    assert a2["窗口号"] == "A01" and a2["部门"] == "市场监管局"
    assert a2["入职日期"].date() == dt.date(2018, 3, 1)
    assert a2["离职日期"] is None


def test_export_for_a_dept_head_is_masked_and_scoped(org_small):
    content = transfer.export_staff(staff_visible_to(org_small.head_a), viewer=org_small.head_a)
    rows = read_back(content)
    assert rows[0] == transfer.EXPORT_HEADERS
    assert {r[1] for r in rows[1:]} == {"甲一", "甲二", "甲三", "丙一"}
    phone, id_number = (
        transfer.EXPORT_HEADERS.index("手机号"),
        transfer.EXPORT_HEADERS.index("身份证号"),
    )
    for r in rows[1:]:
        staff = Staff.objects.get(staff_no=r[0])
        assert r[phone] == staff.phone[:3] + "****" + staff.phone[-4:]
        assert r[id_number] == staff.id_number[:3] + "*" * 11 + staff.id_number[-4:]


def test_export_shows_the_separation(org_small):
    from chuangkou.org import services

    services.record_separation(
        actor=org_small.admin, staff=org_small.b2, date=dt.date(2018, 8, 31), reason="pay"
    )
    rows = read_back(transfer.export_staff(Staff.objects.all(), viewer=org_small.admin))
    b2 = next(r for r in rows if r[0] == org_small.b2.staff_no)
    record = dict(zip(transfer.EXPORT_HEADERS, b2, strict=True))
    assert record["状态"] == "离职" and record["离职日期"].date() == dt.date(2018, 8, 31)


def test_an_export_imports_back(org_small):
    """Round trip: the export of the admin is a valid import file (after new IDs)."""
    exported = read_back(transfer.export_staff(Staff.objects.all(), viewer=org_small.admin))
    header = exported[0]
    rows = []
    for n, values in enumerate(exported[1:]):
        record = dict(zip(header, values, strict=True))
        record.update(工号="", 身份证号=make_id_number(950 + n), 姓名=record["姓名"] + "复")
        rows.append([record.get(h) for h in HEADERS])
    report = transfer.import_staff(actor=org_small.admin, content=workbook(rows))
    assert report.ok, [str(e) for e in report.errors]
    assert Staff.objects.filter(name__endswith="复").count() == 6


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2018-06-30", dt.date(2018, 6, 30)),
        ("2018/6/30", dt.date(2018, 6, 30)),
        ("2018.06.30", dt.date(2018, 6, 30)),
        ("2018年6月3日", dt.date(2018, 6, 3)),
        (dt.datetime(2018, 6, 30, 0, 0), dt.date(2018, 6, 30)),  # noqa: DTZ001
        (dt.date(2018, 6, 30), dt.date(2018, 6, 30)),
    ],
)
def test_parse_date_accepts_the_usual_ways_of_writing_a_date(value, expected):
    from chuangkou.core.xlsx import parse_date

    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value", ["2018-02-30", "30/06/2018", "2018-6", "昨天", 43281, "2018-06-30x"]
)
def test_parse_date_refuses_other_text(value):
    from chuangkou.core.xlsx import parse_date

    with pytest.raises(DomainError):
        parse_date(value)
