"""Factories for the rows feedback rates: matters, queues, tickets and cases as they stand.

They write the hall and cases rows directly (the feedback tests need finished tickets and
completed cases, not the hall's or cases' own services).
"""

import datetime as dt
import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from chuangkou.cases.models import Case
from chuangkou.catalog.models import Matter
from chuangkou.hall.models import ServiceQueue, Ticket
from tests.factories import CenterFactory, DepartmentFactory


def local(year, month, day, hour=10, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


class MatterFactory(DjangoModelFactory):
    class Meta:
        model = Matter

    code = factory.Sequence(lambda n: f"FBM{n:05d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    department = factory.SubFactory(DepartmentFactory)
    promised_days = 5


class QueueFactory(DjangoModelFactory):
    class Meta:
        model = ServiceQueue

    center = factory.SubFactory(CenterFactory)
    prefix = factory.Sequence(lambda n: chr(ord("A") + n % 26) + chr(ord("A") + n // 26 % 26))
    name = factory.Sequence(lambda n: f"队列{n}")


class TicketFactory(DjangoModelFactory):
    """A finished (已办结) ticket by default, served at `window` by `clerk`."""

    class Meta:
        model = Ticket

    queue = factory.SubFactory(QueueFactory)
    service_date = factory.LazyFunction(timezone.localdate)
    seq = factory.Sequence(lambda n: n + 1)
    number = factory.LazyAttribute(lambda o: f"{o.queue.prefix}{o.seq:03d}")
    status = Ticket.Status.DONE
    channel = Ticket.Channel.KIOSK
    window = None
    clerk = None
    phone = "13812345678"
    issued_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=20))
    finished_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(minutes=2))
    public_token = factory.LazyFunction(uuid.uuid4)


class CaseFactory(DjangoModelFactory):
    """A completed (已办结) case by default."""

    class Meta:
        model = Case

    number = factory.Sequence(lambda n: f"330103-20180301-{n:05d}")
    matter = factory.SubFactory(MatterFactory)
    department = factory.SelfAttribute("matter.department")
    center = factory.SubFactory(CenterFactory)
    channel = Case.Channel.WINDOW
    applicant_kind = Case.ApplicantKind.PERSON
    applicant_name = factory.Sequence(lambda n: f"申请人{n}")
    applicant_phone = factory.Sequence(lambda n: f"137{n:08d}")
    status = Case.Status.COMPLETED
    accepted_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))
    accepted_date = factory.LazyAttribute(lambda o: timezone.localdate(o.accepted_at))
    due_date = factory.LazyAttribute(lambda o: o.accepted_date + dt.timedelta(days=7))
    completed_at = factory.LazyAttribute(
        lambda o: (
            o.accepted_at + dt.timedelta(days=1) if o.status == Case.Status.COMPLETED else None
        )
    )
