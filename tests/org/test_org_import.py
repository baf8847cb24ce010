"""Imports of a center's organisation (centers with regions, departments, windows with their
categories) and of the posting history: every row of a good file, every error of a bad one and
nothing written, one audit entry per attempt."""

import datetime as dt

import pytest

from chuangkou.core.errors import DomainError, PermissionDeniedError
from chuangkou.core.models import AuditEntry
from chuangkou.org import imports, postings, services
from chuangkou.org.models import Assignment, Center, Department, Region, Staff, Window

from ..tables import csv_bytes, last_audit, xlsx_bytes

D = dt.date


def _headers(kind) -> list[str]:
    return [c.header for c in kind.columns]


def _run(kind, actor, rows, *, csv=False):
    headers = _headers(kind)
    if csv:
        return kind(actor=actor).run(content=csv_bytes(headers, rows), filename="t.csv")
    return kind(actor=actor).run(content=xlsx_bytes(headers, rows), filename="t.xlsx")


# --- centers, departments, windows ------------------------------------------------------------


def test_centers_with_their_regions_import_from_csv(org_small):
    rows = [
        ["330105", "拱墅区", "杭州市", "拱墅区行政服务中心", "区行政服务中心", "", "莫干山路"],
        ["330105", "拱墅区", "杭州市", "米市巷街道分中心", "分中心", "拱墅区行政服务中心", ""],
        [
            org_small.region.code,
            org_small.region.name,
            org_small.region.city,
            org_small.sub.name,
            "分中心",
            org_small.main.name,
            "新地址",
        ],
    ]
    report = _run(imports.CenterImport, org_small.admin, rows, csv=True)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (2, 1)
    region = Region.objects.get(code="330105")
    sub = Center.objects.get(region=region, name="米市巷街道分中心")
    assert sub.parent.name == "拱墅区行政服务中心" and sub.kind == Center.Kind.SUB
    org_small.sub.refresh_from_db()
    assert org_small.sub.address == "新地址"
    entry = last_audit("org.import.centers")
    assert entry.after["result"] == "succeeded" and entry.after["rows"] == 3


def test_a_center_row_with_many_bad_cells_lists_each_and_writes_nothing(org_small):
    rows = [
        ["330105", "拱墅区", "杭州市", "拱墅区行政服务中心", "区行政服务中心", "", ""],
        ["3301059999999", "", "杭州市", "x" * 101, "总中心", "", "y" * 201],
        ["330105", "拱墅区X", "杭州市", "某分中心", "分中心", "不存在的中心", ""],
    ]
    report = _run(imports.CenterImport, org_small.admin, rows)
    assert not report.ok
    bad = {(e.row, e.column) for e in report.errors}
    assert {(3, "区划代码"), (3, "区县"), (3, "中心名称"), (3, "类型"), (3, "地址")} <= bad
    assert {(4, "区县"), (4, "上级中心")} <= bad
    assert not Region.objects.filter(code="330105").exists()
    entry = last_audit("org.import.centers")
    assert entry.after["result"] == "rejected" and entry.after["errors"] == report.error_count


def test_departments_then_windows_with_categories(org_small):
    code = org_small.region.code
    report = _run(
        imports.DepartmentImport,
        org_small.admin,
        [[code, "GJJ", "公积金中心"], [code, "SCJG", "区市场监管局"]],
    )
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    assert Department.objects.get(region=org_small.region, code="SCJG").name == "区市场监管局"
    rows = [
        [code, org_small.main.name, "G01", "公积金", "GJJ", "公积金、不动产，综合受理", "是"],
        [code, org_small.main.name, "A01", "商事登记", "SCJG", "", "否"],
    ]
    report = _run(imports.WindowImport, org_small.admin, rows)
    assert report.ok, report.errors
    g01 = Window.objects.get(center=org_small.main, number="G01")
    assert sorted(c.name for c in g01.categories.all()) == ["不动产", "公积金", "综合受理"]
    org_small.w_a01.refresh_from_db()
    assert org_small.w_a01.is_active is False
    assert last_audit("org.import.windows").after["result"] == "succeeded"
    assert last_audit("org.window.create").object_id == str(g01.pk)


def test_a_window_row_with_many_bad_cells_lists_each_and_writes_nothing(org_small):
    code = org_small.region.code
    rows = [
        [code, org_small.main.name, "G01", "公积金", "SCJG", "", ""],
        ["999999", "某中心", "G0000000001", "", "NOPE", "x" * 60, "也许"],
        [code, "某中心", "G02", "窗口", "NOPE", "", ""],
        [code, org_small.main.name, "G01", "重复", "SCJG", "", ""],
    ]
    report = _run(imports.WindowImport, org_small.admin, rows)
    bad = {(e.row, e.column) for e in report.errors}
    assert {(3, "区划代码"), (3, "窗口号"), (3, "窗口名称"), (3, "业务类别"), (3, "启用")} <= bad
    assert {(4, "中心名称"), (4, "部门编码"), (5, "窗口号")} <= bad
    assert not Window.objects.filter(number="G01").exists()
    assert last_audit("org.import.windows").after["result"] == "rejected"


def test_only_the_center_admin_imports_the_organisation(org_small):
    with pytest.raises(PermissionDeniedError):
        _run(imports.DepartmentImport, org_small.head_a, [["1", "2", "3"]])


