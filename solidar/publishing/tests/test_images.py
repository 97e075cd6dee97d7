"""Uploaded images lose their metadata on every upload path; caps; renditions; media serving
(THREATS 16)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageCms, PngImagePlugin
from wagtail.models import Collection

from solidar.accounts.tests.helpers import login_with_totp
from solidar.core.testing import assert_max_queries
from solidar.publishing import images, media
from solidar.publishing.models import SiteImage
from solidar.publishing.testing import paragraphs, publish

pytestmark = pytest.mark.django_db

# What the test photo gives away; none of it may be found in any stored file.
SECRETS = [
    b"SN-4711-0815",  # BodySerialNumber
    b"Canon",  # Make
    b"EOS R6",  # Model
    b"2024:11:02 14:30:00",  # DateTimeOriginal
    b"Exif\x00\x00",  # an EXIF block at all
    b"secret-xmp",  # XMP packet
    b"secret-comment",  # JPEG/GIF comment
    b"secret-author",  # PNG text chunk
    b"Jane Photographer",  # PNG iTXt
]


# -- test images -----------------------------------------------------------------------------
def exif_with_gps_and_camera() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "EOS R6"
    exif[ExifTags.Base.Orientation] = 6  # shot in portrait: rotate 90° clockwise to view
    details = exif.get_ifd(ExifTags.IFD.Exif)
    details[ExifTags.Base.BodySerialNumber] = "SN-4711-0815"
    details[ExifTags.Base.DateTimeOriginal] = "2024:11:02 14:30:00"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 56.0, 33.0)  # Köln
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 57.0, 28.0)
    return exif


def srgb_profile() -> bytes:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def picture(width=300, height=200) -> Image.Image:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    image.paste((30, 30, 200), (0, 0, width // 2, height // 2))  # a corner to see rotation
    return image


def jpeg_with_secrets(width=300, height=200) -> bytes:
    out = io.BytesIO()
    picture(width, height).save(
        out,
        "JPEG",
        exif=exif_with_gps_and_camera(),
        xmp=b"<x:xmpmeta><rdf:Description>secret-xmp</rdf:Description></x:xmpmeta>",
        comment=b"secret-comment",
        icc_profile=srgb_profile(),
    )
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    return data


def png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "secret-author")
    info.add_itxt("Copyright", "Jane Photographer")
    out = io.BytesIO()
    picture().save(out, "PNG", pnginfo=info, exif=exif_with_gps_and_camera())
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).text["Author"] == "secret-author"
    return data


def secrets_in(data: bytes) -> list[bytes]:
    return [secret for secret in SECRETS if secret in data]


def assert_only_pixels(data: bytes):
    assert secrets_in(data) == []
    with Image.open(io.BytesIO(data)) as image:
        assert len(image.getexif()) == 0
        assert set(image.info) <= images.HARMLESS_INFO, image.info
        assert "icc_profile" not in image.info
        assert not getattr(image, "text", None)


def stored_files(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()
    }


# -- fixtures --------------------------------------------------------------------------------
@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def editor_client(editor, password, media_root):
    """The editor signed in through both steps (password, then TOTP), as in real life."""
    client = Client()
    assert login_with_totp(client, editor, password, editor.totp_secret).status_code == 302
    return client


def add_form(upload, **fields):
    return {
        "title": "Banner at the forum",
        "file": upload,
        "description": "Two people hold a banner reading 'Freedom for political prisoners'.",
        "credit": "Cell Köln",
        "collection": Collection.get_first_root_node().pk,
        "tags": "",
        **fields,
    }


def upload_through_add_view(client, upload, **fields):
    return client.post(reverse("wagtailimages:add"), add_form(upload, **fields))


# -- every upload path strips ----------------------------------------------------------------
def test_add_view_stores_an_original_and_renditions_without_gps_or_camera(
    editor_client, media_root
):
    upload = SimpleUploadedFile("IMG_20241102_143000.jpg", jpeg_with_secrets(), "image/jpeg")

    response = upload_through_add_view(editor_client, upload)

    assert response.status_code == 302, response.content.decode()[:2000]
    image = SiteImage.objects.get()
    original = (media_root / image.file.name).read_bytes()
    assert_only_pixels(original)
    assert image.file.name.startswith("original_images/")
    assert "IMG_20241102" not in image.file.name  # the phone's timestamp name is gone
    # The orientation was applied, not thrown away: portrait now, blue corner top right.
    assert (image.width, image.height) == (200, 300)
    with Image.open(io.BytesIO(original)) as stored:
        assert stored.format == "JPEG"
        red, green, blue = stored.convert("RGB").getpixel((190, 10))
        assert blue > 150 > red
    assert image.file_size == len(original)
    for spec in ("width-120", "fill-50x50", "width-100|format-webp", "width-100|format-png"):
        rendition = image.get_rendition(spec)
        assert_only_pixels((media_root / rendition.file.name).read_bytes())
    assert all(secrets_in(data) == [] for data in stored_files(media_root).values())


def test_png_text_chunks_and_exif_do_not_survive(editor_client, media_root):
    upload = SimpleUploadedFile("scan.png", png_with_text(), "image/png")

    response = upload_through_add_view(editor_client, upload)

    assert response.status_code == 302
    image = SiteImage.objects.get()
    original = (media_root / image.file.name).read_bytes()
    assert original.startswith(b"\x89PNG")
    assert_only_pixels(original)
    assert_only_pixels((media_root / image.get_rendition("width-120").file.name).read_bytes())


@pytest.mark.parametrize("in_memory", [True, False], ids=["in-memory", "temporary-file"])
def test_multiple_uploader_holds_only_clean_bytes_and_requires_the_text_alternative(
    editor_client, media_root, settings, in_memory
):
    if not in_memory:  # big uploads arrive as temporary files; they are rewritten in place too
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0
    upload = SimpleUploadedFile("IMG_20241102_143000.jpg", jpeg_with_secrets(), "image/jpeg")

    first = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload, "title": "Banner", "collection": Collection.get_first_root_node().pk},
    )

    # The text alternative is missing, so Wagtail keeps the file in its holding area and
    # asks for it; what it holds is already clean.
    answer = first.json()
    assert answer["success"] is True
    assert "uploaded_file_id" in answer
    assert "Text alternative" in answer["form"]
    assert not SiteImage.objects.exists()
    held = stored_files(media_root)
    assert len(held) == 1
    assert all(secrets_in(data) == [] for data in held.values())

    upload_id = answer["uploaded_file_id"]
    url = reverse("wagtailimages:create_multiple_from_uploaded_image", args=[upload_id])
    prefix = f"uploaded-image-{upload_id}"
    fields = {f"{prefix}-title": "Banner", f"{prefix}-collection": 1, f"{prefix}-tags": ""}
    without_alt = editor_client.post(url, fields).json()
    assert without_alt["success"] is False
    assert "This field is required" in without_alt["form"]
    assert not SiteImage.objects.exists()

    done = editor_client.post(url, {**fields, f"{prefix}-description": "A banner."}).json()

    assert done["success"] is True
    image = SiteImage.objects.get()
    assert image.description == "A banner."
    assert_only_pixels((media_root / image.file.name).read_bytes())
    assert all(secrets_in(data) == [] for data in stored_files(media_root).values())


def test_multiple_uploader_edit_form_requires_the_text_alternative(editor_client, media_root):
    upload_through_add_view(editor_client, SimpleUploadedFile("a.jpg", jpeg_with_secrets()))
    image = SiteImage.objects.get()
    prefix = f"image-{image.pk}"

    answer = editor_client.post(
        reverse("wagtailimages:edit_multiple", args=[image.pk]),
        {f"{prefix}-title": "Banner", f"{prefix}-description": "", f"{prefix}-collection": 1},
    ).json()

    assert answer["success"] is False
    assert "This field is required" in answer["form"]
    image.refresh_from_db()
    assert image.description


def test_chooser_upload_strips_metadata(editor_client, media_root):
    form = {f"image-chooser-upload-{name}": value for name, value in add_form(None).items()}
    form["image-chooser-upload-file"] = SimpleUploadedFile("shot.jpg", jpeg_with_secrets())

    response = editor_client.post(reverse("wagtailimages_chooser:create"), form)

    assert response.status_code == 200
    assert response.json()["step"] == "chosen"
    image = SiteImage.objects.get()
    assert_only_pixels((media_root / image.file.name).read_bytes())


def test_replacing_the_file_in_the_edit_view_strips_it_too(editor_client, media_root):
    upload_through_add_view(editor_client, SimpleUploadedFile("a.png", png_with_text()))
    image = SiteImage.objects.get()

    response = editor_client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        add_form(SimpleUploadedFile("b.jpg", jpeg_with_secrets())),
    )

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.file.name.endswith(".jpg")
    assert all(secrets_in(data) == [] for data in stored_files(media_root).values())


# -- refusals: a clear message, nothing stored -----------------------------------------------
def test_missing_text_alternative_is_a_form_error(editor_client, media_root):
    upload = SimpleUploadedFile("a.jpg", jpeg_with_secrets())

    response = upload_through_add_view(editor_client, upload, description="")

    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    assert not SiteImage.objects.exists()
    assert stored_files(media_root) == {}


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("WAGTAILIMAGES_MAX_UPLOAD_SIZE", 1000, "This file is too big"),
        ("WAGTAILIMAGES_MAX_IMAGE_PIXELS", 50_000, "too many pixels"),
        ("SOLIDAR_IMAGE_MAX_SIDE", 250, "Width and height can be at most 250 pixels"),
    ],
)
def test_caps_refuse_with_a_clear_message_and_store_nothing(
    editor_client, media_root, settings, setting, value, message
):
    setattr(settings, setting, value)
    upload = SimpleUploadedFile("big.jpg", jpeg_with_secrets(300, 200))  # 60,000 pixels

    response = upload_through_add_view(editor_client, upload)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SiteImage.objects.exists()
    assert stored_files(media_root) == {}


def test_multiple_uploader_reports_a_cap_and_holds_nothing(editor_client, media_root, settings):
    settings.SOLIDAR_IMAGE_MAX_SIDE = 250
    upload = SimpleUploadedFile("big.jpg", jpeg_with_secrets(300, 200))

    answer = editor_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": upload, "title": "Big", "collection": Collection.get_first_root_node().pk},
    ).json()

    assert answer["success"] is False
    assert "at most 250 pixels" in answer["error_message"]
    assert stored_files(media_root) == {}


def png_header_claiming(width: int, height: int) -> bytes:
    """A few dozen bytes saying "I am width × height pixels": a decompression bomb's header."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))


