"""The notify demo: opt-ins on today's tickets and bookings, the log of past notices, figures."""

import time

import pytest
from django.urls import reverse

from chuangkou.catalog import demo as catalog_demo
from chuangkou.core import demo as core_demo
from chuangkou.core.models import User
from chuangkou.hall import demo as hall_demo
from chuangkou.notify import demo
from chuangkou.notify.models import Message, Subscription
from chuangkou.org import demo as org_demo

pytestmark = pytest.mark.django_db


def test_demo_opt_ins_log_and_figures(client):
    core_demo.load()
    org_demo.load()
    catalog_demo.load()
    hall_demo.load()
    started = time.perf_counter()
    demo.load()
    assert time.perf_counter() - started < 30
    assert Subscription.objects.filter(subject_kind="ticket").count() == 8
    assert Subscription.objects.filter(subject_kind="appointment").exists()
    assert Message.objects.filter(status=Message.Status.SENT, channel="log").count() > 50
    assert not Message.objects.filter(status=Message.Status.FAILED).exists()
    admin = User.objects.get(username="admin")
    client.force_login(admin)
    page = client.get(reverse("notify:log")).content.decode()
    assert "已记录（演示渠道，未实际发送）" in page
    figures = client.get(reverse("notify:figures")).content.decode()
    assert "收到提醒的号" in figures and "100.0%" in figures
