"""One result per checklist item per window and per item in the lobby, on both databases.

The old constraint (nulls_distinct=False) was not created at all on SQLite, which let in a
second observation of the same visit and item, in the lobby (window NULL) or at a window;
migration 0002 removes such rows and replaces it by two partial constraints."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from chuangkou.supervision import services
from chuangkou.supervision.models import Finding, Observation
from chuangkou.supervision.services import Check

from .conftest import visit_time

MIGRATION = "chuangkou.supervision.migrations.0002_observation_once_both_databases"
BEFORE = ("supervision", "0001_secret_visits_sittings_problems")
AFTER = ("supervision", "0002_observation_once_both_databases")


def file(o, assignment=None, supervisor=None, windows=("A01", "B01"), checks=()):
    supervisor = supervisor or o.sup1
    return services.file_visit(
        actor=supervisor.user,
        assignment=assignment or o.assignment,
        visited_at=visit_time(),
        windows=list(windows),
        checks=list(checks),
    )


def observe(visit, item, window=None, result="ok", **fields):
    return Observation.objects.create(
        visit=visit,
        window=window,
        item=item,
        item_label=item,
        group="g",
        result=result,
        **fields,
    )


def second_visit(o):
    """A visit of another supervisor at the same center, the same day."""
    from chuangkou.supervision.models import VisitAssignment

    assignment = VisitAssignment.objects.create(
        plan=o.plan, supervisor=o.sup2, center=o.main, date=o.assignment.date
    )
    return file(o, assignment=assignment, supervisor=o.sup2)


# The constraints on the running database ---------------------------------------------------


@pytest.mark.django_db
def test_a_second_lobby_observation_of_the_same_item_is_refused(sv):
    visit = file(sv)
    assert visit.observations.filter(window=None, item="lobby_water").count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        observe(visit, "lobby_water")
    assert visit.observations.filter(window=None, item="lobby_water").count() == 1


@pytest.mark.django_db
def test_a_second_window_observation_of_the_same_item_is_refused(sv):
    visit = file(sv)
    with pytest.raises(IntegrityError), transaction.atomic():
        observe(visit, "smile", window=sv.w_a01)
    assert visit.observations.filter(window=sv.w_a01, item="smile").count() == 1


@pytest.mark.django_db
def test_the_same_item_at_two_windows_and_in_two_visits_lobbies_is_fine(sv):
    visit = file(sv, windows=["A01"])
    observe(visit, "smile", window=sv.w_b01)  # A01 has it already
    other = second_visit(sv)
    assert Observation.objects.filter(item="smile", visit=visit).count() == 2
    assert Observation.objects.filter(item="lobby_water", window=None).count() == 2
    assert {o.visit_id for o in Observation.objects.filter(item="lobby_water")} == {
        visit.pk,
        other.pk,
    }


@pytest.mark.django_db
def test_filing_a_visit_answering_an_item_twice_keeps_the_last_answer(sv):
    """The service never writes a duplicate: the last of two answers counts, alike in the
    lobby and at a window."""
    visit = file(
        sv,
        checks=[
            Check("lobby_water", "ok"),
            Check("lobby_water", "bad"),
            Check("smile", "ok", "A01"),
            Check("smile", "bad", "a01"),
        ],
    )
    lobby = visit.observations.get(window=None, item="lobby_water")
    window = visit.observations.get(window=sv.w_a01, item="smile")
    assert (lobby.result, window.result) == ("bad", "bad")
    assert visit.findings.count() == 2


# The migration's removal of the duplicates that SQLite let in --------------------------------


@pytest.mark.django_db
def test_the_dedupe_step_keeps_the_latest_answer_and_its_finding(sv):
    remove_duplicates = importlib.import_module(MIGRATION).remove_duplicates
    visit = file(sv, checks=[Check("lobby_water", "bad")])
    other = second_visit(sv)
    first = visit.observations.get(window=None, item="lobby_water")
    finding = first.finding
    with connection.cursor() as cursor:  # the state SQLite was left in: no constraint
        for name in ["supervision_observation_once", "supervision_observation_once_lobby"]:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    observe(visit, "lobby_water", result="unseen")
    latest = observe(visit, "lobby_water", result="ok")
    latest_smile = observe(visit, "smile", window=sv.w_a01, result="bad")
    observe(visit, "lobby_chair")

    remove_duplicates(apps, SimpleNamespace(connection=connection))

    assert list(visit.observations.filter(window=None, item="lobby_water")) == [latest]
    assert list(visit.observations.filter(window=sv.w_a01, item="smile")) == [latest_smile]
    assert visit.observations.filter(window=None, item="lobby_chair").count() == 1
    assert visit.observations.filter(window=None).count() == 5
    assert visit.observations.exclude(window=None).count() == 18  # 9 items at 2 windows
    assert Finding.objects.get(pk=finding.pk).observation_id == latest.pk
    assert other.observations.count() == 5 + 18  # untouched


@pytest.mark.django_db(transaction=True)
def test_the_migration_removes_duplicates_before_adding_the_constraints(sv):
    visit = file(sv)
    kept = visit.observations.get(window=None, item="lobby_water").pk
    kept_smile = visit.observations.get(window=sv.w_a01, item="smile").pk
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        old = executor.loader.project_state([BEFORE]).apps.get_model("supervision", "Observation")
        fields = {"visit_id": visit.pk, "item_label": "x", "group": "g", "result": "ok"}
        if connection.vendor == "sqlite":  # the old constraint was never created: they get in
            old.objects.create(item="lobby_water", **fields)
            kept = old.objects.create(item="lobby_water", **fields).pk
            old.objects.create(item="lobby_help", **fields)
            kept_smile = old.objects.create(item="smile", window_id=sv.w_a01.pk, **fields).pk
            assert old.objects.filter(visit_id=visit.pk).count() == 5 + 18 + 4
        else:  # PostgreSQL refused them all along
            with pytest.raises(IntegrityError), transaction.atomic():
                old.objects.create(item="lobby_water", **fields)
            with pytest.raises(IntegrityError), transaction.atomic():
                old.objects.create(item="smile", window_id=sv.w_a01.pk, **fields)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])

    assert visit.observations.count() == 5 + 18
    assert visit.observations.get(window=None, item="lobby_water").pk == kept
    assert visit.observations.get(window=sv.w_a01, item="smile").pk == kept_smile
    with pytest.raises(IntegrityError), transaction.atomic():
        observe(visit, "lobby_water")
    with pytest.raises(IntegrityError), transaction.atomic():
        observe(visit, "smile", window=sv.w_a01)
