"""Shared fixtures: test settings, users by role, logged-in clients, a small organisation."""

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

# Playwright fixtures (browser, page) registered once for every folder: a session fixture
# imported into several conftests would start Playwright twice in one thread.
pytest_plugins = ["tests.browser.fixtures"]

# The tests keep their database, uploads and secret key in a temporary folder of their own.
# settings.py reads CHUANGKOU_DATA_DIR at import time; pytest-django imports the settings
# before this conftest is loaded, so the paths derived from it are re-pointed below as well.
_OWN_DATA_DIR: Path | None = None
if not os.environ.get("CHUANGKOU_DATA_DIR"):
    _OWN_DATA_DIR = Path(tempfile.mkdtemp(prefix="chuangkou-tests-"))
    os.environ["CHUANGKOU_DATA_DIR"] = str(_OWN_DATA_DIR)


def _point_settings_at_data_dir() -> None:
    from django.conf import settings

    if not settings.configured:
        return  # settings not loaded yet: they will read the environment variable
    data_dir = Path(os.environ["CHUANGKOU_DATA_DIR"]).resolve()
    if Path(settings.DATA_DIR).resolve() == data_dir:
        return
    settings.DATA_DIR = data_dir
    settings.MEDIA_ROOT = data_dir / "media"
    settings.STATIC_ROOT = data_dir / "static"
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is absent
    database = settings.DATABASES["default"]  # changed in place: connections share this dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database["NAME"] = data_dir / "chuangkou.sqlite3"
        database.setdefault("TEST", {})["NAME"] = data_dir / "test.sqlite3"


_point_settings_at_data_dir()


def pytest_unconfigure(config):
    if _OWN_DATA_DIR is not None:
        shutil.rmtree(_OWN_DATA_DIR, ignore_errors=True)


from django.test import Client  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# No example database in the working tree (.hypothesis/); failures print their own example.
hypothesis_settings.register_profile("chuangkou", database=None)
hypothesis_settings.load_profile("chuangkou")

from chuangkou.core.models import ApiToken  # noqa: E402
from chuangkou.core.roles import Role  # noqa: E402
from chuangkou.org.models import Center, Staff  # noqa: E402

from .factories import (  # noqa: E402
    AssignmentFactory,
    BusinessCategoryFactory,
    CenterFactory,
    DepartmentFactory,
    RegionFactory,
    StaffFactory,
    SubCenterFactory,
    UserFactory,
    WindowFactory,
)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.ALLOWED_HOSTS = sorted(
        {*settings.ALLOWED_HOSTS, "testserver", "localhost", "127.0.0.1"}
    )
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Production asks these roles for a second factor; tests that exercise it set it again.
    settings.OTP_REQUIRED_ROLES = []
    # Each test anchors its audit chains in its own checkpoint file (the database is rolled back
    # or flushed after each test; a shared file would outlive the entries it anchors).
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    # Queued jobs run at once, inside the test (like a worker that never lags); the tests of the
    # task queue itself switch back to the database backend and run `chuangkou worker`.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": settings.TASK_QUEUES,
        }
    }


