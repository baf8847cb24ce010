"""People records that hold together: dates, postings, 交流中 by date, numeric staff numbers."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from chuangkou.core.errors import DomainError
from chuangkou.core.models import AuditEntry
from chuangkou.core.validators import validate_id_number
from chuangkou.org import selectors, services, transfer
from chuangkou.org.filters import StaffFilter
from chuangkou.org.models import Assignment, Separation, Staff

from ..factories import AssignmentFactory, StaffFactory, make_id_number

D = dt.date


def _create(org, **overrides):
    data = {
        "actor": org.admin,
        "name": "钱七",
        "gender": "F",
        "employment_type": "temporary",
        "department": org.dept_a,
        "center": org.main,
        "window": org.w_a01,
        "hire_date": D(2018, 4, 2),
        "id_number": make_id_number(777, born=D(1990, 5, 1)),
    }
    return services.create_staff(**{**data, **overrides})


def _exchange(org, staff, start, end, center=None):
    return services.assign_staff(
        actor=org.admin,
        staff=staff,
        center=center or org.sub,
        kind=Assignment.Kind.EXCHANGE,
        start_date=start,
        end_date=end,
    )


# --- dates of a person ------------------------------------------------------------------------


def test_hire_date_not_before_1950(org_small):
    with pytest.raises(DomainError) as exc:
        _create(org_small, hire_date=D(1949, 12, 31), id_number="")
    assert exc.value.field == "hire_date" and "1950" in exc.value.message


def test_the_id_birth_date_must_allow_working_age_at_hire(org_small):
    with pytest.raises(DomainError) as exc:
        _create(org_small, id_number=make_id_number(5, born=D(2005, 1, 1)))
    assert exc.value.field == "hire_date" and "未满 16 周岁" in exc.value.message
    assert _create(org_small, id_number=make_id_number(5, born=D(2002, 4, 2))).pk


@pytest.mark.parametrize("born", [D(1899, 12, 31), D(2999, 1, 1)])
def test_an_implausible_birth_date_in_the_id_is_refused(born):
    with pytest.raises(DomainError) as exc:
        validate_id_number(make_id_number(3, born=born))
    assert "出生日期" in exc.value.message


def test_hire_date_not_after_the_separation(org_small):
    services.record_separation(
        actor=org_small.admin, staff=org_small.a2, date=D(2019, 6, 30), reason="pay"
    )
    with pytest.raises(DomainError) as exc:
        services.update_staff(
            actor=org_small.admin, staff=org_small.a2, changes={"hire_date": D(2019, 7, 1)}
        )
    assert exc.value.field == "hire_date" and "离职日期" in exc.value.message


def test_a_corrected_hire_date_moves_the_first_posting(org_small):
    services.update_staff(
        actor=org_small.admin, staff=org_small.a2, changes={"hire_date": D(2017, 9, 1)}
    )
    assert org_small.a2.assignments.get().start_date == D(2017, 9, 1)


def test_a_hire_date_after_a_later_posting_is_refused(org_small):
    services.assign_staff(
        actor=org_small.admin, staff=org_small.a2, center=org_small.sub, start_date=D(2019, 1, 1)
    )
    with pytest.raises(DomainError) as exc:
        services.update_staff(
            actor=org_small.admin, staff=org_small.a2, changes={"hire_date": D(2019, 2, 1)}
        )
    assert exc.value.field == "hire_date"


# --- postings ---------------------------------------------------------------------------------


def test_an_exchange_cannot_go_to_the_home_center(org_small):
    with pytest.raises(DomainError) as exc:
        _exchange(org_small, org_small.a2, D(2019, 3, 1), D(2019, 6, 1), center=org_small.main)
    assert exc.value.field == "center" and "以外的中心" in exc.value.message


def test_exchanges_do_not_overlap(org_small):
    _exchange(org_small, org_small.a2, D(2019, 3, 1), D(2019, 6, 30))
    with pytest.raises(DomainError) as exc:
        _exchange(org_small, org_small.a2, D(2019, 6, 30), D(2019, 9, 1))
    assert "重叠" in exc.value.message
    _exchange(org_small, org_small.a2, D(2019, 7, 1), D(2019, 9, 1))


def test_a_regular_posting_cannot_overlap_a_closed_one(org_small):
    a2 = org_small.a2
    services.assign_staff(
        actor=org_small.admin, staff=a2, center=org_small.sub, start_date=D(2019, 1, 1)
    )
    services.assign_staff(
        actor=org_small.admin, staff=a2, center=org_small.main, start_date=D(2020, 1, 1)
    )
    with pytest.raises(DomainError) as exc:
        services.assign_staff(
            actor=org_small.admin, staff=a2, center=org_small.sub, start_date=D(2018, 6, 1)
        )
    assert "重叠" in exc.value.message


def test_a_separation_closes_every_posting_including_a_running_exchange(org_small):
    today = timezone.localdate()
    _exchange(org_small, org_small.a2, today - dt.timedelta(days=5), today + dt.timedelta(days=30))
    services.record_separation(actor=org_small.admin, staff=org_small.a2, date=today, reason="pay")
    ends = set(org_small.a2.assignments.values_list("end_date", flat=True))
    assert ends == {today}


def test_a_separation_before_a_posting_started_is_refused(org_small):
    services.assign_staff(
        actor=org_small.admin, staff=org_small.a2, center=org_small.sub, start_date=D(2019, 1, 1)
    )
    with pytest.raises(DomainError) as exc:
        services.record_separation(
            actor=org_small.admin, staff=org_small.a2, date=D(2018, 12, 1), reason="pay"
        )
    assert exc.value.field == "date" and "2019-01-01" in exc.value.message


# --- 交流中 by date -----------------------------------------------------------------------------


def test_on_exchange_is_read_from_the_dates(org_small):
    today = timezone.localdate()
    a2 = org_small.a2
    AssignmentFactory(
        staff=a2,
        center=org_small.sub,
        kind=Assignment.Kind.EXCHANGE,
        start_date=today - dt.timedelta(days=30),
        end_date=today - dt.timedelta(days=1),  # ended yesterday: nothing had to flip it back
    )
    AssignmentFactory(
        staff=org_small.a3,
        center=org_small.sub,
        kind=Assignment.Kind.EXCHANGE,
        start_date=today,
        end_date=today + dt.timedelta(days=9),
    )
    assert Staff.objects.get(pk=a2.pk).current_status == Staff.Status.ACTIVE
    assert Staff.objects.get(pk=org_small.a3.pk).current_status == Staff.Status.EXCHANGE
    listed = selectors.staff_list(user=org_small.admin, filters=StaffFilter(status="exchange"))
    assert list(listed) == [org_small.a3]
    active = selectors.staff_list(user=org_small.admin, filters=StaffFilter(status="active"))
    assert org_small.a3 not in active and a2 in active


# --- changing center or window writes a posting ------------------------------------------------


def test_a_new_window_in_the_form_writes_a_posting(org_small):
    today = timezone.localdate()
    services.update_staff(
        actor=org_small.admin,
        staff=org_small.a2,
        changes={"center": org_small.sub, "window": org_small.w_s01},
    )
    postings = list(org_small.a2.assignments.order_by("start_date"))
    assert [(p.center, p.window, p.start_date, p.end_date) for p in postings] == [
        (org_small.main, org_small.w_a01, org_small.a2.hire_date, today - dt.timedelta(days=1)),
        (org_small.sub, org_small.w_s01, today, None),
    ]


def test_changing_the_window_twice_a_day_keeps_one_posting(org_small):
    services.update_staff(actor=org_small.admin, staff=org_small.a2, changes={"window": None})
    services.update_staff(
        actor=org_small.admin, staff=org_small.a2, changes={"window": org_small.w_a01}
    )
    assert org_small.a2.assignments.count() == 2
    assert org_small.a2.assignments.get(end_date=None).window == org_small.w_a01


# --- staff numbers ----------------------------------------------------------------------------


def test_staff_numbers_count_and_sort_as_numbers(org_small):
    StaffFactory(staff_no="CK99999", department=org_small.dept_a, center=org_small.main)
    first = _create(org_small, id_number="")
    second = _create(org_small, id_number="")
    assert (first.staff_no, second.staff_no) == ("CK100000", "CK100001")
    listed = [
        s.staff_no for s in selectors.staff_list(user=org_small.admin, filters=StaffFilter(q="CK"))
    ]
    assert listed == ["CK99999", "CK100000", "CK100001"]


def test_the_import_template_keeps_id_numbers_as_text():
    ws = load_workbook(io.BytesIO(transfer.import_template())).worksheets[0]
    header = [c.value for c in ws[1]]
    letter = get_column_letter(header.index("身份证号") + 1)
    assert ws.column_dimensions[letter].number_format == "@"  # every cell of the column


def test_an_id_number_mangled_into_a_number_is_named(org_small):
    ws_rows = [[h for h in transfer.EXPORT_HEADERS]]
    ws_rows.append(
        ["", "孙九", "女", "临编", "", "市场监管局", org_small.main.name, "", "2018-03-01", "",
         3.30103198001011e17, "在岗", None, "", ""]
    )  # fmt: skip
    report = transfer.import_staff(actor=org_small.admin, content=_xlsx(ws_rows))
    assert [(e.column, "文本" in e.message) for e in report.errors] == [("身份证号", True)]


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_export_then_import_keeps_status_and_separation(org_small):
    services.record_separation(
        actor=org_small.admin, staff=org_small.a3, date=D(2019, 6, 30), reason="family", note="随迁"
    )
    fields = ("staff_no", "name", "gender", "employment_type", "category_id", "department_id",
              "center_id", "window_id", "hire_date", "phone", "id_number", "status")  # fmt: skip

    def snapshot():
        people = Staff.objects.order_by("staff_no")
        rows = [tuple(getattr(s, f) for f in fields) for s in people]
        gone = [(s.staff.staff_no, s.date, s.reason, s.note) for s in Separation.objects.all()]
        return rows, gone

    before = snapshot()
    content = transfer.export_staff(Staff.objects.all(), viewer=org_small.admin)
    Staff.objects.all().delete()
    report = transfer.import_staff(actor=org_small.admin, content=content)
    assert report.ok, [str(e) for e in report.errors]
    assert snapshot() == before


def test_a_departed_row_needs_its_date_and_reason(org_small):
    header = list(transfer.EXPORT_HEADERS)
    base = [
        "",
        "周十",
        "男",
        "临编",
        "",
        "市场监管局",
        org_small.main.name,
        "",
        "2018-03-01",
        "",
        "",
    ]
    rows = [
        header,
        [*base, "离职", None, "", ""],
        [*base, "在岗", "2019-01-01", "待遇低", ""],
        [*base, "", "2019-01-01", "", ""],
    ]
    report = transfer.import_staff(actor=org_small.admin, content=_xlsx(rows))
    assert sorted((e.row, e.column) for e in report.errors) == [
        (2, "离职日期"),
        (3, "状态"),
        (4, "离职原因"),
    ]
    assert not Staff.objects.filter(name="周十").exists()


def test_audit_of_a_repost_lists_the_new_center(org_small):
    services.update_staff(actor=org_small.admin, staff=org_small.a2, changes={"window": None})
    entry = AuditEntry.objects.get(action="staff.update")
    assert entry.after == {"window": None}
