"""Factories for the hall's rows, for states that the services cannot reach in a test
(tickets of another day, slots in the past)."""

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from chuangkou.hall.models import Appointment, AppointmentSlot, ServiceQueue, Ticket
from tests.factories import CenterFactory


class ServiceQueueFactory(DjangoModelFactory):
    class Meta:
        model = ServiceQueue
        skip_postgeneration_save = True

    center = factory.SubFactory(CenterFactory)
    prefix = factory.Sequence(lambda n: chr(ord("A") + n % 26))
    name = factory.Sequence(lambda n: f"测试队列{n}")
    average_service_minutes = 10

    @factory.post_generation
    def windows(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.windows.set(extracted)

    @factory.post_generation
    def matters(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.matters.set(extracted)


class TicketFactory(DjangoModelFactory):
    """A ticket row as it stands (no counter, no event): use the services for real issues."""

    class Meta:
        model = Ticket

    queue = factory.SubFactory(ServiceQueueFactory)
    service_date = factory.LazyFunction(timezone.localdate)
    seq = factory.Sequence(lambda n: 900 + n)
    number = factory.LazyAttribute(lambda o: f"{o.queue.prefix}{o.seq:03d}")
    channel = Ticket.Channel.KIOSK
    issued_at = factory.LazyFunction(timezone.now)


class AppointmentSlotFactory(DjangoModelFactory):
    class Meta:
        model = AppointmentSlot

    queue = factory.SubFactory(ServiceQueueFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=1))
    start = dt.time(9, 0)
    end = dt.time(9, 30)
    capacity = 2


class AppointmentFactory(DjangoModelFactory):
    class Meta:
        model = Appointment

    slot = factory.SubFactory(AppointmentSlotFactory)
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    code = factory.Sequence(lambda n: f"{n % 1_000_000:06d}")
    booked_at = factory.LazyFunction(timezone.now)
