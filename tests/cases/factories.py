"""Factories for the cases tests: matters (catalog), queues and tickets (hall) as the cases app
uses them, and cases made through the services."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from chuangkou.catalog.models import Matter
from chuangkou.hall.models import ServiceQueue, Ticket

from ..factories import CenterFactory, DepartmentFactory


class MatterFactory(DjangoModelFactory):
    class Meta:
        model = Matter

    code = factory.Sequence(lambda n: f"CASE-{n:04d}")
    name = factory.Sequence(lambda n: f"办件测试事项{n}")
    department = factory.SubFactory(DepartmentFactory)
    promised_days = 3
    max_visits = 1
    online = True


class QueueFactory(DjangoModelFactory):
    class Meta:
        model = ServiceQueue

    center = factory.SubFactory(CenterFactory)
    prefix = factory.Sequence(lambda n: chr(ord("A") + n % 26))
    name = factory.Sequence(lambda n: f"队列{n}")


class TicketFactory(DjangoModelFactory):
    """A ticket of today being served at `window` by `clerk` (hall's 办理中)."""

    class Meta:
        model = Ticket

    queue = factory.SubFactory(QueueFactory)
    service_date = factory.LazyFunction(timezone.localdate)
    seq = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.queue.prefix}{o.seq:03d}")
    status = Ticket.Status.SERVING
    channel = Ticket.Channel.KIOSK
    issued_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=20))
    called_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=5))
    started_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=4))
