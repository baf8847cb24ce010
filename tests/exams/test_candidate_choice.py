"""Exam candidates chosen by person (search and tick) or from a pasted or uploaded list of 工号,
with every unknown 工号 named and nobody added then."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangkou.core.errors import DomainError
from chuangkou.exams.services import exams
from chuangkou.org import services as org_services

from ..tables import csv_bytes, last_audit, xlsx_bytes


def _candidates(exam) -> set[int]:
    return set(exam.attempts.values_list("staff_id", flat=True))


def test_a_list_of_staff_numbers_adds_those_people(sitting):
    exam = sitting.exam
    a1, a2, a3 = (s.staff_no for s in (sitting.a1, sitting.a2, sitting.a3))
    text = f"{a2}\n{a3}，{a2} {a1}"
    numbers = exams.parse_staff_numbers(text)
    assert numbers == [sitting.a2.staff_no, sitting.a3.staff_no, sitting.a1.staff_no]
    added = exams.add_candidates_by_number(actor=sitting.admin, exam=exam, numbers=numbers)
    assert added == 2  # a1 was a candidate already
    assert {sitting.a2.pk, sitting.a3.pk} <= _candidates(exam)
    assert last_audit("exams.exam.add_candidates").after["added"] == 2


def test_every_unknown_or_departed_number_is_named_and_nobody_is_added(sitting):
    org_services.record_separation(
        actor=sitting.admin, staff=sitting.a3, date=sitting.a3.hire_date, reason="pay"
    )
    before = _candidates(sitting.exam)
    with pytest.raises(DomainError) as exc:
        exams.add_candidates_by_number(
            actor=sitting.admin,
            exam=sitting.exam,
            numbers=[sitting.a2.staff_no, "CK404", "CK405", sitting.a3.staff_no],
        )
    message = exc.value.message
    assert "CK404" in message and "CK405" in message and "2 个工号查无此人" in message
    assert sitting.a3.staff_no in message and "已离职" in message
    assert _candidates(sitting.exam) == before


def test_people_the_manager_cannot_see_count_as_unknown(sitting):
    from chuangkou.org.models import Staff

    with pytest.raises(DomainError) as exc:
        exams.add_candidates_by_number(
            actor=sitting.admin,
            exam=sitting.exam,
            numbers=[sitting.b2.staff_no],
            among=Staff.objects.filter(department=sitting.dept_a),
        )
    assert sitting.b2.staff_no in exc.value.message


def test_the_list_page_takes_pasted_numbers_and_an_uploaded_staff_export(sitting, client_as):
    client = client_as(sitting.admin)
    url = f"/exams/manage/{sitting.exam.pk}/candidates/list/"
    response = client.post(url, {"numbers": f"{sitting.a2.staff_no}"})
    assert response.status_code == 302 and sitting.a2.pk in _candidates(sitting.exam)
    table = xlsx_bytes(["工号", "姓名"], [[sitting.a3.staff_no, "甲三"], ["", ""]])
    upload = SimpleUploadedFile("名单.xlsx", table)
    response = client.post(url, {"file": upload}, follow=True)
    assert sitting.a3.pk in _candidates(sitting.exam)
    assert "已添加 1 名考生" in response.content.decode()
    bare = csv_bytes([sitting.b2.staff_no], [["CK404"]])
    response = client.post(url, {"file": SimpleUploadedFile("l.csv", bare)}, follow=True)
    assert "CK404" in response.content.decode()
    assert sitting.b2.pk not in _candidates(sitting.exam)
    response = client.post(url, {"numbers": ""}, follow=True)
    assert "请填写工号或上传名单" in response.content.decode()


def test_search_and_tick_adds_the_chosen_people(sitting, client_as):
    client = client_as(sitting.admin)
    url = f"/exams/manage/{sitting.exam.pk}/candidates/pick/"
    found = client.get(url, {"q": "甲"}, headers={"HX-Request": "true"}).content.decode()
    assert f'value="{sitting.a2.pk}"' in found and "已是考生" in found  # a1 is a candidate
    assert f'value="{sitting.b2.pk}"' not in found
    response = client.post(url, {"staff": [sitting.a2.pk, sitting.a3.pk]})
    assert response.status_code == 302
    assert {sitting.a2.pk, sitting.a3.pk} <= _candidates(sitting.exam)
    response = client.post(url, {"staff": ["99999999999999999999"]}, follow=True)
    assert response.status_code == 200 and "请勾选" in response.content.decode()


def test_a_nul_in_an_uploaded_list_is_an_unknown_number(sitting):
    with pytest.raises(DomainError) as exc:
        exams.add_candidates_by_number(actor=sitting.admin, exam=sitting.exam, numbers=["CK\x001"])
    assert "查无此人" in exc.value.message
