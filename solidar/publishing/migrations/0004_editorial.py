"""The editorial roles (Editors, Authors) and the workflow "Review before publishing" on
every language's home page: ``editorial.ensure_editorial_roles`` with this migration's
historical models (the demo data calls the same function)."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from solidar.publishing.editorial import ensure_editorial_roles

    ensure_editorial_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0002_home_pages"),
        ("publishing", "0003_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
