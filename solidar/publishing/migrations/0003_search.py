"""The public search's index (``SearchEntry``). On PostgreSQL the table also gets one
generated ``tsvector`` column per language, ``vector_<code>``: title (weight A) and text
(weight B) in that language's text search configuration for the rows of that language,
NULL for the others; and a partial GIN index on each.

One column per language rather than one for all: the planner estimates how many rows
match a word from the column's statistics. In a shared column "forum" is common (English
and German posts use it), so a Russian search for it would walk every Russian row by date
looking for matches that are not there; per language, the estimate is right, and a rare
word is looked up in the GIN index while a common one walks the (language, date) index.

The mapping of languages to configurations is frozen here; ``search.TS_CONFIGS`` must
agree with it (a test checks), and a new language needs a migration adding its column.
Existing pages are indexed by ``manage.py rebuild_search_index``, not by this migration
(the plain text of a page comes from its blocks, which historical models do not have)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

TS_CONFIGS = {"en": "english", "de": "german", "ru": "russian", "uk": "simple"}


def _vector(code: str, config: str) -> str:
    return (
        f"CASE WHEN language = '{code}' THEN "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(title, '')), 'A') || "
        f"setweight(to_tsvector('{config}'::regconfig, coalesce(text, '')), 'B') END"
    )


def add_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Text and vectors go to the TOAST table, so the rows a search reads by date stay
    # small (about 40 to a page instead of 3).
    schema_editor.execute("ALTER TABLE publishing_searchentry SET (toast_tuple_target = 256)")
    for code, config in TS_CONFIGS.items():
        schema_editor.execute(
            f"ALTER TABLE publishing_searchentry ADD COLUMN vector_{code} tsvector "
            f"GENERATED ALWAYS AS ({_vector(code, config)}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX publishing_search_vector_{code} ON publishing_searchentry "
            f"USING gin (vector_{code}) WHERE language = '{code}'"
        )


def drop_vectors(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for code in TS_CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS publishing_search_vector_{code}")
        schema_editor.execute(
            f"ALTER TABLE publishing_searchentry DROP COLUMN IF EXISTS vector_{code}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0002_home_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "page",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.WAGTAIL_PAGE_MODEL,
                    ),
                ),
                ("language", models.CharField(max_length=8)),
                ("title", models.CharField(max_length=255)),
                ("text", models.TextField(blank=True)),
                ("url", models.CharField(max_length=500)),
                ("date", models.DateField()),
                (
                    "kind",
                    models.CharField(
                        choices=[("post", "Post"), ("page", "Page"), ("statement", "Statement")],
                        max_length=12,
                    ),
                ),
            ],
            options={
                "verbose_name": "search entry",
                "verbose_name_plural": "search entries",
                "indexes": [
                    models.Index(fields=["language", "-date"], name="publishing_search_lang_date")
                ],
            },
        ),
        migrations.RunPython(add_vectors, drop_vectors, elidable=False),
    ]
