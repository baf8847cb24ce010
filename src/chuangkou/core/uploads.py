"""Uploaded files (photos, scans, documents): checked by their bytes, stored privately.

Usage, in a service (inside its transaction)::

    from chuangkou.core import uploads

    stored = uploads.store_upload(request_file, folder="supervision/visits", kinds=uploads.IMAGES)
    Photo.objects.create(visit=visit, file=stored.name, content_type=stored.content_type, ...)

(several files in one form: `prepare_upload` each first, so a bad third file refuses the form
before anything is written, then `save_prepared` each; `delete_upload` the saved ones if the
transaction fails after all)

and in a view, after checking that the user may see the object the file belongs to::

    return uploads.serve_upload(photo.file.name, content_type=photo.content_type)

Rules:
- The type comes from the first bytes (magic numbers), never from the file name or the
  browser's Content-Type: JPEG (FF D8 FF), PNG (89 50 4E 47 0D 0A 1A 0A), PDF (%PDF-).
- Size: at most `max_bytes` (5 MB by default); the file is read in chunks and refused as soon as
  it is too long, so an oversize upload is never held whole in memory.
- Images are decoded and re-encoded with Pillow: EXIF (GPS position, camera, owner), XMP and
  comments are dropped, the photo is turned upright first (EXIF orientation), and a file that
  only starts like an image but does not decode is refused. Pixel count is bounded against
  decompression bombs.
- Files are written through Django's storage API (`default_storage`, MEDIA_ROOT in the data
  folder, outside the static folder; MEDIA_URL is not served), under a random name, so a file is
  reachable only through a view that checks the role and the object and then calls
  `serve_upload`. An S3-compatible storage can replace the folder without code changes.
- Bad files raise `DomainError` with a Chinese message and the `field` given, and nothing is
  stored.
"""

import hashlib
import io
import secrets
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import DomainError

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
IMAGES = frozenset({JPEG, PNG})
DOCUMENTS = frozenset({PDF})
OFFICE = frozenset({DOCX, PPTX})  # Word and PowerPoint (Office Open XML: a zip with its parts)
IMAGES_AND_DOCUMENTS = IMAGES | DOCUMENTS

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; larger images are refused (decompression bombs)

_MAGIC = (
    (b"\xff\xd8\xff", JPEG),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"%PDF-", PDF),
)
_EXTENSIONS = {JPEG: "jpg", PNG: "png", PDF: "pdf", DOCX: "docx", PPTX: "pptx"}
_LABELS = {JPEG: "JPEG", PNG: "PNG", PDF: "PDF", DOCX: "DOCX", PPTX: "PPTX"}
_OFFICE_PARTS = (("word/document.xml", DOCX), ("ppt/presentation.xml", PPTX))
_PIL_FORMATS = {"JPEG": JPEG, "PNG": PNG}


@dataclass(frozen=True)
class StoredUpload:
    """A file written to storage: its storage name and what was checked about it."""

    name: str
    content_type: str
    size: int
    sha256: str
    original_name: str


