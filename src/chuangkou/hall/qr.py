"""QR codes as inline SVG, generated on the server without any network (segno, pure Python).

When segno is not installed the slip shows the follow link as text instead of a code.
"""

import io

try:
    import segno
except ImportError:  # pragma: no cover - segno is a declared dependency
    segno = None


def qr_svg(text: str, *, scale: int = 4) -> str | None:
    """An SVG document encoding `text`, or None when no QR library is available."""
    if segno is None:
        return None
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False)
    return buffer.getvalue().decode()