@pytest.mark.parametrize("side", [9_000, 30_000])
def test_decompression_bomb_is_refused_from_its_header(settings, side):
    settings.SOLIDAR_IMAGE_MAX_SIDE = 50_000  # leave it to the pixel caps
    bomb = SimpleUploadedFile("bomb.png", png_header_claiming(side, side))

    with pytest.raises(ValidationError) as refused:
        images.strip_metadata(bomb)

    assert refused.value.code == "too_many_pixels"


def test_decompression_bomb_through_the_admin(editor_client, media_root):
    response = upload_through_add_view(
        editor_client, SimpleUploadedFile("bomb.png", png_header_claiming(30_000, 30_000))
    )

    assert response.status_code == 200
    assert "too many pixels" in response.content.decode()
    assert stored_files(media_root) == {}


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("photo.bmp", b"BM" + b"\0" * 60, "unsupported_format"),
        ("photo", b"\xff\xd8\xff", "unsupported_format"),
        ("photo.jpg", b"not an image at all", "unreadable"),
        ("photo.jpg", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "unreadable"),  # a PNG named .jpg
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "unreadable"),  # a broken PNG
    ],
)
def test_strip_metadata_refuses_what_it_cannot_read(name, data, code):
    with pytest.raises(ValidationError) as refused:
        images.strip_metadata(SimpleUploadedFile(name, data))

    assert refused.value.code == code
    assert str(refused.value.messages[0])  # a sentence, not an exception's repr


