"""The daily commands: escalate overdue problems, confirm lapsed findings."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from chuangkou.supervision import services
from chuangkou.supervision.models import Finding

from .conftest import visit_time

pytestmark = pytest.mark.django_db


def _run(name: str, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def test_escalate_overdue_runs_once_per_problem(sv):
    problem = services.report_problem(
        actor=sv.admin, title="等候过长", kind="pain", owner=sv.dept_a
    )
    late = (problem.deadline + dt.timedelta(days=1)).isoformat()
    assert "0 个" in _run("supervision_escalate_overdue")
    assert "1 个" in _run("supervision_escalate_overdue", "--date", late)
    assert "0 个" in _run("supervision_escalate_overdue", "--date", late)
    problem.refresh_from_db()
    assert problem.escalated_at is not None


def test_confirm_lapsed_findings_after_the_deadline(sv):
    visit = services.file_visit(
        actor=sv.sup1.user,
        assignment=sv.assignment,
        visited_at=visit_time(),
        windows=["A01"],
        checks=[services.Check("smile", "bad", "A01")],
    )
    after = (visit.confirm_due + dt.timedelta(days=1)).isoformat()
    assert "0 个" in _run("supervision_confirm_lapsed_findings")
    assert "1 个" in _run("supervision_confirm_lapsed_findings", "--date", after)
    assert Finding.objects.get().state == Finding.State.CONFIRMED


@pytest.mark.parametrize("value", ["tomorrow", "9999-01-01"])
def test_a_bad_date_is_refused(sv, value):
    with pytest.raises(CommandError):
        _run("supervision_escalate_overdue", "--date", value)