def _flush_past_audit_triggers():
    """The audit table refuses DELETE/TRUNCATE (core.audit_triggers); the flush between
    transactional tests lifts that for its own statements only."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from chuangkou.core.audit_triggers import lifted

    flush = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        with lifted(self.connection.alias):
            flush(self, sql_list)

    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush


_flush_past_audit_triggers()


@pytest.fixture
def role_user(db):
    """`role_user(Role.CLERK)` or `role_user(Role.DEPT_HEAD, Role.CLERK, username="x")`;
    `role_user()` is a signed-in account without any role."""

    def make(*roles: Role, **kwargs):
        return UserFactory(roles=[r for r in roles if r is not None], **kwargs)

    return make


@pytest.fixture
def client_as(db):
    """A django test Client logged in as `user` (force_login: no password check)."""

    def make(user, **kwargs) -> Client:
        client = Client(**kwargs)
        client.force_login(user)
        return client

    return make


class ApiClient:
    """JSON calls under /api/v1 with a session (default) or a bearer token."""

    prefix = "/api/v1"

    def __init__(self, client: Client, headers: dict | None = None):
        self.client = client
        self.headers = headers or {}

    def _url(self, path: str) -> str:
        return path if path.startswith(self.prefix) else self.prefix + path

    def get(self, path: str, params: dict | None = None):
        return self.client.get(self._url(path), params or {}, headers=self.headers)

    def post(self, path: str, data=None, *, raw: str | None = None):
        body = raw if raw is not None else (data if data is not None else {})
        return self.client.post(
            self._url(path), body, content_type="application/json", headers=self.headers
        )

    def patch(self, path: str, data=None, *, raw: str | None = None):
        body = raw if raw is not None else (data if data is not None else {})
        return self.client.patch(
            self._url(path), body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_client_as(db):
    """`api_client_as(user)` uses the session; `api_client_as(user, token=True)` a bearer token;
    `api_client_as(None)` is anonymous."""

    def make(user, *, token: bool = False, **client_kwargs) -> ApiClient:
        client = Client(**client_kwargs)
        if user is None:
            return ApiClient(client)
        if token:
            key = ApiToken.new_key()
            ApiToken.objects.create(
                user=user, name="tests", key_hash=ApiToken.hash_key(key), prefix=key[:8]
            )
            return ApiClient(client, {"Authorization": f"Bearer {key}"})
        client.force_login(user)
        return ApiClient(client)

    return make


@pytest.fixture(scope="module")
def module_db(django_db_setup, django_db_blocker, tmp_path_factory):
    """One outer transaction per test module, rolled back at its end: module-scoped fixtures
    build their objects inside it once (`with module_db(): ...`), and every test of the module
    sees them while still running in its own savepoint (pytest-django's `db`)."""
    from contextlib import contextmanager

    from django.db import transaction
    from django.test import override_settings

    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        OTP_REQUIRED_ROLES=[],
        AUDIT_CHECKPOINT_FILE=tmp_path_factory.mktemp("module") / "audit-checkpoints.log",
    )

    @contextmanager
    def building():
        with django_db_blocker.unblock(), overrides:
            yield

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # durable blocks of the code under test nest inside it
        outer.__enter__()
    try:
        yield building
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def org_small(db):
    """The small organisation of `build_org_small`."""
    return build_org_small()


def build_org_small() -> SimpleNamespace:
    """A demo-like small organisation.

    One region; a main center and one sub-center; departments A (市场监管) and B (人力社保);
    windows A01 (main, A), B01 (main, B), S01 (sub, A); six staff: a1..a3 in A, b1..b2 in B,
    s1 in A at the sub-center; accounts: admin (center admin), head_a (head of A),
    clerk_a1 (clerk, linked to staff a1), clerk_b1 (clerk, linked to staff b1).
    """
    region = RegionFactory()
    main = CenterFactory(region=region, name="下城区行政服务中心", kind=Center.Kind.MAIN)
    sub = SubCenterFactory(parent=main, name="武林街道分中心")
    category = BusinessCategoryFactory(name="商事登记", order=1)
    admin = UserFactory(username="admin", display_name="管理员", roles=[Role.CENTER_ADMIN])
    head_a = UserFactory(username="depthead01", display_name="部门甲负责人", roles=[Role.DEPT_HEAD])
    clerk_a1 = UserFactory(username="clerk01", display_name="甲一", roles=[Role.CLERK])
    clerk_b1 = UserFactory(username="clerk02", display_name="乙一", roles=[Role.CLERK])
    dept_a = DepartmentFactory(region=region, code="SCJG", name="市场监管局", heads=[head_a])
    dept_b = DepartmentFactory(region=region, code="RLSB", name="人力社保局")
    w_a01 = WindowFactory(center=main, department=dept_a, number="A01", name="商事登记")
    w_b01 = WindowFactory(center=main, department=dept_b, number="B01", name="社保办理")
    w_s01 = WindowFactory(center=sub, department=dept_a, number="S01", name="综合受理")

    def staff(name, dept, center, window, **kw):
        s = StaffFactory(
            name=name, department=dept, center=center, window=window, category=category, **kw
        )
        AssignmentFactory(staff=s)
        return s

    a1 = staff("甲一", dept_a, main, w_a01, user=clerk_a1, hire_date=dt.date(2016, 5, 3))
    a2 = staff("甲二", dept_a, main, w_a01, employment_type=Staff.EmploymentType.REGULAR)
    a3 = staff("甲三", dept_a, main, None)
    b1 = staff("乙一", dept_b, main, w_b01, user=clerk_b1)
    b2 = staff("乙二", dept_b, main, w_b01, employment_type=Staff.EmploymentType.AGENCY)
    s1 = staff("丙一", dept_a, sub, w_s01)
    return SimpleNamespace(
        region=region,
        main=main,
        sub=sub,
        category=category,
        dept_a=dept_a,
        dept_b=dept_b,
        w_a01=w_a01,
        w_b01=w_b01,
        w_s01=w_s01,
        a1=a1,
        a2=a2,
        a3=a3,
        b1=b1,
        b2=b2,
        s1=s1,
        staff=[a1, a2, a3, b1, b2, s1],
        admin=admin,
        head_a=head_a,
        clerk_a1=clerk_a1,
        clerk_b1=clerk_b1,
    )