def test_strip_metadata_refuses_a_file_over_the_size_cap(settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100

    with pytest.raises(ValidationError) as refused:
        images.strip_metadata(SimpleUploadedFile("a.jpg", jpeg_with_secrets()))

    assert refused.value.code == "file_too_large"
    assert "100\xa0bytes" in refused.value.messages[0]


def test_uploads_a_png_with_the_wrong_name_are_refused_in_the_admin(editor_client, media_root):
    response = upload_through_add_view(
        editor_client, SimpleUploadedFile("photo.jpg", png_with_text())
    )

    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    assert stored_files(media_root) == {}


# -- every format keeps its kind, loses its metadata -----------------------------------------
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "AVIF", "GIF"])
def test_every_format_is_written_again_in_its_own_format(fmt):
    metadata = {
        "JPEG": {
            "exif": exif_with_gps_and_camera(),
            "xmp": b"secret-xmp",
            "comment": b"secret-comment",
        },
        "WEBP": {"exif": exif_with_gps_and_camera(), "xmp": b"secret-xmp"},
        "AVIF": {"exif": exif_with_gps_and_camera(), "xmp": b"secret-xmp"},
        "GIF": {"comment": b"secret-comment"},
    }
    if fmt == "PNG":
        data = png_with_text()
    else:
        out = io.BytesIO()
        picture().save(out, fmt, **metadata[fmt])
        data = out.getvalue()
    assert secrets_in(data)

    clean = images.strip_metadata(SimpleUploadedFile(f"a.{fmt.lower()}", data))

    data = clean.read()
    assert_only_pixels(data)
    with Image.open(io.BytesIO(data)) as written:
        assert written.format == fmt


