"""Access to org's pages and endpoints. `{staff_id}` is a person of department B, whom the
head of department A and clerk01 cannot see."""

from .matrix import ALL_SIGNED_IN, AUD, CA, DH, SYS, Access, special

STAFF_MANAGERS = frozenset({CA, DH, SYS, AUD})
WHOLE_CENTER = frozenset({CA, SYS, AUD})


def _staff_form(world) -> dict:
    """Department B: the head of A gets a form error."""
    return {
        "name": "新登记",
        "gender": "F",
        "employment_type": "temporary",
        "department": world.dept_b.pk,
        "center": world.main.pk,
        "hire_date": "2018-03-01",
        "phone": "13800001234",
    }


def _staff_json(world) -> dict:
    return {
        "name": "新登记",
        "gender": "F",
        "employment_type": "temporary",
        "department_id": world.dept_b.pk,
        "center_id": world.main.pk,
        "hire_date": "2018-03-01",
    }


ACCESS: list[Access] = [
    Access("GET", "/", ALL_SIGNED_IN, url_name="home"),
    Access("GET", "/staff/", STAFF_MANAGERS, url_name="org:staff_list"),
    Access("GET", "/staff/?export=xlsx", STAFF_MANAGERS),
    Access("GET", "/staff/new/", frozenset({CA, DH}), url_name="org:staff_create"),
    Access(
        "POST",
        "/staff/new/",
        frozenset({CA}),
        ok=302,
        special=special(dept_head=200),  # a form error: not the head of that department
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
        special=special(dept_head=404),  # may use the page, but cannot see this person
        url_name="org:staff_separate",
    ),
    Access(
        "POST",
        "/staff/{staff_id}/separate/",
        frozenset({CA}),
        ok=302,
        special=special(dept_head=404),
        data={"date": "2018-08-01", "reason": "pay"},
        url_name="org:staff_separate",
    ),
    Access(
        "GET",
        "/staff/{staff_id}/assign/",
        frozenset({CA}),
        special=special(dept_head=404),
        url_name="org:staff_assign",
    ),
    Access(
        "POST",
        "/staff/{staff_id}/assign/",
        frozenset({CA}),
        ok=302,
        special=special(dept_head=404),
        data={"kind": "regular", "center": "{center}", "start_date": "2019-01-01"},
        url_name="org:staff_assign",
    ),
    # accounts for staff in bulk (the system administrator) and the organisation's imports
    Access("GET", "/staff/accounts/", frozenset({SYS}), url_name="org:staff_accounts"),
    Access(
        "POST",
        "/staff/accounts/create/",
        frozenset({SYS}),
        ok=302,
        url_name="org:staff_accounts_create",
    ),
    Access(
        "GET",
        "/staff/accounts/issued.xlsx",
        frozenset({SYS}),
        ok=302,  # nothing issued in this session: back to the page
        url_name="org:staff_accounts_download",
    ),
    Access("GET", "/staff/data-import/centers/", frozenset({CA}), url_name="org:data_import"),
    Access(
        "GET",
        "/staff/data-import/centers/template.xlsx",
        frozenset({CA}),
        url_name="org:data_import_template",
    ),
    # --- API ---
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
        special=special(sysadmin=403, auditor=403),  # can see, may not change
        data={"phone": "13911112222"},
    ),
    Access("GET", "/api/v1/org/turnover?start=2018-01-01&end=2018-12-31", frozenset({CA, DH})),
]
