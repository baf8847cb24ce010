"""The cases pages: list (search, filters, htmx, export), detail and its action buttons, the
accept form (from a ticket and direct), figures and their exports, the import page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from chuangkou.cases import imports, services
from chuangkou.cases.models import Case, ImportJob
from chuangkou.hall.models import Ticket

from .conftest import APPLICANT, accept_at_window, accept_online, at
from .test_imports import good_rows, to_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(hall):
    return accept_at_window(hall, at("2018-03-05", 9), applicant_name="王小明")


# --- list ------------------------------------------------------------------------------------


def test_list_search_filters_and_htmx(hall, case, client_as):
    accept_online(hall, at("2018-03-06", 9), applicant_name="杭州云端科技有限公司")
    client = client_as(hall.admin)
    response = client.get("/cases/")
    body = response.content.decode()
    assert response.status_code == 200 and case.number in body and "王小明" in body
    assert APPLICANT["applicant_id"] not in body and APPLICANT["applicant_phone"] not in body
    found = client.get("/cases/", {"q": "小明"}).context["page"].object_list
    assert [c.pk for c in found] == [case.pk]
    partial = client.get("/cases/", {"channel": "online"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "云端" in partial.content.decode()
    assert 'hx-swap-oob="true"' in partial.content.decode()  # the export link follows


@pytest.mark.parametrize(
    "params",
    [{"status": "nonsense"}, {"department": "x"}, {"date_from": "2018-02-30"}, {"page": "zz"}],
)
def test_bad_list_parameters_show_everything_with_a_warning(hall, case, client_as, params):
    response = client_as(hall.admin).get("/cases/", params)
    assert response.status_code == 200
    if "page" not in params:
        assert "筛选条件无效" in response.content.decode()


def test_export_is_masked_and_follows_the_filter(hall, case, client_as):
    accept_online(hall, at("2018-03-06", 9))
    response = client_as(hall.clerk_a1).get("/cases/", {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [case.number]  # the clerk's own case only
    assert rows[0][9] == case.masked_applicant_id and rows[0][10] == "138****5678"


# --- detail and actions ----------------------------------------------------------------------


def test_detail_masks_for_the_admin_and_shows_the_clerk_in_full(hall, case, client_as):
    admin_page = client_as(hall.admin).get(f"/cases/{case.pk}/").content.decode()
    assert case.masked_applicant_id in admin_page and APPLICANT["applicant_id"] not in admin_page
    clerk_page = client_as(hall.clerk_a1).get(f"/cases/{case.pk}/").content.decode()
    assert APPLICANT["applicant_id"] in clerk_page and "13812345678" in clerk_page
    assert 'data-confirm="确定对 ' in clerk_page and "onsubmit=" not in clerk_page
    assert 'data-testid="action-complete"' in clerk_page
    assert 'data-testid="action-resume"' not in clerk_page  # only while 补正中
    assert client_as(hall.clerk_b1).get(f"/cases/{case.pk}/").status_code == 404


def test_action_buttons_change_the_status(hall, case, client_as):
    client = client_as(hall.clerk_a1)
    response = client.post(f"/cases/{case.pk}/supplement/", {"supplement-note": "缺身份证复印件"})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert Case.objects.get(pk=case.pk).status == Case.Status.SUPPLEMENT
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已通知补正" in page and "缺身份证复印件" in page
    assert 'data-testid="action-resume"' in page
    client.post(f"/cases/{case.pk}/visit/", {"visit-note": "补交材料"})
    client.post(f"/cases/{case.pk}/complete/", {"complete-note": ""})
    case.refresh_from_db()
    assert (case.status, case.visits, case.is_one_trip) == ("completed", 2, False)
    assert 'data-testid="action-complete"' not in client.get(f"/cases/{case.pk}/").content.decode()


def test_action_errors_show_on_the_field(hall, case, client_as):
    client = client_as(hall.clerk_a1)
    response = client.post(f"/cases/{case.pk}/reject/", {"reject-reason": ""})
    assert response.status_code == 400
    assert response.context["action_forms"]["reject"]["form"].errors["reason"]
    response = client.post(f"/cases/{case.pk}/supplement/", {"supplement-note": " "})
    assert response.status_code == 400 and "请填写需补正的材料" in response.content.decode()
    assert client.post(f"/cases/{case.pk}/resume/", {}).status_code == 400  # not in 补正
    assert client.post(f"/cases/{case.pk}/explode/", {}).status_code == 404
    assert client.get(f"/cases/{case.pk}/complete/").status_code == 405
    assert client_as(hall.clerk_b1).post(f"/cases/{case.pk}/complete/", {}).status_code == 404
    assert Case.objects.get(pk=case.pk).status == Case.Status.ACCEPTED


# --- accept ----------------------------------------------------------------------------------


def test_accept_from_the_workstation_link(hall, ticket, client_as):
    client = client_as(hall.clerk_a1)
    page = client.get("/cases/accept/", {"ticket": ticket.pk})
    assert page.status_code == 200 and 'data-testid="ticket-card"' in page.content.decode()
    assert page.context["form"]["matter"].value() == hall.matter_a.pk
    response = client.post(
        f"/cases/accept/?ticket={ticket.pk}", {"matter": hall.matter_a.pk, **APPLICANT}
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert case.ticket == ticket and Ticket.objects.get(pk=ticket.pk).status == "done"


@pytest.mark.parametrize("value", ["abc", "-1", "999999", ""])
def test_accept_with_a_bad_ticket_parameter_is_404(hall, client_as, value):
    assert client_as(hall.clerk_a1).get("/cases/accept/", {"ticket": value}).status_code == 404


def test_direct_acceptance_and_its_errors(hall, client_as):
    client = client_as(hall.clerk_a1)
    page = client.get("/cases/accept/")
    assert page.context["form"]["window"].value() == hall.w_a01.pk
    bad = client.post(
        "/cases/accept/",
        {"channel": "window", "matter": hall.matter_a.pk, **APPLICANT, "applicant_id": "12"},
    )
    assert bad.status_code == 200 and bad.context["form"].errors["applicant_id"]
    online = client.post(
        "/cases/accept/", {"channel": "online", "matter": hall.matter_a.pk, **APPLICANT}
    )
    assert online.context["form"].errors["center"]
    not_online = client.post(
        "/cases/accept/",
        {"channel": "online", "matter": hall.matter_b.pk, "center": hall.main.pk, **APPLICANT},
    )
    assert "不支持网上办理" in str(not_online.context["form"].errors["matter"])
    assert not Case.objects.exists()
    good = client.post(
        "/cases/accept/", {"channel": "window", "matter": hall.matter_a.pk, **APPLICANT}
    )
    assert good.status_code == 302 and Case.objects.get().window == hall.w_a01


def test_the_admin_without_a_staff_record_is_told_on_the_form(hall, client_as):
    response = client_as(hall.admin).post(
        "/cases/accept/", {"channel": "window", "matter": hall.matter_a.pk, **APPLICANT}
    )
    assert response.status_code == 200 and "关联了窗口人员档案" in response.content.decode()


# --- figures ---------------------------------------------------------------------------------


@pytest.fixture
def some_cases(hall):
    for day in ("2018-02-12", "2018-02-13", "2018-02-22"):
        accept_at_window(hall, at(day, 9))
    accept_at_window(hall, at("2018-02-14", 9), clerk=hall.clerk_b1, matter=hall.matter_b)
    accept_at_window(hall, at("2017-02-13", 9))
    return hall


def test_figures_page(some_cases, client_as):
    client = client_as(some_cases.admin)
    default = client.get("/cases/figures/")
    assert default.status_code == 200
    response = client.get("/cases/figures/", {"start": "2018-02-12", "end": "2018-02-23"})
    body = response.content.decode()
    assert response.context["f"].counts.accepted == 4
    assert '<span data-testid="yoy-ratio">4.00 倍</span>' in body and "（+300.0%）" in body
    assert 'id="figures-data"' in body and "vendor/echarts/echarts.min.js" in body
    head = client_as(some_cases.head_a).get(
        "/cases/figures/", {"start": "2018-02-12", "end": "2018-02-23"}
    )
    assert head.context["f"].counts.accepted == 3
    assert list(head.context["form"].fields["department"].queryset) == [some_cases.dept_a]


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2018-02-30", "end": "2018-03-01"},
        {"start": "2018-03-01", "end": "2018-02-01"},
        {"start": "2000-01-01", "end": "2018-02-01"},
        {"start": "2018-01-01", "end": "2018-02-01", "department": "999999"},
        {"start": "x"},
    ],
)
def test_bad_figure_parameters_show_an_error(some_cases, client_as, params):
    response = client_as(some_cases.admin).get("/cases/figures/", params)
    assert response.status_code == 200 and response.context["form"].errors


@pytest.mark.parametrize(("which", "first_header"), [("windows", "排名"), ("departments", "部门")])
def test_figure_exports(some_cases, client_as, which, first_header):
    response = client_as(some_cases.admin).get(
        "/cases/figures/", {"start": "2018-02-12", "end": "2018-02-23", "export": which}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == first_header and len(rows) == 3


# --- import ----------------------------------------------------------------------------------


def test_import_page_upload_and_progress(
    hall, client_as, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(imports.jobs, "launch", imports.run_import)  # run it here, not in a thread
    client = client_as(hall.admin)
    page = client.get("/cases/import/").content.decode()
    assert 'data-testid="import-format"' in page and "受理编号" in page
    upload = SimpleUploadedFile("历史办件.csv", to_csv(good_rows(hall)), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/cases/import/", {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/import/{job.pk}/"
    job_page = client.get(f"/cases/import/{job.pk}/").content.decode()
    assert "已导入 3 件" in job_page
    partial = client.get(f"/cases/import/{job.pk}/", headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="import-progress"')
    assert Case.objects.count() == 3


def test_a_running_import_polls_and_a_failed_one_lists_errors(hall, client_as):
    running = ImportJob.objects.create(
        filename="a.csv",
        format="csv",
        status="validating",
        total_rows=10,
        processed_rows=4,
        created_by=hall.admin,
    )
    body = client_as(hall.admin).get(f"/cases/import/{running.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in body and "40%" in body
    failed = ImportJob.objects.create(
        filename="b.csv",
        format="csv",
        status="failed",
        message="发现 1 处错误，未导入任何数据。",
        errors=[{"row": 3, "column": "受理时间", "message": "不是有效的日期或时间"}],
        error_count=1,
        created_by=hall.admin,
    )
    body = client_as(hall.admin).get(f"/cases/import/{failed.pk}/").content.decode()
    assert 'data-testid="import-errors"' in body and "不是有效的日期或时间" in body
    assert "every 1s" not in body
    assert client_as(hall.admin).get("/cases/import/424242/").status_code == 404


def test_wrong_files_are_refused_on_the_form(hall, client_as):
    upload = SimpleUploadedFile("cases.xls", b"old excel")
    response = client_as(hall.admin).post("/cases/import/", {"file": upload})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_import_templates(hall, client_as):
    client = client_as(hall.admin)
    xlsx_file = client.get("/cases/import/template.xlsx")
    headers = next(load_workbook(io.BytesIO(xlsx_file.content)).active.iter_rows(values_only=True))
    assert list(headers) == imports.HEADERS
    csv_file = client.get("/cases/import/template.csv").content.decode("utf-8-sig")
    assert csv_file.splitlines()[0] == ",".join(imports.HEADERS) and "A-001" in csv_file


def test_the_visits_of_an_online_case(hall, client_as):
    case = accept_online(hall, at("2018-03-06", 9))
    body = client_as(hall.admin).get(f"/cases/{case.pk}/").content.decode()
    assert "网上申请，未到大厅" in body
    services.record_visit(actor=hall.admin, case=case, note="现场核验原件")
    body = client_as(hall.admin).get(f"/cases/{case.pk}/").content.decode()
    assert "现场核验原件" in body
