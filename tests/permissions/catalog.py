"""Access to the catalog: the public guide needs no sign-in; the admin and the heads edit
matters (a head only their department's: A, the T-SJ-* codes); only the admin edits bundles."""

from .matrix import ALL_SIGNED_IN, CA, DH, Access, special

EDITORS = frozenset({CA, DH})
ADMIN = frozenset({CA})
NOT_THEIRS = special(dept_head=404)  # a matter of department B


def _public(path: str, url_name: str = "") -> Access:
    return Access("GET", path, ALL_SIGNED_IN, anonymous=200, url_name=url_name)


ACCESS: list[Access] = [
    _public("/guide/", "catalog:guide"),
    _public("/guide/?q=身份证&department=1&visits=1&page=2"),
    _public("/guide/matter/T-SJ-001/", "catalog:matter_guide"),
    _public("/guide/bundle/B-SHOP/", "catalog:bundle_guide"),
    _public("/guide/material/{material}/template/", "catalog:material_file"),
    Access("GET", "/guide/manage/", EDITORS, url_name="catalog:manage"),
    Access("GET", "/guide/manage/?export=xlsx", EDITORS),
    Access("GET", "/guide/manage/new/", EDITORS, url_name="catalog:matter_create"),
    Access("GET", "/guide/manage/{shop}/edit/", EDITORS, url_name="catalog:matter_edit"),
    Access("GET", "/guide/manage/{sscard}/edit/", EDITORS, special=NOT_THEIRS),
    Access("GET", "/guide/manage/import/", EDITORS, url_name="catalog:import"),
    Access(
        "GET", "/guide/manage/import/template.xlsx", EDITORS, url_name="catalog:import_template"
    ),
    Access("GET", "/guide/manage/bundles/", ADMIN, url_name="catalog:bundles"),
    Access("GET", "/guide/manage/bundles/new/", ADMIN, url_name="catalog:bundle_create"),
    Access("GET", "/guide/manage/bundles/{bundle}/edit/", ADMIN, url_name="catalog:bundle_edit"),
    # a POST that went through redirects back to the edit page
    Access(
        "POST",
        "/guide/manage/{company}/active/",
        EDITORS,
        ok=302,
        data={"active": "0"},
        url_name="catalog:matter_set_active",
    ),
    Access(
        "POST",
        "/guide/manage/{sscard}/active/",
        EDITORS,
        ok=302,
        special=NOT_THEIRS,
        data={"active": "0"},
    ),
    Access(
        "POST",
        "/guide/manage/bundles/{bundle}/active/",
        ADMIN,
        ok=302,
        data={"active": "0"},
        url_name="catalog:bundle_set_active",
    ),
    # API: the public guide
    Access("GET", "/api/v1/catalog/matters", ALL_SIGNED_IN, anonymous=200),
    Access("GET", "/api/v1/catalog/matters?q=身份证&visits=0", ALL_SIGNED_IN, anonymous=200),
    Access("GET", "/api/v1/catalog/matters/T-SJ-001", ALL_SIGNED_IN, anonymous=200),
    Access("GET", "/api/v1/catalog/bundles", ALL_SIGNED_IN, anonymous=200),
    Access("GET", "/api/v1/catalog/bundles/B-SHOP", ALL_SIGNED_IN, anonymous=200),
    # API: maintenance
    # every signed-in account, though the page /guide/manage/ is for editors only (reported)
    Access("GET", "/api/v1/catalog/manage/matters", ALL_SIGNED_IN),
    Access(
        "POST",
        "/api/v1/catalog/matters",
        EDITORS,
        ok=201,
        data={"code": "P-1", "name": "新事项", "department_id": "{dept}"},
    ),
    Access(
        "POST",
        "/api/v1/catalog/matters",
        ADMIN,
        ok=201,
        data={"code": "P-2", "name": "新事项", "department_id": "{dept_b}"},
    ),
    Access("PATCH", "/api/v1/catalog/matters/T-SJ-002", EDITORS, data={"promised_days": 2}),
    Access("PATCH", "/api/v1/catalog/matters/T-RS-001", ADMIN, data={"promised_days": 2}),
    Access("PUT", "/api/v1/catalog/matters/T-SJ-002/materials", EDITORS, data=[{"name": "章程"}]),
    Access("POST", "/api/v1/catalog/matters/T-SJ-002/deactivate", EDITORS),
    Access("POST", "/api/v1/catalog/matters/T-RS-001/deactivate", ADMIN),
    Access("POST", "/api/v1/catalog/matters/T-RS-002/reactivate", ADMIN),
    Access(
        "POST",
        "/api/v1/catalog/bundles",
        ADMIN,
        ok=201,
        data={"code": "B-NEW", "name": "一件事", "matter_codes": ["T-SJ-002", "T-RS-001"]},
    ),
    Access("PATCH", "/api/v1/catalog/bundles/B-SHOP", ADMIN, data={"name": "新名称"}),
]
