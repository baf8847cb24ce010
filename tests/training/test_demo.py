"""The training demo on its own: events of every kind, attendance, suggestions, quickly."""

import time

import pytest
from django.db.models import Count

from chuangkou.core.demo import load as load_core
from chuangkou.core.models import AuditEntry
from chuangkou.org.demo import load as load_org
from chuangkou.training import demo
from chuangkou.training.models import (
    Attendance,
    Courseware,
    Kind,
    PkContest,
    PkVote,
    Suggestion,
    TrainingEvent,
)


@pytest.mark.django_db
def test_demo_loads_a_year_and_the_suggestions():
    load_core()
    load_org()
    started = time.perf_counter()
    demo.load()
    elapsed = time.perf_counter() - started
    assert set(TrainingEvent.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert Attendance.objects.filter(status=Attendance.Status.LATE).exists()
    assert Suggestion.objects.count() == 32
    assert Suggestion.objects.filter(problem__isnull=False).count() == 2
    assert Suggestion.objects.filter(status=Suggestion.Status.ADOPTED).count() == 14
    assert Courseware.objects.filter(selected=True, year=2018).count() == 4
    assert PkVote.objects.count() == 3
    assert PkContest.objects.get().status == PkContest.Status.CLOSED
    # the audit log tells what happened: absences, corrections, filing and deciding, the PK
    logged = dict(
        AuditEntry.objects.filter(action__startswith="training.")
        .values_list("action")
        .annotate(n=Count("pk"))
        .values_list("action", "n")
    )
    corrected = Attendance.objects.exclude(correction_reason="")
    assert corrected.exists() and logged["training.attendance.correct"] == corrected.count()
    assert not Attendance.objects.filter(
        status=Attendance.Status.SIGNED_UP, event__starts_at__year=2018
    ).exists()
    assert (
        logged["training.event.absences"]
        == TrainingEvent.objects.filter(absences_recorded=True).count()
    )
    assert logged["training.suggestion.file"] == 32
    assert logged["training.suggestion.decide"] == 18
    assert {"training.pk.open", "training.pk.close", "training.pk.select"} <= set(logged)
    assert elapsed < 30
    print(f"training demo loaded in {elapsed:.1f} s")
