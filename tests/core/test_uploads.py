"""core.uploads: type from the bytes, size limit, EXIF stripped, private storage."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from chuangkou.core import uploads
from chuangkou.core.errors import DomainError


def image_bytes(fmt="JPEG", size=(40, 20), exif=True) -> bytes:
    image = Image.new("RGB", size, "red")
    info = Image.Exif()
    info[0x010F] = "CanonSecret"  # camera maker
    info[0x0112] = 6  # orientation: rotate 90°
    out = io.BytesIO()
    image.save(out, format=fmt, **({"exif": info.tobytes()} if exif else {}))
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_images_are_reencoded_without_exif_and_turned_upright(fmt):
    data, content_type = uploads.check_upload(image_bytes(fmt))
    assert content_type == f"image/{fmt.lower()}"
    assert b"CanonSecret" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (20, 40)


def test_type_comes_from_the_bytes_not_the_name():
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    with pytest.raises(DomainError, match="只接受 JPEG/PNG"):
        uploads.prepare_upload(fake)
    pdf = SimpleUploadedFile("scan.png", b"%PDF-1.4\n...", "image/png")
    with pytest.raises(DomainError, match="只接受 JPEG/PNG"):
        uploads.prepare_upload(pdf)
    assert uploads.prepare_upload(pdf, kinds=uploads.DOCUMENTS).content_type == uploads.PDF


def test_a_file_that_only_starts_like_a_jpeg_is_refused():
    with pytest.raises(DomainError, match="无法打开"):
        uploads.check_upload(b"\xff\xd8\xff\xe0" + b"\x00" * 100)


def test_oversize_and_empty_files_are_refused():
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024), "image/jpeg")
    with pytest.raises(DomainError, match="不能超过 5 MB"):
        uploads.prepare_upload(big)
    with pytest.raises(DomainError, match="空的"):
        uploads.prepare_upload(SimpleUploadedFile("x.jpg", b"", "image/jpeg"))


def test_stored_under_media_root_with_a_random_name_and_served_privately(settings):
    stored = uploads.store_upload(
        SimpleUploadedFile("我的照片.jpg", image_bytes(), "image/jpeg"), folder="tests/photos"
    )
    assert stored.name.startswith("tests/photos/") and stored.name.endswith(".jpg")
    assert "我的照片" not in stored.name
    path = default_storage.path(stored.name)
    assert path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))
    response = uploads.serve_upload(stored.name, content_type=stored.content_type)
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    uploads.delete_upload(stored.name)
    assert not default_storage.exists(stored.name)
