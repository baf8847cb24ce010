"""Access to the cases app: the admin, the head of the case's department (A) and the clerk who
accepted it read and act on it; seeing another department's or another clerk's case is covered
in tests/cases/test_views.py and test_api.py."""

from tests.cases.conftest import APPLICANT

from .matrix import CA, CLERK, DH, NO_ROLE, Access

READERS = frozenset({CA, DH, CLERK})
FIGURES = frozenset({CA, DH})


def _accept_form(world) -> dict:
    return {"channel": "window", "matter": world.matter_a.pk, "window": world.w_a01.pk, **APPLICANT}


ACCESS = [
    Access("GET", "/cases/", READERS, url_name="cases:list"),
    Access("GET", "/cases/?export=xlsx", READERS),
    Access("GET", "/cases/{case}/", READERS, url_name="cases:detail"),
    Access(
        "POST",
        "/cases/{case}/complete/",
        READERS,
        ok=302,
        data={"complete-note": "已出证"},
        url_name="cases:action",
    ),
    Access("GET", "/cases/accept/", frozenset({CLERK, CA}), url_name="cases:accept"),
    Access(
        "POST", "/cases/accept/", frozenset({CLERK}), ok=302, data=_accept_form, special={CA: 200}
    ),  # the admin has no staff record: the form says so
    Access("GET", "/cases/figures/", FIGURES, url_name="cases:figures"),
    Access("GET", "/cases/figures/?start=2018-01-01&end=2018-06-30&export=windows", FIGURES),
    Access("GET", "/cases/import/", frozenset({CA}), url_name="cases:import"),
    Access("GET", "/cases/import/template.xlsx", frozenset({CA}), url_name="cases:import_template"),
    Access("GET", "/cases/import/template.csv", frozenset({CA})),
    Access("GET", "/cases/import/{job}/", frozenset({CA}), url_name="cases:import_job"),
    Access(  # a done job has nothing to retry: the page says so (302 back to it)
        "POST",
        "/cases/import/{job}/retry/",
        frozenset({CA}),
        ok=302,
        url_name="cases:import_job_action",
    ),
    Access("POST", "/cases/import/{job}/discard/", frozenset({CA}), ok=302),
    # API
    Access("GET", "/api/v1/cases/", READERS),
    Access("GET", "/api/v1/cases/{case}", READERS),
    Access("GET", "/api/v1/cases/figures?start=2018-01-01&end=2018-06-30", FIGURES),
    Access(
        "GET", "/api/v1/cases/imports/{job}", frozenset({CA}), denied=404, special={NO_ROLE: 404}
    ),
    Access(
        "POST",
        "/api/v1/cases/",
        frozenset({CLERK}),
        ok=201,
        data={"matter_id": "{matter}", **APPLICANT},
    ),
    Access(
        "POST",
        "/api/v1/cases/online",
        frozenset({CLERK, CA}),
        ok=201,
        data={"matter_id": "{shop}", "center_id": "{center}", **APPLICANT},  # an online matter
    ),
    Access("POST", "/api/v1/cases/{case}/supplement", READERS, data={"note": "缺材料"}),
    Access("POST", "/api/v1/cases/{case}/resume", READERS, ok=400, data={}),
    Access("POST", "/api/v1/cases/{case}/complete", READERS, data={}),
    Access("POST", "/api/v1/cases/{case}/reject", READERS, data={"reason": "不符合条件"}),
    Access("POST", "/api/v1/cases/{case}/return", READERS, data={"reason": "申请人撤回"}),
    Access("POST", "/api/v1/cases/{case}/visits", READERS, ok=201, data={"note": "补交材料"}),
]
