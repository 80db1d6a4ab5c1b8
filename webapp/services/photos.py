"""Photos from the field: checked, re-encoded without metadata (EXIF, GPS), size-capped.

Two steps, so that a photo costs memory only when it will be kept:

1. ``check_photo`` reads the header only (Pillow's ``Image.open`` is lazy): byte size,
   format (JPEG, PNG, WebP) and pixel count. A 76 KB PNG can declare 9000 × 9000 pixels —
   467 MB once decoded — and is refused here, before any pixel is decoded.
2. ``PhotoUpload.clean`` decodes and re-encodes; callers run it only after the record itself
   has validated. Pillow's own decompression-bomb guard is set to our limit as well.
"""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from geo import formatting as fmt
from geo.i18n import N_, Figure, Message, Msgid

MAX_PHOTOS = 5
MAX_BYTES = 8 * 1024 * 1024
MAX_SIDE = 1600
# 40 MP covers every phone camera's default output (12–50 MP sensors bin to ≤ 12 MP).
MAX_PIXELS = int(float(os.environ.get("URBANORDER_PHOTO_MAX_MEGAPIXELS", "40")) * 1_000_000)
ACCEPTED = ("JPEG", "PNG", "WEBP")
# A bomb that slips past the header check (a frame larger than the first) still raises.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int
    sha256: str  # of the upload as sent: identifies a retried submission


class PhotoError(ValueError):
    """Why a photo was refused: ``args[0]`` is a ``geo.i18n.Message`` (Vietnamese as a
    ``str``, said in the reader's language where it is shown)."""


def _not_an_image(name: str) -> PhotoError:
    return PhotoError(Message(N_("Tệp “%(label)s” không phải ảnh hợp lệ."), label=_label(name)))


def too_many_photos() -> Message:
    """The refusal of a record with more than ``MAX_PHOTOS`` photos."""
    return Message(N_("Tối đa %(n)s ảnh cho một bản ghi."), n=MAX_PHOTOS)


def _label(name: str) -> str:
    if not name or not str(name).split():
        return Msgid(N_("ảnh"))
    name = " ".join(str(name).split())
    return name if len(name) <= 60 else name[:57] + "…"


@dataclass(frozen=True)
class PhotoUpload:
    """An upload whose header passed ``check_photo``; nothing decoded yet."""

    name: str
    raw: bytes
    format: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()

    def clean(self) -> CleanPhoto:
        """Decode and return the photo as a metadata-free JPEG of at most ``MAX_SIDE``."""
        try:
            with Image.open(io.BytesIO(self.raw), formats=ACCEPTED) as image:
                if image.size != (self.width, self.height):
                    raise _not_an_image(self.name)
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale
                # Apply the orientation tag before it is dropped with the rest of the metadata.
                image = ImageOps.exif_transpose(image).convert("RGB")
                image.thumbnail((MAX_SIDE, MAX_SIDE))
                out = io.BytesIO()
                image.save(out, "JPEG", quality=85, optimize=True)  # no exif= → none written
                return CleanPhoto(out.getvalue(), image.width, image.height, self.sha256)
        except PhotoError:
            raise
        except Image.DecompressionBombError:
            raise _too_many_pixels(self.name, None) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _not_an_image(self.name) from None


def _too_many_pixels(name: str, size: tuple[int, int] | None) -> PhotoError:
    limit = f"{MAX_PIXELS / 1_000_000:g}"
    if size is None:
        return PhotoError(Message(N_("Ảnh “%(label)s” quá nhiều điểm ảnh (tối đa %(limit)s "
                                     "megapixel)."), label=_label(name), limit=limit))
    width, height = size
    return PhotoError(Message(N_("Ảnh “%(label)s” quá lớn: %(width)s × %(height)s điểm ảnh "
                                 "(%(megapixels)s megapixel; tối đa %(limit)s megapixel)."),
                              label=_label(name), width=width, height=height, limit=limit,
                              megapixels=Figure(fmt.integer, width * height / 1_000_000)))


def check_photo(raw: bytes, name: str) -> PhotoUpload:
    """Size, format and pixel count from the header alone; raise ``PhotoError`` if refused."""
    if len(raw) > MAX_BYTES:
        raise PhotoError(Message(N_("Ảnh “%(label)s” lớn quá %(mb)s MB."), label=_label(name),
                                 mb=MAX_BYTES // (1024 * 1024)))
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            kind, size = probe.format, probe.size
            if kind not in ACCEPTED:
                raise PhotoError(Message(N_("Ảnh “%(label)s” phải là JPEG, PNG hoặc WebP."),
                                         label=_label(name)))
            if size[0] * size[1] > MAX_PIXELS:
                raise _too_many_pixels(name, size)
            probe.verify()  # chunk checksums; decodes no pixels
    except PhotoError:
        raise
    except Image.DecompressionBombError:
        raise _too_many_pixels(name, None) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise _not_an_image(name) from None
    return PhotoUpload(name, raw, kind, *size)


def clean_photo(raw: bytes, name: str) -> CleanPhoto:
    """Check and clean one upload at once (when nothing else needs validating first)."""
    return check_photo(raw, name).clean()


def check_photos(uploads: list[tuple[str, bytes]], errors: list) -> list[PhotoUpload]:
    """Header checks of a record's photos (``(name, raw)``); problems go to ``errors``."""
    if len(uploads) > MAX_PHOTOS:
        errors.append(("photos", too_many_photos()))
    checked = []
    for name, raw in uploads[:MAX_PHOTOS]:
        try:
            checked.append(check_photo(raw, name))
        except PhotoError as err:
            errors.append(("photos", err.args[0]))
    return checked
