"""Uploaded images lose everything but their pixels (THREATS 16).

A photo from a phone says where and when it was taken (EXIF GPS, DateTimeOriginal), with
which camera (Make, Model, BodySerialNumber), and in XMP/IPTC often who took it and with
which software. On a site read by the services that hunt the people in the picture, that
is a map to them. So every upload is decoded and written again from its pixels alone:

- the EXIF orientation is applied first (the picture stays upright without its EXIF);
- a colour profile is converted to sRGB and then dropped (profiles carry descriptions,
  copyright strings and sometimes the device's name);
- the format is kept: JPEG (quality 90, progressive), PNG, WebP (quality 90), AVIF, GIF;
- only the first frame of an animated GIF, WebP or PNG is kept: no per-frame comments or
  application extensions to hide in, and no motion readers did not ask for;
- the file gets a random name: phones name files after the moment of the shot, and the
  name ends up in every rendition's public URL;
- the result is opened again and refused if anything but pixels survived.

Caps (each refusal a translated message, nothing stored): file size
(``WAGTAILIMAGES_MAX_UPLOAD_SIZE``), pixels (``WAGTAILIMAGES_MAX_IMAGE_PIXELS``), width or
height (``SOLIDAR_IMAGE_MAX_SIDE``). They are checked from the header before a single pixel
is decoded, so a small file claiming a huge picture (a decompression bomb) costs nothing.

Renditions are made by Willow from the stored original; Willow copies the original's EXIF
and ICC profile into them, so a clean original makes clean renditions.
"""

from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageOps
from wagtail.images.utils import get_allowed_image_extensions

# The formats we can write again, by file extension.
FORMAT_BY_EXTENSION = {
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "png": "PNG",
    "webp": "WEBP",
    "avif": "AVIF",
    "gif": "GIF",
}
SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90},
    "AVIF": {"quality": 80},
    "GIF": {"optimize": True},
}
# Modes each format can store; anything else is converted (to RGBA when it has alpha).
MODES = {
    "JPEG": {"L", "RGB"},
    "PNG": {"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"},
    "WEBP": {"RGB", "RGBA"},
    "AVIF": {"RGB", "RGBA"},
    "GIF": {"L", "P"},
}
# What a cleaned file may still say about itself: nothing but how to draw its pixels.
HARMLESS_INFO = frozenset(
    [
        "transparency",
        "background",
        "duration",
        "loop",
        "version",
        "progressive",
        "progression",
        "jfif",
        "jfif_version",
        "jfif_unit",
        "jfif_density",
        "dpi",
        "adobe",
        "adobe_transform",
        "interlace",
        "optimize",
        "gamma",
        "aspect",
    ]
)

MESSAGES = {
    "file_too_large": _(
        "This file is too big (%(size)s). Images can be at most %(limit)s; "
        "please make it smaller and try again."
    ),
    "too_many_pixels": _(
        "This image has too many pixels (%(width)s × %(height)s). "
        "At most %(limit)s pixels are allowed; please scale it down."
    ),
    "too_wide": _(
        "This image is too large (%(width)s × %(height)s pixels). "
        "Width and height can be at most %(limit)s pixels; please scale it down."
    ),
    "unsupported_format": _("This kind of file is not accepted. Accepted formats: %(formats)s."),
    "unreadable": _(
        "This file could not be read as a %(format)s image. It may be damaged, "
        "or its name may not match its contents."
    ),
    "not_cleaned": _(
        "The information hidden in this image (such as location or camera) could not be "
        "removed, so it was not saved. Please save it again as a JPEG or PNG and retry."
    ),
}


def _refuse(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params)


def accepted_extensions() -> list[str]:
    """Extensions both Wagtail accepts (``WAGTAILIMAGES_EXTENSIONS``) and we can re-encode."""
    return [ext for ext in get_allowed_image_extensions() if ext in FORMAT_BY_EXTENSION]


