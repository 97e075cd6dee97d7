"""Serving image renditions without a web server in front (``make run``, small sites).

Only files directly in ``MEDIA_ROOT/images/`` (Wagtail's renditions) are served: never the
originals in ``original_images/``, never the multiple uploader's ``uploaded_files/``, never
a folder listing. A production site lets its reverse proxy serve ``/media/images/`` and
turns this off (``SOLIDAR_SERVE_MEDIA=0``, docs/deployment.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponseNotModified
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.static import was_modified_since

RENDITIONS_FOLDER = "images"  # Wagtail's AbstractRendition.get_upload_to
CONTENT_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
}
# A rendition's name changes with its image and filter, so browsers may keep it long; a
# deleted image's renditions are deleted from disk at once.
CACHE_SECONDS = 30 * 24 * 3600
_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}")


@require_safe
def serve_rendition(request, name: str):
    if not settings.SOLIDAR_SERVE_MEDIA or not _NAME.fullmatch(name):
        raise Http404
    content_type = CONTENT_TYPES.get(Path(name).suffix.lower())
    folder = (Path(settings.MEDIA_ROOT) / RENDITIONS_FOLDER).resolve()
    path = (folder / name).resolve()
    # resolve() follows links: whatever the name, the file must really live in the folder.
    if content_type is None or path.parent != folder or not path.is_file():
        raise Http404
    modified = path.stat().st_mtime
    if not was_modified_since(request.headers.get("if-modified-since"), modified):
        response = HttpResponseNotModified()
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
    response["Last-Modified"] = http_date(modified)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