def test_the_import_pages_and_templates(org_small, client_as):
    client = client_as(org_small.admin)
    for kind in ("centers", "departments", "windows", "postings"):
        assert client.get(f"/staff/data-import/{kind}/").status_code == 200
        template = client.get(f"/staff/data-import/{kind}/template.xlsx")
        assert template.status_code == 200 and template.content[:2] == b"PK"
    assert client.get("/staff/data-import/nothing/").status_code == 404
    content = xlsx_bytes(["区划代码", "部门编码", "部门名称"], [[org_small.region.code, "", ""]])
    page = client.post(
        "/staff/data-import/departments/",
        {"file": _upload("d.xlsx", content)},
    )
    assert page.status_code == 200 and "不能为空" in page.content.decode()


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


# --- posting history -------------------------------------------------------------------------


def test_a_posting_history_replaces_each_persons_postings(org_small):
    a2 = org_small.a2
    hire = a2.hire_date
    main, sub = org_small.main.name, org_small.sub.name
    rows = [
        [a2.staff_no, "常驻", main, "A01", hire, hire + dt.timedelta(days=99), "入职"],
        [
            a2.staff_no,
            "阶段性进驻交流",
            sub,
            "S01",
            hire + dt.timedelta(days=10),
            hire + dt.timedelta(days=40),
            "",
        ],
        [a2.staff_no, "常驻", main, "B01", hire + dt.timedelta(days=100), "", "调岗"],
        [org_small.s1.staff_no, "常驻", sub, "S01", org_small.s1.hire_date, "", ""],
    ]
    report = _run(imports.PostingImport, org_small.admin, rows)
    assert report.ok, report.errors
    assert report.created == 4
    history = list(a2.assignments.order_by("start_date", "kind"))
    assert [(h.kind, h.window.number) for h in history] == [
        ("regular", "A01"),
        ("exchange", "S01"),
        ("regular", "B01"),
    ]
    a2.refresh_from_db()
    assert a2.window == org_small.w_b01 and a2.center == org_small.main
    entry = last_audit("org.import.postings")
    assert entry.after["result"] == "succeeded"
    replaced = AuditEntry.objects.get(action="staff.postings.replace", object_id=str(a2.pk))
    assert replaced.after["postings"][2][2] == "B01"


def test_posting_rows_with_many_bad_cells_list_each_and_write_nothing(org_small):
    a2, s1 = org_small.a2, org_small.s1
    before = Assignment.objects.count()
    hire = a2.hire_date
    rows = [
        ["CK-NOBODY", "借调", "没有的中心", "Z9", "2018-13-01", "昨天", ""],
        [a2.staff_no, "常驻", org_small.main.name, "S01", hire - dt.timedelta(days=1), "", ""],
        [a2.staff_no, "阶段性进驻交流", org_small.main.name, "", hire, "", ""],
        [s1.staff_no, "常驻", org_small.sub.name, "", s1.hire_date, "", ""],
        [s1.staff_no, "常驻", org_small.sub.name, "", s1.hire_date, "", ""],
    ]
    report = _run(imports.PostingImport, org_small.admin, rows)
    bad = {(e.row, e.column) for e in report.errors}
    assert {(2, "工号"), (2, "类型"), (2, "中心"), (2, "开始日期"), (2, "结束日期")} <= bad
    assert {(3, "窗口号"), (4, "结束日期"), (6, "开始日期")} <= bad
    assert Assignment.objects.count() == before
    assert last_audit("org.import.postings").after["result"] == "rejected"


def test_replacing_postings_keeps_the_rules_of_the_service(org_small):
    a2 = org_small.a2
    start = a2.hire_date
    home_exchange = postings.Posting(
        kind="exchange", center=org_small.main, start=start, end=start + dt.timedelta(days=5)
    )
    regular = postings.Posting(kind="regular", center=org_small.main, start=start)
    problems = postings.posting_problems(a2, [regular, home_exchange])
    assert [(p.index, p.field) for p in problems] == [(1, "center")]
    with pytest.raises(DomainError):
        postings.replace_postings(actor=org_small.admin, staff=a2, postings=[home_exchange])
    with pytest.raises(PermissionDeniedError):
        postings.replace_postings(actor=org_small.head_a, staff=org_small.b1, postings=[regular])


def test_postings_of_a_person_who_left_close_at_the_separation(org_small):
    a3 = org_small.a3
    left = a3.hire_date + dt.timedelta(days=300)
    services.record_separation(actor=org_small.admin, staff=a3, date=left, reason="pay")
    after_leaving = postings.Posting(
        kind="regular", center=org_small.main, start=left + dt.timedelta(days=1)
    )
    problems = postings.posting_problems(a3, [after_leaving])
    assert problems and problems[0].field == "start_date"
    postings.replace_postings(
        actor=org_small.admin,
        staff=a3,
        postings=[postings.Posting(kind="regular", center=org_small.sub, start=a3.hire_date)],
    )
    (only,) = a3.assignments.all()
    assert only.end_date == left
    a3.refresh_from_db()
    assert a3.center == org_small.sub and a3.window is None and a3.status == Staff.Status.LEFT


def test_the_command_line_imports_departments_as_the_named_person(org_small, tmp_path):
    from chuangkou import cli

    path = tmp_path / "部门.csv"
    path.write_bytes(
        csv_bytes(
            _headers(imports.DepartmentImport), [[org_small.region.code, "GJJ", "公积金中心"]]
        )
    )
    assert cli.main(["import", "departments", str(path), "--as", org_small.admin.username]) == 0
    assert Department.objects.filter(code="GJJ").exists()
    assert last_audit("org.import.departments").actor == org_small.admin
