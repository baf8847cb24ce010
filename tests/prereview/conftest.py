"""The pre-review world: the small organisation, the test catalog, a queue at the main center
serving the food-license matter, and a pre-review of it started by a person."""

import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chuangkou.prereview import services
from chuangkou.prereview.models import PreReview
from tests.cases.factories import QueueFactory
from tests.catalog.conftest import build_catalog
from tests.conftest import build_org_small

PHONE = "13912345678"


def pdf(name: str = "材料.pdf", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF", "application/pdf")


def png(name: str = "照片.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), "image/png")


def build_world() -> SimpleNamespace:
    w = build_org_small()
    w.catalog = build_catalog(w)
    w.food = (
        w.catalog.food
    )  # materials: 营业执照（副本）, 食品安全管理制度 (required), 健康证明 (optional)
    w.queue = QueueFactory(center=w.main, prefix="P", name="食品许可")
    w.queue.matters.set([w.food])
    w.queue.windows.set([w.w_a01])
    return w


def start(w, **kw) -> PreReview:
    values = {"matter": w.food, "center": w.main, "applicant_name": "王五", "phone": PHONE}
    return services.start_prereview(**{**values, **kw})


def required_items(prereview):
    return list(prereview.items.filter(required=True).order_by("material__order", "material_id"))


def upload_all(prereview):
    for item in required_items(prereview):
        services.upload_material(prereview=prereview, item=item, upload=pdf())


def submitted(w) -> PreReview:
    prereview = start(w)
    upload_all(prereview)
    return services.submit_prereview(prereview=prereview)


def passed(w) -> PreReview:
    prereview = submitted(w)
    for item in required_items(prereview):
        services.review_item(actor=w.clerk_a1, item=item, decision="pass")
    prereview.refresh_from_db()
    return prereview


@pytest.fixture
def pw(db):
    return build_world()
