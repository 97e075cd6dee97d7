"""This instance's public identity, for e-mails and anything rendered outside a page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class Site:
    name: str
    domain: str
    url: str


def this_site() -> Site:
    url = settings.SOLIDAR_SITE_URL
    return Site(name=settings.SOLIDAR_SITE_NAME, domain=urlsplit(url).netloc or url, url=url)
