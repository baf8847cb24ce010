"""Staff pages: list (filters, pages, htmx, export), forms, import, turnover.

Bad input never gives a 500."""

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from chuangkou.core.models import AuditEntry
from chuangkou.core.xlsx import XLSX_CONTENT_TYPE
from chuangkou.org import services, transfer
from chuangkou.org.models import Assignment, Separation, Staff

from ..factories import StaffFactory, make_id_number


@pytest.fixture
def admin(org_small, client_as):
    return client_as(org_small.admin)


def _names(response) -> list[str]:
    assert response.status_code == 200
    return [s.name for s in response.context["page"].object_list]


def _xlsx(rows, headers=None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers or [c.header for c in transfer.IMPORT_COLUMNS])
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- list -----------------------------------------------------------------------------------


def test_staff_list_filters(org_small, admin):
    assert _names(admin.get("/staff/")) == [
        s.name for s in sorted(org_small.staff, key=lambda s: s.staff_no)
    ]
    assert _names(admin.get("/staff/", {"q": "甲"})) == ["甲一", "甲二", "甲三"]
    assert _names(admin.get("/staff/", {"employment_type": "agency"})) == ["乙二"]
    assert _names(admin.get("/staff/", {"department": org_small.dept_b.pk})) == ["乙一", "乙二"]
    assert _names(admin.get("/staff/", {"center": org_small.sub.pk, "status": "active"})) == [
        "丙一"
    ]


