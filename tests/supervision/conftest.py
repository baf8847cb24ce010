"""The supervision world: org_small plus supervisors, a questionnaire and an assignment today."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from chuangkou.core.roles import Role
from chuangkou.supervision import services
from chuangkou.supervision.models import VisitAssignment, VisitPlan
from tests.factories import UserFactory

TERM = (dt.date(2018, 1, 1), dt.date(2030, 12, 31))


def photo(name="现场.jpg", fmt="JPEG", size=(64, 48)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, "blue").save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue(), f"image/{fmt.lower()}")


def visit_time() -> dt.datetime:
    """A moment today, a little before now."""
    now = timezone.localtime()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(start, now - dt.timedelta(minutes=5))


def appoint(o, username, centers, former=None):
    user = UserFactory(username=username, roles=[Role.SUPERVISOR])
    return services.appoint_supervisor(
        actor=o.admin,
        user=user,
        name=f"监督员{username[-2:]}",
        phone="13812345678",
        term_start=TERM[0],
        term_end=TERM[1],
        centers=centers,
        former_department=former,
    )


def build_sv(o) -> SimpleNamespace:
    o.sup1 = appoint(o, "supervisor01", [o.main, o.sub])
    o.sup2 = appoint(o, "supervisor02", [o.main])
    o.sup3 = appoint(o, "supervisor03", [o.main, o.sub], former=o.dept_b)
    o.plan = VisitPlan.objects.create(
        name="本月",
        period_start=timezone.localdate(),
        period_end=timezone.localdate(),
        visits_per_center=1,
        seed=1,
        created_by=o.admin,
    )
    o.assignment = VisitAssignment.objects.create(
        plan=o.plan, supervisor=o.sup1, center=o.main, date=timezone.localdate()
    )
    o.questionnaire = services.publish_questionnaire(actor=o.admin, version=1)
    return o


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    """Each test's uploads in a folder of its own (so "nothing was stored" can be checked)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_files() -> list[str]:
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def sv(org_small):
    return build_sv(org_small)
