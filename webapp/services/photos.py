"""Photos from the field: checked, re-encoded without metadata (EXIF, GPS), size-capped."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTOS = 5
MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
ACCEPTED = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int
    sha256: str  # of the upload as sent: identifies a retried submission


class PhotoError(ValueError):
    """Why a photo was refused (Vietnamese)."""


def clean_photo(raw: bytes, name: str) -> CleanPhoto:
    """Validate one upload and return it as a metadata-free JPEG."""
    if len(raw) > MAX_BYTES:
        raise PhotoError(f"Ảnh “{name}” lớn quá {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind = probe.format
            probe.verify()
        if kind not in ACCEPTED:
            raise PhotoError(f"Ảnh “{name}” phải là JPEG, PNG hoặc WebP.")
        with Image.open(io.BytesIO(raw)) as image:
            # Apply the orientation tag before it is dropped with the rest of the metadata.
            image = ImageOps.exif_transpose(image).convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.save(out, "JPEG", quality=85, optimize=True)  # no exif= → none written
            return CleanPhoto(out.getvalue(), image.width, image.height,
                              hashlib.sha256(raw).hexdigest())
    except PhotoError:
        raise
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise PhotoError(f"Tệp “{name}” không phải ảnh hợp lệ.") from None
