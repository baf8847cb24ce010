"""Who may call which page or endpoint: one declaration per URL (NetBox's habit).

`ACCESS` lists every page of core/urls.py and org/urls.py and every endpoint of core/api.py and
org/api.py (tests/test_permissions.py fails when one is missing). For each, `allowed` names the
roles that get `ok`; every other signed-in role gets `denied` unless `special` says otherwise;
anonymous visitors get a redirect to the login page (pages) or 401 (API) unless `anonymous`
says otherwise.

Paths may use `{staff_id}` (a staff member of a department nobody in the test heads) and
`{account_id}` (some other account); `data` may be a callable taking the test's world.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from chuangkou.core.roles import Role

NO_ROLE = "no_role"  # a signed-in account that holds no role at all
ANONYMOUS = "anonymous"

CA, DH, CLERK = Role.CENTER_ADMIN, Role.DEPT_HEAD, Role.CLERK
SYS, SEC, AUD = Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR
ALL_SIGNED_IN = frozenset({*Role, NO_ROLE})
NOBODY: frozenset = frozenset()
STAFF_MANAGERS = frozenset({CA, DH, SYS, AUD})
WHOLE_CENTER = frozenset({CA, SYS, AUD})
EVERYONE = [*Role, NO_ROLE, ANONYMOUS]


@dataclass(frozen=True)
class Access:
    method: str
    path: str
    allowed: frozenset
    ok: int = 200
    denied: int = 403
    anonymous: int | None = None
    special: Mapping = field(default_factory=lambda: MappingProxyType({}))
    data: Any = None
    url_name: str = ""  # pages: the URL name covered (for the completeness check)

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")

    @property
    def route(self) -> str:
        return self.path.split("?", 1)[0]

    def expected(self, who) -> int:
        if who == ANONYMOUS:
            if self.anonymous is not None:
                return self.anonymous
            return 401 if self.is_api else 302
        if who in self.special:
            return self.special[who]
        return self.ok if who in self.allowed else self.denied

    def payload(self, world) -> Any:
        return self.data(world) if isinstance(self.data, Callable) else self.data

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def _special(**by_role) -> Mapping:
    return MappingProxyType({Role(k) if k != NO_ROLE else k: v for k, v in by_role.items()})


def _staff_form(world) -> dict:
    return {
        "name": "新登记",
        "gender": "F",
        "employment_type": "temporary",
        "department": world.dept.pk,
        "center": world.center.pk,
        "hire_date": "2018-03-01",
        "phone": "13800001234",
    }


def _staff_json(world) -> dict:
    return {
        "name": "新登记",
        "gender": "F",
        "employment_type": "temporary",
        "department_id": world.dept.pk,
        "center_id": world.center.pk,
        "hire_date": "2018-03-01",
    }


ACCESS: list[Access] = [
    # --- core pages ---
    Access("GET", "/login/", ALL_SIGNED_IN, ok=302, anonymous=200, url_name="core:login"),
    Access("POST", "/logout/", ALL_SIGNED_IN, ok=302, anonymous=302, url_name="core:logout"),
    Access("GET", "/logout/", NOBODY, denied=405, anonymous=405, url_name="core:logout"),
    Access("GET", "/audit/", frozenset({AUD}), url_name="core:audit_log"),
    Access("GET", "/audit/?person=x&start=2018-01-01&end=bad", frozenset({AUD})),
    Access("POST", "/audit/", NOBODY, denied=405, anonymous=405, url_name="core:audit_log"),
    Access("GET", "/healthz", ALL_SIGNED_IN, anonymous=200, url_name="core:healthz"),
    Access("GET", "/accounts/", frozenset({SYS, SEC}), url_name="core:accounts"),
    Access("GET", "/accounts/new/", frozenset({SYS}), url_name="core:account_create"),
    Access(
        "POST",
        "/accounts/new/",
        frozenset({SYS}),
        ok=302,
        data={"username": "newcomer", "password": "Wq7Lp3Nx!", "roles": ["clerk"]},
        url_name="core:account_create",
    ),
    Access("GET", "/accounts/{account_id}/", frozenset({SYS, SEC}), url_name="core:account_detail"),
    Access(
        "POST",
        "/accounts/{account_id}/",
        frozenset({SEC}),
        ok=302,
        special=_special(sysadmin=200),  # shown "no permission" as a message, nothing done
        data={"action": "unlock"},
        url_name="core:account_detail",
    ),
    Access(
        "POST",
        "/accounts/{account_id}/",
        frozenset({SYS}),
        ok=302,
        data={"action": "roles", "roles": ["auditor"]},
    ),
    # --- home and org pages ---
    Access("GET", "/", ALL_SIGNED_IN, url_name="home"),
    Access("GET", "/staff/", STAFF_MANAGERS, url_name="org:staff_list"),
    Access("GET", "/staff/?export=xlsx", STAFF_MANAGERS),
    Access("GET", "/staff/new/", frozenset({CA, DH}), url_name="org:staff_create"),
    Access(
        "POST",
        "/staff/new/",
        frozenset({CA}),
        ok=302,
        special=_special(dept_head=200),  # a form error: not the head of that department
        data=_staff_form,
        url_name="org:staff_create",
    ),
    Access("GET", "/staff/import/", frozenset({CA}), url_name="org:staff_import"),
    Access(
        "GET", "/staff/import/template.xlsx", frozenset({CA}), url_name="org:staff_import_template"
    ),
    Access("GET", "/staff/me/", ALL_SIGNED_IN, ok=302, url_name="org:my_profile"),
    Access("GET", "/staff/turnover/", frozenset({CA, DH}), url_name="org:turnover"),
    Access(
        "GET", "/staff/turnover/?start=2018-01-01&end=2018-12-31&export=xlsx", frozenset({CA, DH})
    ),
    Access("GET", "/staff/{staff_id}/", WHOLE_CENTER, denied=404, url_name="org:staff_detail"),
    Access(
        "GET", "/staff/{staff_id}/edit/", frozenset({CA}), denied=404, url_name="org:staff_edit"
    ),
    Access(
        "GET",
        "/staff/{staff_id}/separate/",
        frozenset({CA}),
        special=_special(dept_head=404),  # may use the page, but cannot see this person
        url_name="org:staff_separate",
    ),
    Access(
        "POST",
        "/staff/{staff_id}/separate/",
        frozenset({CA}),
        ok=302,
        special=_special(dept_head=404),
        data={"date": "2018-08-01", "reason": "pay"},
        url_name="org:staff_separate",
    ),
    Access(
        "GET",
        "/staff/{staff_id}/assign/",
        frozenset({CA}),
        special=_special(dept_head=404),
        url_name="org:staff_assign",
    ),
    Access(
        "POST",
        "/staff/{staff_id}/assign/",
        frozenset({CA}),
        ok=302,
        special=_special(dept_head=404),
        data=lambda w: {"kind": "regular", "center": w.center.pk, "start_date": "2019-01-01"},
        url_name="org:staff_assign",
    ),
    # --- API ---
    Access("GET", "/api/v1/core/me", ALL_SIGNED_IN),
    Access("GET", "/api/v1/org/centers", ALL_SIGNED_IN),
    Access("GET", "/api/v1/org/departments", ALL_SIGNED_IN),
    Access("GET", "/api/v1/org/categories", ALL_SIGNED_IN),
    Access("GET", "/api/v1/org/windows", ALL_SIGNED_IN),
    Access("GET", "/api/v1/org/staff", ALL_SIGNED_IN),
    Access("GET", "/api/v1/org/staff/{staff_id}", WHOLE_CENTER, denied=404),
    Access("POST", "/api/v1/org/staff", frozenset({CA}), ok=201, data=_staff_json),
    Access(
        "PATCH",
        "/api/v1/org/staff/{staff_id}",
        frozenset({CA}),
        denied=404,  # cannot even see the person
        special=_special(sysadmin=403, auditor=403),  # can see, may not change
        data={"phone": "13911112222"},
    ),
    Access("GET", "/api/v1/org/turnover?start=2018-01-01&end=2018-12-31", frozenset({CA, DH})),
]