def test_animated_gif_keeps_its_first_frame_and_transparency():
    frames = [Image.new("P", (40, 30), colour) for colour in (1, 2, 3)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * 756)
        frame.paste(0, (20, 0, 40, 30))  # the right half transparent
    out = io.BytesIO()
    frames[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        transparency=0,
        comment=b"secret-comment",
    )

    data = images.strip_metadata(SimpleUploadedFile("a.gif", out.getvalue())).read()

    assert_only_pixels(data)
    with Image.open(io.BytesIO(data)) as written:
        assert getattr(written, "n_frames", 1) == 1
        assert written.convert("RGB").getpixel((5, 5)) == (255, 0, 0)
        assert written.convert("RGBA").getpixel((30, 5))[3] == 0


def test_cmyk_jpeg_with_a_profile_becomes_plain_rgb():
    out = io.BytesIO()
    Image.new("CMYK", (20, 20), (0, 255, 255, 0)).save(out, "JPEG", comment=b"secret-comment")

    data = images.strip_metadata(SimpleUploadedFile("a.jpeg", out.getvalue())).read()

    assert_only_pixels(data)
    with Image.open(io.BytesIO(data)) as written:
        assert written.mode == "RGB"


# -- the public side: srcset, alt text, renditions served ------------------------------------
@pytest.fixture
def post_with_image(site_tree, editor_client, media_root):
    upload_through_add_view(editor_client, SimpleUploadedFile("a.jpg", jpeg_with_secrets()))
    image = SiteImage.objects.get()
    post = site_tree.post_en
    post.body = [
        ("image", {"image": image, "caption": "At the forum in Köln", "credit": ""}),
        *paragraphs("After the forum."),
    ]
    return publish(post), image


def test_post_renders_the_image_with_srcset_sizes_and_text_alternative(post_with_image):
    post, image = post_with_image

    html = Client().get(post.url).content.decode()

    assert f'alt="{image.description}"'.replace("'", "&#x27;") in html
    assert 'srcset="/media/images/' in html
    assert " 200w" in html  # the widest rendition is the picture's own width (200 px)
    assert 'sizes="(max-width: 50rem) 100vw, 50rem"' in html
    assert 'width="200"' in html and 'height="300"' in html
    assert "Photo: Cell Köln" in html
    assert "/original_images/" not in html


def post_with_images(post, count: int):
    stored = [
        SiteImage.objects.create(
            title=f"Picture {n}",
            description=f"Picture {n}",
            file=images.strip_metadata(SimpleUploadedFile("a.jpg", jpeg_with_secrets())),
        )
        for n in range(count)
    ]
    post.body = [("image", {"image": image, "caption": "", "credit": ""}) for image in stored]
    return publish(post)


