"""In a real browser: a supervisor files a visit with a photo on a 390 px phone; a department
head books and records a sitting-in; the supervision pages at 1366 and 390 px (screenshots in
test-artifacts/)."""

import io

import pytest
from django.utils import timezone
from PIL import Image

from chuangkou.supervision import services
from chuangkou.supervision.models import Finding, SecretVisit, SittingIn, SittingSlot
from tests.browser.fixtures import fits, login, screenshot

from .conftest import build_sv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def world(org_small):
    return build_sv(org_small)


def _jpeg(tmp_path):
    path = tmp_path / "现场.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "teal").save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_a_supervisor_files_a_visit_with_a_photo_on_a_phone(page, world, tmp_path):
    page.set_viewport_size(PHONE)
    login(page, world.sup1.user.username)
    page.goto("/supervision/visits/")
    fits(page, PHONE["width"])
    page.get_by_test_id("file-visit").click()
    page.get_by_test_id("visit-form").wait_for()
    fits(page, PHONE["width"])
    screenshot(page, "supervision-visit-form-phone")
    page.locator("#w0").fill("A01")
    page.locator("label[for=w0_smile_bad]").click()
    page.locator("label[for=w0_hands_ok]").click()
    page.locator("#w0_note").fill("办事群众到窗口时未起身")
    page.locator("#summary").fill("大厅秩序良好")
    page.locator("#photos").set_input_files(str(_jpeg(tmp_path)))
    page.get_by_test_id("submit-visit").click()
    page.wait_for_url("**/supervision/visits/*/")
    assert "暗访记录已提交" in page.content()
    fits(page, PHONE["width"])
    screenshot(page, "supervision-visit-detail-phone")
    visit = SecretVisit.objects.get()
    assert visit.photos.count() == 1
    assert list(visit.findings.values_list("item", flat=True)) == ["smile"]


def test_a_department_head_books_and_records_a_sitting_in(page, world):
    slot = SittingSlot.objects.create(window=world.w_a01, date=timezone.localdate(), half="am")
    page.set_viewport_size(PHONE)
    login(page, world.head_a.username)
    page.goto("/supervision/sittings/")
    page.get_by_test_id(f"book-{slot.pk}").click()
    page.get_by_test_id("record-sitting").click()
    page.get_by_test_id("sitting-form").wait_for()
    fits(page, PHONE["width"])
    screenshot(page, "supervision-sitting-record-phone")
    page.locator("#q1").fill("门户网站的办事指南清楚")
    page.locator("input[name=p0_title]").fill("叫号屏字太小")
    page.locator("select[name=p0_kind]").select_option("pain")
    page.locator("input[name=p0_on_spot]").check()
    page.locator("input[name=p0_resolution]").fill("已调大字号")
    page.locator("input[name=p1_title]").fill("社保与医保材料重复提交")
    page.locator("select[name=p1_kind]").select_option("block")
    page.get_by_test_id("submit-sitting").click()
    page.wait_for_url("**/supervision/sittings/")
    assert "坐班记录已保存" in page.content()
    sitting = SittingIn.objects.get()
    assert sitting.status == "recorded"
    assert sorted(sitting.problems.values_list("state", flat=True)) == ["found", "on_spot"]


def _filled(world):
    """A filed visit with a disputed finding, a problem, a recorded sitting-in."""
    from .conftest import photo, visit_time

    visit = services.file_visit(
        actor=world.sup1.user,
        assignment=world.assignment,
        visited_at=visit_time(),
        windows=["A01", "B01"],
        checks=[
            services.Check("smile", "bad", "A01", "未起身"),
            services.Check("phone", "bad", "B01", "玩手机"),
        ],
        summary="大厅秩序良好",
        photos=[photo()],
    )
    services.dispute_finding(
        actor=world.head_a, finding=visit.findings.get(item="smile"), reason="当时在接电话"
    )
    problem = services.report_problem(
        actor=world.admin,
        title="社保与医保材料重复提交",
        kind="block",
        owner=world.dept_a,
        coordinating=[world.dept_b],
    )
    services.start_coordinating(actor=world.admin, problem=problem, note="会同人力社保")
    return visit, problem


PAGES = [
    ("/supervision/visits/", "visits"),
    ("/supervision/plans/new/", "plan-form"),
    ("/supervision/findings/", "findings"),
    ("/supervision/sittings/", "sittings"),
    ("/supervision/sittings/slots/new/", "slot-form"),
    ("/supervision/problems/", "problems"),
    ("/supervision/problems/new/", "problem-form"),
]


def test_the_supervision_pages_look_right_on_a_desktop_and_a_phone(page, world):
    visit, problem = _filled(world)
    finding = Finding.objects.get(item="smile")
    pages = [
        *PAGES,
        (f"/supervision/visits/{visit.pk}/", "visit-detail"),
        (f"/supervision/findings/{finding.pk}/", "finding-detail"),
        (f"/supervision/problems/{problem.pk}/", "problem-detail"),
    ]
    login(page, "admin")
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        for url, name in pages:
            response = page.goto(url)
            assert response.status == 200, url
            fits(page, size["width"])
            screenshot(page, f"supervision-{name}-{label}")