def test_staff_list_pages(org_small, admin):
    StaffFactory.create_batch(24, department=org_small.dept_b, center=org_small.main)
    first = admin.get("/staff/")
    assert len(_names(first)) == 25
    body = first.content.decode()
    assert "共 30 条，第 1/2 页" in body
    assert len(_names(admin.get("/staff/", {"page": 2}))) == 5
    assert _names(admin.get("/staff/", {"page": 2, "department": org_small.dept_b.pk})) == [
        Staff.objects.filter(department=org_small.dept_b).order_by("staff_no").last().name
    ]  # 26 in B: one on the second page
    assert len(_names(admin.get("/staff/", {"page": 7}))) == 5  # past the end: the last page
    # page links keep the filters
    filtered = admin.get("/staff/", {"department": org_small.dept_b.pk}).content.decode()
    assert f"department={org_small.dept_b.pk}&amp;page=2" in filtered


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999999999"},
        {"department": "xyz"},
        {"center": "1.5"},
        {"category": "[]"},
        {"employment_type": "<script>alert(1)</script>"},
        {"q": "x" * 300},
        {"status": "gone", "export": "csv"},
    ],
)
def test_bad_query_parameters_never_500(org_small, admin, params):
    response = admin.get("/staff/", params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_an_invalid_filter_shows_everyone_with_a_warning(org_small, admin):
    response = admin.get("/staff/", {"department": "xyz"})
    assert len(_names(response)) == 6
    assert "筛选条件无效" in response.content.decode()


def test_htmx_request_gets_only_the_table(org_small, admin):
    response = admin.get("/staff/", {"q": "乙"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="staff-table"' in body
    assert "<html" not in body and "<form" not in body and "navbar" not in body
    assert "乙一" in body and "甲一" not in body
    templates = {t.name for t in response.templates}
    assert "org/_staff_table.html" in templates and "base.html" not in templates
    # the export link is swapped out of band so that it exports what is shown
    assert 'hx-swap-oob="true"' in body and "q=%E4%B9%99&amp;export=xlsx" in body
    full = admin.get("/staff/", {"q": "乙"})
    assert "<html" in full.content.decode()


def test_list_shows_masked_phones_even_to_the_admin(org_small, admin):
    body = admin.get("/staff/").content.decode()
    assert org_small.a1.phone not in body
    assert org_small.a1.masked_phone in body


def test_export(org_small, admin):
    response = admin.get("/staff/", {"export": "xlsx", "department": org_small.dept_a.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert "%E7%AA%97%E5%8F%A3%E4%BA%BA%E5%91%98" in response["Content-Disposition"]  # 窗口人员
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == transfer.EXPORT_HEADERS
    assert sorted(r[1] for r in rows[1:]) == sorted(["甲一", "甲二", "甲三", "丙一"])


def test_export_by_a_dept_head_is_masked(org_small, client_as):
    response = client_as(org_small.head_a).get("/staff/", {"export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    phones = {r[1]: r[transfer.EXPORT_HEADERS.index("手机号")] for r in rows[1:]}
    assert phones["甲二"] == org_small.a2.masked_phone
    assert "乙一" not in phones


# --- create / edit --------------------------------------------------------------------------


def _form(org, **overrides):
    data = {
        "name": "李四",
        "gender": "M",
        "employment_type": "temporary",
        "department": org.dept_a.pk,
        "center": org.main.pk,
        "window": org.w_a01.pk,
        "hire_date": "2018-07-01",
        "phone": "13512340000",
        "id_number": make_id_number(404),
    }
    data.update(overrides)
    return data


def test_create_form(org_small, admin):
    response = admin.post("/staff/new/", _form(org_small))
    staff = Staff.objects.get(name="李四")
    assert response.status_code == 302 and response["Location"] == f"/staff/{staff.pk}/"
    assert staff.hire_date == dt.date(2018, 7, 1)
    assert "已登记 李四，工号 CK00001。" in admin.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"phone": "12345"}, "phone", "手机号应为以 1 开头的 11 位数字。"),
        (
            {"id_number": "110105194912310021"},
            "id_number",
            "身份证号校验位不正确，请核对后重新输入。",
        ),
        ({"window": "S01"}, "window", "不属于"),
        ({"name": ""}, "name", "这个字段是必填项。"),
        ({"hire_date": "2018-02-30"}, "hire_date", "有效的日期"),
        ({"department": "999999"}, "department", "选择一个有效的选项"),
        # a future date inside the form's window reaches the service's rule; one outside does not
        ({"hire_date": "2099-01-01"}, "hire_date", "入职日期不能晚于今天。"),
        ({"hire_date": "2999-01-01"}, "hire_date", "日期须在 1950-01-01 至 2100-12-31 之间。"),
    ],
)
def test_create_form_errors_create_nothing(org_small, admin, overrides, field, message):
    if overrides.get("window") == "S01":
        overrides = {"window": org_small.w_s01.pk}
    before = Staff.objects.count(), AuditEntry.objects.count()
    response = admin.post("/staff/new/", _form(org_small, **overrides))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and any(message in e for e in errors[field])
    assert message in response.content.decode()
    assert (Staff.objects.count(), AuditEntry.objects.count()) == before


def test_a_dept_head_creating_for_another_department_gets_a_form_error(org_small, client_as):
    response = client_as(org_small.head_a).post(
        "/staff/new/", _form(org_small, department=org_small.dept_b.pk, window="")
    )
    assert response.status_code == 200
    assert "只有中心管理员或本部门负责人可以登记人员" in response.content.decode()
    assert not Staff.objects.filter(name="李四").exists()


def test_the_clerks_edit_form_has_only_the_phone(org_small, client_as):
    client = client_as(org_small.clerk_a1)
    response = client.get(f"/staff/{org_small.a1.pk}/edit/")
    assert response.status_code == 200
    assert list(response.context["form"].fields) == ["phone"]
    body = response.content.decode()
    assert 'name="phone"' in body and 'name="name"' not in body and 'name="department"' not in body
    # other fields posted anyway are ignored
    response = client.post(
        f"/staff/{org_small.a1.pk}/edit/",
        {"phone": "13566667777", "name": "黑客", "department": org_small.dept_b.pk},
    )
    assert response.status_code == 302
    staff = Staff.objects.get(pk=org_small.a1.pk)
    assert staff.phone == "13566667777"
    assert (staff.name, staff.department) == ("甲一", org_small.dept_a)
    # a bad phone is a form error
    response = client.post(f"/staff/{org_small.a1.pk}/edit/", {"phone": "135"})
    assert response.status_code == 200 and response.context["form"].errors["phone"]


def test_the_dept_heads_edit_form_has_no_department(org_small, client_as):
    response = client_as(org_small.head_a).get(f"/staff/{org_small.a2.pk}/edit/")
    fields = set(response.context["form"].fields)
    assert "department" not in fields and {"name", "phone", "window"} <= fields


def test_edit_form_saves_only_changed_fields(org_small, admin):
    data = _form(
        org_small,
        name="甲二",
        gender="F",
        employment_type="regular",
        hire_date="2018-03-01",
        phone=org_small.a2.phone,
        id_number=org_small.a2.id_number,
        category=org_small.category.pk,
    )
    data["name"] = "甲二改"
    response = admin.post(f"/staff/{org_small.a2.pk}/edit/", data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="staff.update")
    assert entry.after == {"name": "甲二改"}


def test_moving_center_without_a_fitting_window_is_a_form_error(org_small, admin):
    data = _form(
        org_small,
        name="甲二",
        gender="F",
        employment_type="regular",
        hire_date="2018-03-01",
        phone=org_small.a2.phone,
        id_number=org_small.a2.id_number,
        category=org_small.category.pk,
        center=org_small.sub.pk,
    )
    response = admin.post(f"/staff/{org_small.a2.pk}/edit/", data)
    assert response.status_code == 200
    assert response.context["form"].errors["window"]
    assert Staff.objects.get(pk=org_small.a2.pk).center == org_small.main


# --- separation and postings ----------------------------------------------------------------


def test_separation_form(org_small, admin):
    response = admin.post(
        f"/staff/{org_small.a3.pk}/separate/", {"date": "2018-08-01", "reason": "family"}
    )
    assert response.status_code == 302
    assert Separation.objects.get(staff=org_small.a3).reason == "family"
    detail = admin.get(f"/staff/{org_small.a3.pk}/").content.decode()
    assert "家庭原因" in detail and "登记离职" not in detail  # no second separation offered
    response = admin.post(
        f"/staff/{org_small.a3.pk}/separate/", {"date": "2018-09-01", "reason": "pay"}
    )
    assert response.status_code == 200 and "已登记离职" in response.content.decode()


def test_separation_form_errors(org_small, admin):
    response = admin.post(
        f"/staff/{org_small.a3.pk}/separate/", {"date": "2017-01-01", "reason": "family"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["离职日期不能早于入职日期。"]
    response = admin.post(f"/staff/{org_small.a3.pk}/separate/", {"date": "bad", "reason": "x"})
    assert response.status_code == 200 and set(response.context["form"].errors) == {
        "date",
        "reason",
    }
    assert not Separation.objects.exists()


def test_assignment_form(org_small, admin):
    response = admin.post(
        f"/staff/{org_small.a3.pk}/assign/",
        {"kind": "exchange", "center": org_small.sub.pk, "start_date": "2019-03-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["阶段性进驻交流须填写结束日期。"]
    response = admin.post(
        f"/staff/{org_small.a3.pk}/assign/",
        {
            "kind": "regular",
            "center": org_small.sub.pk,
            "window": org_small.w_s01.pk,
            "start_date": "2019-03-01",
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(staff=org_small.a3).count() == 2


def test_a_same_day_posting_is_a_form_error_not_a_500(org_small, admin):
    response = admin.post(
        f"/staff/{org_small.a3.pk}/assign/",
        {"kind": "regular", "center": org_small.main.pk, "start_date": "2018-03-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"]


# --- detail / profile -----------------------------------------------------------------------


def test_my_profile(org_small, client_as, role_user):
    response = client_as(org_small.clerk_a1).get("/staff/me/")
    assert response.status_code == 302 and response["Location"] == f"/staff/{org_small.a1.pk}/"
    client = client_as(role_user())
    response = client.get("/staff/me/", follow=True)
    assert response.redirect_chain[0] == ("/", 302)
    assert "您的账号没有关联窗口人员档案" in response.content.decode()


def test_detail_shows_the_postings(org_small, admin):
    services.assign_staff(
        actor=org_small.admin,
        staff=org_small.a2,
        center=org_small.sub,
        kind="exchange",
        start_date=dt.date(2019, 3, 1),
        end_date=dt.date(2019, 8, 31),
        note="分中心交流",
    )
    body = admin.get(f"/staff/{org_small.a2.pk}/").content.decode()
    assert "阶段性进驻交流" in body and "分中心交流" in body and "2019-08-31" in body


def test_home_shows_the_figures(org_small, admin):
    response = admin.get("/")
    assert response.status_code == 200
    assert response.context["headcount_total"] == 6
    assert '<script id="chart-data" type="application/json">' in response.content.decode()


# --- import ---------------------------------------------------------------------------------


def _row(org, **values):
    base = dict.fromkeys([c.header for c in transfer.IMPORT_COLUMNS], "")
    base.update(
        姓名="导入一",
        性别="男",
        用工性质="在编",
        部门="市场监管局",
        所在中心="下城区行政服务中心",
        入职日期="2018-03-01",
    )
    base.update(values)
    return list(base.values())


def _upload(client, content: bytes, name="人员.xlsx"):
    # a browser always sends the CSRF field along with the file
    data = {"csrfmiddlewaretoken": "x", "file": SimpleUploadedFile(name, content)}
    return client.post("/staff/import/", data)


def test_import_page_good_file(org_small, admin):
    response = _upload(admin, _xlsx([_row(org_small), _row(org_small, 姓名="导入二")]))
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert Staff.objects.filter(name__startswith="导入").count() == 2
    assert "导入成功：共 2 人。" in admin.get("/staff/").content.decode()


def test_import_page_lists_every_error(org_small, admin):
    content = _xlsx([_row(org_small, 部门="不存在局"), _row(org_small, 姓名="", 入职日期="昨天")])
    response = _upload(admin, content)
    assert response.status_code == 200
    body = response.content.decode()
    table = re.search(r'data-testid="import-errors".*?</table>', body, re.S).group(0)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", table)  # row, column, cell value, problem
    assert cells == [
        "2", "部门", "不存在局", "没有名为「不存在局」的部门",
        "3", "姓名", "", "不能为空",
        "3", "入职日期", "昨天", "日期格式应为 2018-06-30。",
    ]  # fmt: skip
    assert "发现 3 处错误（共 2 行）" in body
    assert not Staff.objects.filter(name__startswith="导入").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("人员.xlsx", b"this is not a spreadsheet", "无法读取文件"),
        ("人员.xlsx", b"PK\x03\x04 broken zip", "无法读取文件"),
        ("人员.pdf", b"%PDF-1.4\n", "请上传 .xlsx 格式的 Excel 文件或 .csv 文件。"),
        ("人员.csv", b"a,b\n", "表头缺少列"),  # csv is read, but lacks the columns
        ("人员.xlsx", "MISSING", "表头缺少列"),
        ("人员.xlsx", b"", "所提交的是空文件。"),
    ],
)
def test_import_page_bad_files_are_form_errors(org_small, admin, name, content, message):
    if content == "MISSING":
        content = _xlsx([["x"]], headers=["姓名"])
    response = _upload(admin, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Staff.objects.count() == 6


def test_import_without_a_file(org_small, admin):
    response = admin.post("/staff/import/", {"csrfmiddlewaretoken": "x"})
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_import_template_download(org_small, admin):
    response = admin.get("/staff/import/template.xlsx")
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    header = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(header) == [c.header for c in transfer.IMPORT_COLUMNS]


# --- turnover -------------------------------------------------------------------------------


def test_turnover_page(org_small, admin):
    services.record_separation(
        actor=org_small.admin, staff=org_small.b2, date=dt.date(2018, 6, 30), reason="pay"
    )
    response = admin.get("/staff/turnover/", {"start": "2018-01-01", "end": "2018-12-31"})
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.opening, report.closing, report.separations) == (1, 5, 1)
    body = response.content.decode()
    assert 'data-testid="turnover-rate">33.3%' in body and "待遇低" in body and "乙二" in body


def test_turnover_page_export(org_small, admin):
    services.record_separation(
        actor=org_small.admin,
        staff=org_small.b2,
        date=dt.date(2018, 6, 30),
        reason="pay",
        note="转行",
    )
    response = admin.get(
        "/staff/turnover/", {"start": "2018-01-01", "end": "2018-12-31", "export": "xlsx"}
    )
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["姓名", "部门", "离职日期", "原因", "说明"]
    assert rows[1][0] == "乙二" and rows[1][3] == "待遇低" and rows[1][4] == "转行"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2018-12-31", "end": "2018-01-01"}, "结束日期不能早于开始日期。"),
        ({"start": "abc", "end": "2018-01-01"}, "有效的日期"),
        ({"start": "2018-02-30", "end": ""}, "有效的日期"),
        ({"start": "2018-01-01", "end": "2018-12-31", "department": "xyz"}, "选择一个有效的选项"),
        (
            {"start": "2018-01-01", "end": "2018-12-31", "employment_type": "x"},
            "选择一个有效的选项",
        ),
    ],
)
def test_turnover_page_with_invalid_input_shows_the_form_error(org_small, admin, params, message):
    response = admin.get("/staff/turnover/", params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["form"].errors


def test_turnover_page_without_parameters_shows_last_year(org_small, admin):
    from django.utils import timezone

    response = admin.get("/staff/turnover/")
    year = timezone.localdate().year - 1
    assert response.context["report"].start == dt.date(year, 1, 1)
    assert response.context["report"].end == dt.date(year, 12, 31)