@pytest.mark.parametrize("count", [1, 8])
def test_renditions_come_from_the_cache_however_many_images(site_tree, media_root, settings, count):
    settings.SOLIDAR_PUBLIC_PAGE_CACHE_SECONDS = 0  # measure the page itself
    post = post_with_images(site_tree.post_en, count)
    client = Client()
    first = client.get(post.url).content.decode()  # makes the renditions, caches them
    assert first.count("srcset=") == count

    # Wagtail keeps renditions in the cache (ours: Redis or the file cache): a repeat
    # render asks the database nothing per image.
    with assert_max_queries(14):
        response = client.get(post.url)

    assert response.content.decode().count("srcset=") == count


def test_renditions_in_the_page_are_served_clean_without_queries(post_with_image, media_root):
    post, image = post_with_image
    html = Client().get(post.url).content.decode()
    src = html.split('src="/media/images/', 1)[1].split('"', 1)[0]
    client = Client()

    with assert_max_queries(0):
        response = client.get(f"/media/images/{src}")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert f"max-age={media.CACHE_SECONDS}" in response["Cache-Control"]
    assert "public" in response["Cache-Control"]
    assert_only_pixels(b"".join(response.streaming_content))
    again = client.get(f"/media/images/{src}", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304
    assert client.post(f"/media/images/{src}").status_code == 405


# -- the media view serves renditions and nothing else ---------------------------------------
@pytest.fixture
def media_files(media_root):
    (media_root / "images").mkdir(parents=True)
    (media_root / "original_images").mkdir()
    (media_root / "original_images" / "orig.jpg").write_bytes(b"ORIGINAL")
    (media_root / "images" / "r.width-100.jpg").write_bytes(b"RENDITION")
    (media_root / "images" / "notes.txt").write_bytes(b"TEXT")
    (media_root / "images" / ".hidden.jpg").write_bytes(b"HIDDEN")
    (media_root / "images" / "sub.jpg").mkdir()
    os.symlink(media_root / "original_images" / "orig.jpg", media_root / "images" / "link.jpg")
    return media_root


def test_media_view_serves_a_rendition(media_files):
    response = Client().get("/media/images/r.width-100.jpg")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"RENDITION"


@pytest.mark.parametrize(
    "url",
    [
        "/media/original_images/orig.jpg",
        "/media/images/../original_images/orig.jpg",
        "/media/images/..%2Foriginal_images%2Forig.jpg",
        "/media/images/%2E%2E/original_images/orig.jpg",
        "/media/images/..%5Coriginal_images%5Corig.jpg",
        "/media/images/link.jpg",  # a link out of the folder
        "/media/images/",  # no listing
        "/media/images/sub.jpg",  # a folder
        "/media/images/notes.txt",  # not an image
        "/media/images/.hidden.jpg",
        "/media/images/missing.jpg",
        "/media/uploaded_files/x.jpg",
    ],
)
def test_media_view_refuses_originals_traversal_and_listings(media_files, url):
    response = Client().get(url, follow=True)

    assert response.status_code == 404
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"ORIGINAL" not in body and b"TEXT" not in body and b"HIDDEN" not in body


def test_media_view_is_off_when_a_proxy_serves_media(media_files, settings):
    settings.SOLIDAR_SERVE_MEDIA = False

    assert Client().get("/media/images/r.width-100.jpg").status_code == 404


# -- damaged files: a message, never a crash -------------------------------------------------
@given(
    fmt=st.sampled_from(["jpg", "png", "gif", "webp"]),
    cut=st.integers(min_value=0, max_value=2000),
    flips=st.lists(st.tuples(st.integers(0, 2000), st.integers(0, 255)), max_size=8),
)
@hypothesis_settings(max_examples=150, deadline=None)
def test_damaged_files_are_refused_or_cleaned_never_crash(fmt, cut, flips):
    out = io.BytesIO()
    picture(60, 40).save(out, {"jpg": "JPEG"}.get(fmt, fmt.upper()))
    data = bytearray(out.getvalue())
    for position, value in flips:
        data[position % len(data)] = value
    data = bytes(data[: max(cut, 1)]) if cut < len(data) else bytes(data)

    try:
        clean = images.strip_metadata(SimpleUploadedFile(f"a.{fmt}", data))
    except ValidationError as refused:
        assert refused.code in images.MESSAGES
    else:
        assert_only_pixels(clean.read())
