"""Every language gets its home page from the start: the English one is the site's root,
the others are its aliases until they are translated. Replaces Wagtail's welcome page.

Written against the historical models, as Wagtail's own project template does: the tree
paths are set by hand (root "0001", its children "0001000N")."""

import uuid

from django.conf import settings
from django.db import migrations

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def create_home_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("publishing.HomePage")

    locales = {}
    for code in LANGUAGES:
        locales[code], _created = Locale.objects.get_or_create(language_code=code)

    # Wagtail's welcome page (depth 2 under the root), if the tree is still the default one.
    Page.objects.filter(depth=2, content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    root = Page.objects.get(depth=1)
    home_type, _created = ContentType.objects.get_or_create(
        model="homepage", app_label="publishing"
    )
    key = uuid.uuid4()
    title = settings.SOLIDAR_SITE_NAME
    homes = {}
    for number, code in enumerate(LANGUAGES, start=1):
        homes[code] = HomePage.objects.create(
            title=title,
            draft_title=title,
            slug="home" if code == LANGUAGES[0] else f"home-{code}",
            content_type=home_type,
            path=f"{root.path}{number:04d}",
            depth=2,
            numchild=0,
            url_path="/home/" if code == LANGUAGES[0] else f"/home-{code}/",
            locale=locales[code],
            translation_key=key,
            alias_of=homes.get(LANGUAGES[0]),
            live=True,
            has_unpublished_changes=False,
        )
    root.numchild = len(LANGUAGES)
    root.save(update_fields=["numchild"])
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=homes[LANGUAGES[0]],
                            is_default_site=True, site_name=title)
    else:
        site.root_page = homes[LANGUAGES[0]]
        site.site_name = title
        site.save()


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("wagtailcore", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_home_pages, migrations.RunPython.noop)]