def strip_metadata(uploaded_file: File) -> File:
    """The uploaded image re-encoded from its pixels alone, under a random name.

    Raises ``ValidationError`` (with a translated message) for a file that is too big, has
    too many pixels or too long a side, is not an accepted format, cannot be decoded, or
    would still carry metadata after cleaning.
    """
    limit = settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE
    if limit is not None and uploaded_file.size > limit:
        raise _refuse(
            "file_too_large",
            size=filesizeformat(uploaded_file.size),
            limit=filesizeformat(limit),
        )
    extension = Path(uploaded_file.name or "").suffix.lower().lstrip(".")
    if extension not in accepted_extensions():
        raise _refuse("unsupported_format", formats=", ".join(accepted_extensions()).upper())
    target = FORMAT_BY_EXTENSION[extension]

    uploaded_file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; treat it as refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded_file, formats=[target]) as source:
                _check_dimensions(*source.size)
                pixels = _pixels_only(source, target)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(
            "too_many_pixels",
            width="?",
            height="?",
            limit=settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS,
        ) from None
    except ValidationError:
        raise
    except Exception as exc:  # UnidentifiedImageError, OSError...: any decoder can trip
        raise _refuse("unreadable", format=target) from exc
    finally:
        uploaded_file.seek(0)

    output = io.BytesIO()
    options = dict(SAVE_OPTIONS[target])
    if "transparency" in pixels.info:
        options["transparency"] = pixels.info["transparency"]
    try:
        pixels.save(output, target, **options)
    except (OSError, ValueError, KeyError) as exc:  # a mode the encoder will not take
        raise _refuse("not_cleaned") from exc
    data = output.getvalue()
    _check_clean(data, target)
    return ContentFile(data, name=f"{secrets.token_hex(8)}.{extension}")


def clean_upload(upload: UploadedFile) -> UploadedFile:
    """Strip ``upload`` and write the clean bytes back into the same object.

    Rewriting the upload in place (not only returning a new file) matters: Wagtail's
    multiple uploader keeps the request's file in its ``UploadedFile`` holding area when a
    required field (the text alternative) is still missing, reading ``request.FILES`` and
    not the form's cleaned data. After this, every later reader sees the clean bytes.
    """
    clean = strip_metadata(upload)
    handle = upload.file
    handle.seek(0)
    handle.truncate()
    for chunk in clean.chunks():
        handle.write(chunk)
    handle.flush()
    handle.seek(0)
    upload.size = clean.size
    upload.name = clean.name
    upload.content_type = Image.MIME[FORMAT_BY_EXTENSION[Path(clean.name).suffix[1:]]]
    return upload


def _check_dimensions(width: int, height: int) -> None:
    max_side = settings.SOLIDAR_IMAGE_MAX_SIDE
    if width > max_side or height > max_side:
        raise _refuse("too_wide", width=width, height=height, limit=max_side)
    max_pixels = settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    if max_pixels is not None and width * height > max_pixels:
        raise _refuse("too_many_pixels", width=width, height=height, limit=max_pixels)


def _pixels_only(source: Image.Image, target: str) -> Image.Image:
    """A new image holding the first frame's pixels, upright, in sRGB, with an empty info."""
    source.seek(0)
    upright = ImageOps.exif_transpose(source)
    upright = _to_srgb(upright)
    if upright.mode not in MODES[target]:
        has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        if target == "GIF":
            upright = upright.convert("RGB").quantize() if not has_alpha else upright.convert("P")
        else:
            wanted = "RGBA" if has_alpha and "RGBA" in MODES[target] else "RGB"
            upright = upright.convert(wanted)
    # frombytes: a fresh image, so nothing of the source's info or EXIF cache comes along.
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    if upright.mode == "P":
        palette_mode = upright.palette.mode if upright.palette else "RGB"
        clean.putpalette(upright.getpalette(palette_mode), palette_mode)
    if "transparency" in upright.info:
        clean.info["transparency"] = upright.info["transparency"]
    return clean


def _to_srgb(image: Image.Image) -> Image.Image:
    """Convert colours from an embedded ICC profile to sRGB, so the profile can go."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            ImageCms.createProfile("sRGB"),
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are, drop it anyway


def _check_clean(data: bytes, target: str) -> None:
    """Open the written file again: refuse it if anything but pixels is in it."""
    with Image.open(io.BytesIO(data), formats=[target]) as written:
        leftovers = set(written.info) - HARMLESS_INFO
        if leftovers or len(written.getexif()) or getattr(written, "text", None):
            raise _refuse("not_cleaned")
