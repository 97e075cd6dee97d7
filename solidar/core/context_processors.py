from django.conf import settings
from django.urls import translate_url


def site(request):
    """Site name and the same page in every other language, for the switcher."""
    path = request.get_full_path()
    current = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return {
        "site_name": settings.SOLIDAR_SITE_NAME,
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "current": code == current,
            }
            for code, name in settings.LANGUAGES
        ],
    }
