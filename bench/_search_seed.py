"""Seed the search benchmark's database: 100,000 posts in four languages, indexed.

Run by bench/search.py with the server's environment (PostgreSQL), after migrate:

    python bench/_search_seed.py

Under each language's home page a post index "bench-posts" is made the normal way; the
25,000 posts below each are written in bulk: their Page rows (paths computed as treebeard
would), their PostPage rows (the text as one paragraph) and their search entries, whose
tsvector column PostgreSQL fills as they are inserted (a generated column). Text is drawn
from each language's own words with a Zipf-like frequency: a head of real words (so that
stemming is exercised) and a long tail of made-up ones, 80-220 words per post, stop words
included. The same data every run.
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidar.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from wagtail.models import Page  # noqa: E402

from solidar.publishing.models import HomePage, PostIndexPage, PostPage, SearchEntry  # noqa: E402

POSTS = int(os.environ.get("BENCH_SEARCH_POSTS", "100000"))
BATCH = 2000
TAIL = 6000  # made-up words per language after the real ones
INDEX_SLUG = "bench-posts"

# Most frequent first. bench/search.py queries: "prisoners" (common), "strasbourg" (rare),
# "solidarity concert" (two words), "forum" in all languages.
HEAD = {
    "en": (
        "war prisoners people solidarity network political city support action letters "
        "freedom exile forum meeting rights court protest repression activists help year "
        "street campaign refugees border news statement members comrades against peace "
        "democracy writing wrote writes prisoner letter courts trial sentenced sentence "
        "arrested arrest detention released release evening week month concert books "
        "collective cells organising organise workers union strike housing visa asylum "
        "lawyers lawyer hearing hearings appeal decision decisions report reports story "
        "stories memory commemoration victory remember remembered families children "
        "mothers women students teachers doctors journalists media censorship internet "
        "donations fundraiser collection parcels food medicine winter summer square park "
        "bridge station embassy consulate parliament election elections vote votes "
        "banner banners leaflets posters music film screening discussion lecture "
        "translation translations languages language russian ukrainian belarusian german"
    ),
    "de": (
        "Krieg Gefangene Menschen Solidarität Netzwerk politische Stadt Unterstützung "
        "Aktion Briefe Freiheit Exil Forum Treffen Rechte Gericht Protest Repression "
        "Aktivisten Hilfe Jahr Straße Kampagne Geflüchtete Grenze Nachrichten Erklärung "
        "Mitglieder Genossinnen gegen Frieden Demokratie schreiben schrieben schreibt "
        "Gefangenen Gefangener Brief Gerichte Prozess verurteilt Urteil verhaftet Festnahme "
        "Haft freigelassen Freilassung Abend Woche Monat Konzert Bücher Kollektiv Zellen "
        "organisieren Arbeiter Gewerkschaft Streik Wohnung Visum Asyl Anwälte Anwältin "
        "Anhörung Anhörungen Berufung Beschluss Beschlüsse Bericht Berichte Geschichte "
        "Erinnerung Gedenken Befreiung erinnern Familien Kinder Mütter Frauen Studierende "
        "Lehrer Ärztinnen Journalisten Medien Zensur Spenden Sammlung Pakete Essen Winter "
        "Sommer Platz Park Brücke Bahnhof Botschaft Konsulat Parlament Wahl Wahlen "
        "Transparent Flugblätter Plakate Musik Film Vorführung Diskussion Vortrag "
        "Übersetzung Sprachen russisch ukrainisch belarussisch Kundgebung Neumarkt"
    ),
    "ru": (
        "война заключённые люди солидарность сеть политические город поддержка акция "
        "письма свобода эмиграция форум встреча права суд протест репрессии активисты "
        "помощь год улица кампания беженцы граница новости заявление участники товарищи "
        "против мир демократия писать писали пишет заключённых заключённым письмо суды "
        "процесс приговорили приговор задержали задержание арест освободили освобождение "
        "вечер неделя месяц концерт книги коллектив ячейки организовать рабочие профсоюз "
        "забастовка жильё виза убежище адвокаты адвокат слушание слушания апелляция "
        "решение решения доклад история память годовщина победа помнить семьи дети "
        "матери женщины студенты учителя врачи журналисты цензура пожертвования сбор "
        "посылки еда лекарства зима лето площадь парк мост вокзал посольство консульство "
        "парламент выборы голосование плакаты листовки музыка фильм показ обсуждение "
        "лекция перевод языки русский украинский белорусский"
    ),
    "uk": (
        "війна в'язні люди солідарність мережа політичні місто підтримка акція листи "
        "свобода еміграція форум зустріч права суд протест репресії активісти допомога "
        "рік вулиця кампанія біженці кордон новини заява учасники товариші проти мир "
        "демократія писати писали пише в'язнів в'язням лист суди процес засудили вирок "
        "затримали затримання арешт звільнили звільнення вечір тиждень місяць концерт "
        "книжки колектив осередки організувати робітники профспілка страйк житло віза "
        "притулок адвокати адвокат слухання апеляція рішення доповідь історія пам'ять "
        "річниця перемога пам'ятати родини діти матері жінки студенти вчителі лікарі "
        "журналісти цензура пожертви збір посилки їжа ліки зима літо площа парк міст "
        "вокзал посольство консульство парламент вибори голосування плакати листівки "
        "музика фільм показ обговорення лекція переклад мови російська українська"
    ),
}
STOP = {
    "en": "the of and to in a is that for on with as we at by from our it are this be",
    "de": "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine",
    "ru": "и в не на что с как по но из у за от о же мы для до это",
    "uk": "і в не на що з як по але із у за від про же ми для до це",
}
# Real words placed far down the tail: a few hundred posts each in the whole data.
RARE = {
    "en": ["strasbourg", "vigil", "samizdat"],
    "de": ["Straßburg", "Mahnwache", "Samisdat"],
    "ru": ["страсбург", "пикет", "самиздат"],
    "uk": ["страсбург", "пікет", "самвидав"],
}
SYLLABLES = {
    "en": "ka lo mi ren tor vel an is ur bal dim fen gor hul",
    "de": "ber ling stein haus wald feld bach burg en er ung ke",
    "ru": "ка ло ми рен тор вел ан ис ур бал дим фен гор хул",
    "uk": "ка ло мі рен тор вел ан іс ур бал дим фен гор хул",
}


def vocabulary(code: str, rng: random.Random) -> tuple[list[str], list[float]]:
    """Words by rank and their cumulative weights (Zipf, exponent 1)."""
    head = HEAD[code].split()
    syllables = SYLLABLES[code].split()
    tail = set()
    while len(tail) < TAIL:
        tail.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    words = head + sorted(tail)
    for n, word in enumerate(RARE[code]):
        words.insert(2500 + 800 * n, word)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return words, list(itertools.accumulate(weights))


def text(rng, words, cum, stop) -> str:
    length = rng.randint(80, 220)
    content = rng.choices(words, cum_weights=cum, k=length)
    tokens = [rng.choice(stop) if rng.random() < 0.35 else w for w in content]
    sentences, start = [], 0
    while start < len(tokens):
        end = start + rng.randint(8, 18)
        sentence = " ".join(tokens[start:end])
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        start = end
    return " ".join(sentences)


def index_for(home: HomePage) -> PostIndexPage:
    index = PostIndexPage(title="Bench posts", slug=INDEX_SLUG)
    home.add_child(instance=index)
    index.save_revision().publish()
    index.refresh_from_db()
    return index


def seed() -> None:
    rng = random.Random(4)
    started = time.monotonic()
    post_type = ContentType.objects.get_for_model(PostPage)
    homes = {h.locale.language_code: h for h in HomePage.objects.select_related("locale")}
    codes = ["en", "de", "ru", "uk"]
    per_language = POSTS // len(codes)
    first_day = datetime.date(2018, 1, 1)
    days = (datetime.date(2026, 11, 1) - first_day).days
    total = 0
    for code in codes:
        index = index_for(homes[code])
        words, cum = vocabulary(code, rng)
        stop = STOP[code].split()
        for batch_start in range(0, per_language, BATCH):
            pages, posts, entries = [], [], []
            numbers = range(batch_start, min(batch_start + BATCH, per_language))
            for n in numbers:
                date = first_day + datetime.timedelta(days=rng.randrange(days))
                title = " ".join(rng.choices(words[:150], cum_weights=cum[:150], k=5))
                title = title[:1].upper() + title[1:]
                body = text(rng, words, cum, stop)
                slug = f"post-{n:05d}"
                at = timezone.make_aware(datetime.datetime.combine(date, datetime.time(12)))
                pages.append(
                    Page(
                        path=Page._get_path(index.path, index.depth + 1, n + 1),
                        depth=index.depth + 1,
                        numchild=0,
                        title=title,
                        draft_title=title,
                        slug=slug,
                        content_type=post_type,
                        url_path=f"{index.url_path}{slug}/",
                        locale_id=index.locale_id,
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=at,
                        last_published_at=at,
                        translation_key=uuid.uuid4(),
                        seo_title="",
                        search_description="",
                    )
                )
                posts.append((date, body))
                entries.append((code, title, body, f"/{code}/{INDEX_SLUG}/{slug}/", date))
            pages = Page.objects.bulk_create(pages)
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO publishing_postpage "
                    "(page_ptr_id, date, author_name, teaser, body) VALUES (%s, %s, '', '', %s)",
                    [
                        (
                            page.pk,
                            date,
                            json.dumps(
                                [{"type": "paragraph", "value": f"<p>{body}</p>", "id": str(n)}]
                            ),
                        )
                        for n, (page, (date, body)) in enumerate(zip(pages, posts, strict=True))
                    ],
                )
            SearchEntry.objects.bulk_create(
                [
                    SearchEntry(
                        page_id=page.pk,
                        language=language,
                        title=title,
                        text=body,
                        url=url,
                        date=date,
                        kind=SearchEntry.Kind.POST,
                    )
                    for page, (language, title, body, url, date) in zip(pages, entries, strict=True)
                ]
            )
            total += len(pages)
        Page.objects.filter(pk=index.pk).update(numchild=per_language)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE publishing_searchentry")
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('publishing_searchentry'))")
        size = cursor.fetchone()[0]
    print(
        f"seeded {total:,} posts with search entries ({size}) in {time.monotonic() - started:.0f} s"
    )


if __name__ == "__main__":
    if connection.vendor != "postgresql":
        raise SystemExit("the search benchmark needs PostgreSQL (DATABASE_URL)")
    with transaction.atomic():
        seed()
