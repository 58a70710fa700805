"""Files attached to records (a tip's photos, an activity's pictures, a signed form). The content decides what a
file is, not its name; photos are decoded and re-encoded, so nothing but the pixels survives: no EXIF (GPS position,
phone model, time taken), no comments, no trailing payload."""

import io
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Decompression bombs: refuse images whose pixel count could exhaust memory.
Image.MAX_IMAGE_PIXELS = 40_000_000
PDF_SIGNATURE = b"%PDF"


class UploadError(ValueError):
    pass


def clean_upload(upload, *, allow_pdf: bool = True, max_bytes: int | None = None) -> tuple[ContentFile, str]:
    """(file to store, content type) for an uploaded photo or PDF, or UploadError with a Vietnamese message."""
    max_bytes = max_bytes or settings.ATTACHMENT_MAX_BYTES
    if upload.size > max_bytes:
        raise UploadError(_("Tệp quá lớn. Giới hạn là %(max)s.") % {"max": filesizeformat(max_bytes)})
    data = upload.read()
    upload.seek(0)
    if allow_pdf and data.startswith(PDF_SIGNATURE):
        return ContentFile(data, name=f"{uuid.uuid4().hex}.pdf"), "application/pdf"
    try:
        return strip_image(data)
    except UploadError:
        if allow_pdf:
            raise UploadError(_("Chỉ nhận ảnh JPG, PNG hoặc tệp PDF.")) from None
        raise


def strip_image(data: bytes) -> tuple[ContentFile, str]:
    """The image re-encoded without metadata, turned upright as its EXIF orientation said."""
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError, ValueError):
        raise UploadError(_("Chỉ nhận ảnh JPG hoặc PNG.")) from None
    if image.format not in ("JPEG", "PNG"):
        raise UploadError(_("Chỉ nhận ảnh JPG hoặc PNG."))
    upright = ImageOps.exif_transpose(image)
    if upright.mode not in ("RGB", "RGBA", "L", "LA"):
        upright = upright.convert("RGBA")
    # A new image from the pixels alone: Pillow carries `info` (EXIF, ICC, text chunks) over otherwise.
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    out = io.BytesIO()
    if image.format == "JPEG":
        clean.convert("RGB").save(out, format="JPEG", quality=88)
        return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg"), "image/jpeg"
    clean.save(out, format="PNG")
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.png"), "image/png"
