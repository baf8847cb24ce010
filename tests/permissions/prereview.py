"""Access to the pre-review (材料预审): the person's pages and endpoints are public behind the
link token; reviewers are clerks of the matter's department at the pre-review's center (clerk01)
and the center admin; the figures are the admin's. A reviewer of another center or department is
refused in tests/prereview (test_services, test_views, test_api)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from chuangkou.prereview import services
from tests.cases.conftest import APPLICANT
from tests.cases.factories import QueueFactory

from .matrix import ALL_SIGNED_IN, CA, CLERK, Access

REVIEWERS = frozenset({CA, CLERK})
ADMIN = frozenset({CA})
API = "/api/v1/prereview"
PDF = b"%PDF-1.4\n%%EOF"


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("材料.pdf", PDF, "application/pdf")


def _public(method: str, path: str, ok: int = 200, **kwargs) -> Access:
    return Access(method, path, ALL_SIGNED_IN, ok=ok, anonymous=ok, **kwargs)


def build(w) -> dict:
    """A draft with every required material uploaded, one under review, one passed (by
    clerk01), and a queue at the main center serving the matter (for the priority ticket)."""
    food = w.catalog.food
    queue = QueueFactory(center=w.main, prefix="YS", name="预审优先")
    queue.matters.set([food])

    def started():
        prereview = services.start_prereview(
            matter=food, center=w.main, applicant_name="王五", phone="13912345678"
        )
        for item in prereview.items.filter(required=True):
            services.upload_material(prereview=prereview, item=item, upload=_pdf())
        return prereview

    draft = started()
    reviewing = services.submit_prereview(prereview=started())
    passed = services.submit_prereview(prereview=started())
    for item in passed.items.filter(required=True):
        services.review_item(actor=w.clerk_a1, item=item, decision="pass")
    item = draft.items.filter(required=True).first()
    return {
        "pr_food": food.pk,
        "pr_draft_token": draft.public_token,
        "pr_draft_item": item.pk,
        "pr_draft": draft.pk,
        "pr_reviewing": reviewing.pk,
        "pr_reviewing_item": reviewing.items.filter(required=True).first().pk,
        "pr_passed": passed.pk,
        "pr_passed_token": passed.public_token,
    }


START = {"center": "{center}", "applicant_name": "王五", "phone": "13912345678"}

ACCESS: list[Access] = [
    # the person, no account
    _public("GET", "/prereview/", url_name="prereview:choose"),
    _public("GET", "/prereview/start/{pr_food}/", url_name="prereview:start"),
    _public("POST", "/prereview/start/{pr_food}/", ok=302, data=START),
    _public("GET", "/prereview/p/{pr_draft_token}/", url_name="prereview:mine"),
    _public(
        "POST",
        "/prereview/p/{pr_draft_token}/items/{pr_draft_item}/upload/",
        ok=302,
        data=lambda w: {"file": _pdf()},
        url_name="prereview:upload",
    ),
    _public(
        "GET",
        "/prereview/p/{pr_draft_token}/items/{pr_draft_item}/file/",
        url_name="prereview:public_file",
    ),
    _public("POST", "/prereview/p/{pr_draft_token}/submit/", ok=302, url_name="prereview:submit"),
    _public("POST", "/prereview/p/{pr_passed_token}/ticket/", ok=302, url_name="prereview:ticket"),
    _public(
        "POST", "/prereview/p/{pr_passed_token}/book/", ok=302, url_name="prereview:book"
    ),  # no slot chosen: back to the page with a message
    # reviewers
    Access("GET", "/prereview/desk/", REVIEWERS, url_name="prereview:desk"),
    Access("GET", "/prereview/desk/?export=xlsx", REVIEWERS),
    Access("GET", "/prereview/desk/{pr_reviewing}/", REVIEWERS, url_name="prereview:detail"),
    Access(
        "POST",
        "/prereview/desk/{pr_reviewing}/items/{pr_reviewing_item}/review/",
        REVIEWERS,
        ok=302,
        data={"decision": "pass"},
        url_name="prereview:review",
    ),
    Access(
        "GET",
        "/prereview/desk/{pr_draft}/items/{pr_draft_item}/file/",
        REVIEWERS,
        url_name="prereview:staff_file",
    ),
    Access("GET", "/prereview/desk/{pr_passed}/accept/", REVIEWERS, url_name="prereview:accept"),
    Access(
        "POST",
        "/prereview/desk/{pr_passed}/accept/",
        frozenset({CLERK}),
        ok=302,
        data=APPLICANT,
        special={CA: 200},  # the admin has no staff record: the form says so
    ),
    Access("GET", "/prereview/figures/", ADMIN, url_name="prereview:figures"),
    Access("GET", "/prereview/figures/?start=2018-01-01&end=2018-06-30&export=xlsx", ADMIN),
    # API: the person
    _public(
        "POST",
        f"{API}/public/prereviews",
        ok=201,
        data={
            "matter_id": "{pr_food}",
            "center_id": "{center}",
            "applicant_name": "王五",
            "phone": "13912345678",
        },
    ),
    _public("GET", f"{API}/public/prereviews/{{pr_draft_token}}"),
    _public(
        "POST", f"{API}/public/prereviews/{{pr_draft_token}}/items/{{pr_draft_item}}/file", ok=422
    ),  # a JSON body carries no file: the multipart upload is tested in tests/prereview
    _public("POST", f"{API}/public/prereviews/{{pr_draft_token}}/submit"),
    _public("POST", f"{API}/public/prereviews/{{pr_passed_token}}/ticket"),
    # API: reviewers
    Access("GET", f"{API}/prereviews", REVIEWERS),
    Access("GET", f"{API}/prereviews/{{pr_reviewing}}", REVIEWERS),
    Access(
        "POST",
        f"{API}/prereviews/{{pr_reviewing}}/items/{{pr_reviewing_item}}/review",
        REVIEWERS,
        data={"decision": "pass"},
    ),
    Access(
        "POST",
        f"{API}/prereviews/{{pr_passed}}/case",
        frozenset({CLERK}),
        ok=201,
        data=APPLICANT,
        special={CA: 403},  # accepting at the window needs a staff record (cases' rule)
    ),
    Access("GET", f"{API}/figures?start=2018-01-01&end=2018-06-30", ADMIN),
]
