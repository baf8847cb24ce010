"""Objections: one per person and result (service and constraint), a message for a finished
competition, and the objector's own list with the center's replies (我的异议)."""

import pytest
from django.db import IntegrityError, transaction

from chuangkou.core.errors import DomainError
from chuangkou.core.roles import Role
from chuangkou.selection import services
from chuangkou.selection.models import Competition, Objection

from .conftest import candidate


def test_the_same_person_objects_to_one_result_once(published, role_user):
    clerk, other = role_user(Role.CLERK), role_user(Role.CLERK)
    placed = candidate(published.candidates[0])
    competition = published.competition
    services.submit_objection(
        actor=clerk, competition=competition, text="对该人员的成绩有疑问", candidate=placed
    )
    with pytest.raises(DomainError) as exc:
        services.submit_objection(
            actor=clerk, competition=competition, text="再说一遍成绩有疑问", candidate=placed
        )
    assert (
        exc.value.status == 409 and "已于" in exc.value.message and "我的异议" in exc.value.message
    )
    # about the whole list, or by someone else: a different objection
    services.submit_objection(actor=clerk, competition=competition, text="对整体结果有异议")
    services.submit_objection(
        actor=other, competition=competition, text="对该人员的成绩有疑问", candidate=placed
    )
    with pytest.raises(DomainError):
        services.submit_objection(actor=clerk, competition=competition, text="整体结果仍有异议")
    assert Objection.objects.count() == 3


def test_the_database_refuses_a_repeat_that_slips_past_the_service(published, role_user):
    clerk = role_user(Role.CLERK)
    competition = published.competition
    Objection.objects.create(competition=competition, submitted_by=clerk, text="第一次异议")
    with pytest.raises(IntegrityError), transaction.atomic():
        Objection.objects.create(competition=competition, submitted_by=clerk, text="第二次异议")


def test_an_objection_to_a_finished_competition_gets_a_message(published, role_user, client_as):
    clerk = role_user(Role.CLERK)
    Competition.objects.filter(pk=published.competition.pk).update(status=Competition.Status.FINAL)
    client = client_as(clerk)
    url = f"/selection/notice/{published.competition.pk}/objection/"
    response = client.post(url, {"text": "对结果有异议，请核实"}, follow=True)
    assert "公示期已结束" in response.content.decode()
    assert not Objection.objects.exists()


def test_a_repeat_from_the_page_is_told_where_the_answer_is(published, role_user, client_as):
    client = client_as(role_user(Role.CLERK))
    url = f"/selection/notice/{published.competition.pk}/objection/"
    first = client.post(url, {"text": "对整体结果有异议"}, follow=True)
    assert "我的异议" in first.content.decode()
    again = client.post(url, {"text": "对整体结果有异议"}, follow=True)
    assert "不必重复提交" in again.content.decode()
    assert Objection.objects.count() == 1


def test_the_objector_sees_the_reply(published, role_user, client_as):
    clerk = role_user(Role.CLERK)
    objection = services.submit_objection(
        actor=clerk, competition=published.competition, text="对整体结果有异议"
    )
    page = client_as(clerk).get("/selection/my-objections/").content.decode()
    assert "对整体结果有异议" in page and "尚未答复" in page
    services.handle_objection(
        actor=published.admin, objection=objection, decision="rejected", reply="经核查，成绩无误。"
    )
    page = client_as(clerk).get("/selection/my-objections/").content.decode()
    assert "经核查，成绩无误。" in page and "异议不成立" in page
    others = client_as(role_user(Role.CLERK)).get("/selection/my-objections/").content.decode()
    assert "经核查" not in others and "您没有提出过异议" in others