def detect_type(head: bytes) -> str | None:
    """The content type that the first bytes announce, or None."""
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def read_limited(upload, *, max_bytes: int = DEFAULT_MAX_BYTES, field: str = "file") -> bytes:
    """All the bytes of an upload (Django UploadedFile, file object or bytes), refusing more
    than `max_bytes` without reading further."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > max_bytes:
            raise _too_large(max_bytes, field)
        if hasattr(upload, "seek"):
            upload.seek(0)
        chunks, total = [], 0
        for chunk in _chunks(upload):
            total += len(chunk)
            if total > max_bytes:
                raise _too_large(max_bytes, field)
            chunks.append(chunk)
        data = b"".join(chunks)
    if len(data) > max_bytes:
        raise _too_large(max_bytes, field)
    if not data:
        raise DomainError("上传的文件是空的。", field=field)
    return data


def check_upload(
    data: bytes, *, kinds: frozenset[str] = IMAGES, field: str = "file"
) -> tuple[bytes, str]:
    """Check the bytes against the allowed kinds; images come back re-encoded without
    metadata. Returns (bytes to store, content type)."""
    content_type = detect_type(data[:16]) or _office_type(data)
    if content_type is None or content_type not in kinds:
        raise DomainError(f"文件类型不符：只接受 {allowed_label(kinds)} 文件。", field=field)
    if content_type in IMAGES:
        return _reencode_image(data, content_type, field), content_type
    return data, content_type


@dataclass(frozen=True)
class PreparedUpload:
    """An upload checked and cleaned in memory, not stored yet (check every file of a form
    before writing any of them)."""

    data: bytes
    content_type: str
    original_name: str


def prepare_upload(
    upload,
    *,
    kinds: frozenset[str] = IMAGES,
    max_bytes: int = DEFAULT_MAX_BYTES,
    field: str = "file",
) -> PreparedUpload:
    """Read, check and clean one upload (DomainError when it is refused)."""
    data = read_limited(upload, max_bytes=max_bytes, field=field)
    clean, content_type = check_upload(data, kinds=kinds, field=field)
    return PreparedUpload(clean, content_type, str(getattr(upload, "name", "") or "")[:200])


def save_prepared(prepared: PreparedUpload, *, folder: str) -> StoredUpload:
    """Write a prepared upload under `folder/YYYY/MM/<random>.<ext>` in default storage."""
    month = timezone.localdate().strftime("%Y/%m")
    extension = _EXTENSIONS[prepared.content_type]
    wanted = f"{folder.strip('/')}/{month}/{secrets.token_hex(16)}.{extension}"
    name = default_storage.save(wanted, ContentFile(prepared.data))
    return StoredUpload(
        name=name,
        content_type=prepared.content_type,
        size=len(prepared.data),
        sha256=hashlib.sha256(prepared.data).hexdigest(),
        original_name=prepared.original_name,
    )


def store_upload(
    upload,
    *,
    folder: str,
    kinds: frozenset[str] = IMAGES,
    max_bytes: int = DEFAULT_MAX_BYTES,
    field: str = "file",
) -> StoredUpload:
    """Check one upload and write it (`prepare_upload` then `save_prepared`)."""
    prepared = prepare_upload(upload, kinds=kinds, max_bytes=max_bytes, field=field)
    return save_prepared(prepared, folder=folder)


def delete_upload(name: str) -> None:
    """Remove a stored file (e.g. when the transaction that referenced it rolled back)."""
    if name and default_storage.exists(name):
        default_storage.delete(name)


def serve_upload(name: str, *, content_type: str, download_name: str = "") -> FileResponse:
    """Stream a stored file. The caller has already checked the role and the object."""
    if content_type not in _EXTENSIONS or not name or not default_storage.exists(name):
        raise Http404("文件不存在。")
    response = FileResponse(
        default_storage.open(name, "rb"),
        content_type=content_type,
        as_attachment=content_type not in IMAGES,
        filename=download_name or name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def allowed_label(kinds: frozenset[str]) -> str:
    """'JPEG/PNG' etc. for messages."""
    return "/".join(_LABELS[k] for k in (JPEG, PNG, PDF, DOCX, PPTX) if k in kinds)


def _office_type(data: bytes) -> str | None:
    """DOCX or PPTX when the bytes are a zip holding that format's main part (only the zip's
    directory is read, nothing is decompressed)."""
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((kind for part, kind in _OFFICE_PARTS if part in names), None)


def _chunks(upload):
    if hasattr(upload, "chunks"):
        yield from upload.chunks()
        return
    while block := upload.read(64 * 1024):
        yield block


def _too_large(max_bytes: int, field: str) -> DomainError:
    megabytes = max_bytes / (1024 * 1024)
    shown = f"{megabytes:g} MB" if megabytes >= 1 else f"{max_bytes // 1024} KB"
    return DomainError(f"文件太大：每个文件不能超过 {shown}。", field=field)


def _reencode_image(data: bytes, content_type: str, field: str) -> bytes:
    """Decode and write the pixels again: metadata (EXIF/XMP/comments) is not carried over."""
    broken = DomainError("图片无法打开，可能已损坏，请重新拍摄或选择。", field=field)
    try:
        with Image.open(io.BytesIO(data)) as image:
            if _PIL_FORMATS.get(image.format) != content_type:
                raise broken
            if image.width * image.height > MAX_PIXELS:
                raise DomainError("图片像素过多，请压缩后再上传。", field=field)
            image.load()
            upright = ImageOps.exif_transpose(image)
            return _encode(upright, content_type)
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise broken from None


def _encode(image: Image.Image, content_type: str) -> bytes:
    out = io.BytesIO()
    if content_type == JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, format="JPEG", quality=88, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
            image = image.convert("RGBA")
        image.save(out, format="PNG", optimize=True)
    return out.getvalue()
