"""Seed the newsletter benchmark, schedule its mailings, and send the baseline.

Run by bench/newsletter.py with the server's environment, after seed_demo:

    python bench/_newsletter_seed.py                # seed; $SOLIDAR_DATA_DIR/bench-newsletter.json
    python bench/_newsletter_seed.py schedule ID    # the mailing ID: scheduled, due now
    python bench/_newsletter_seed.py progress ID    # its deliveries by status, as JSON
    python bench/_newsletter_seed.py baseline PORT [NICE]  # the plain smtplib loop, as JSON

Seed: four lists (de, en, ru, uk) and 50,000 confirmed subscribers on the reserved domain
example.org, a quarter on each list: reader00000@example.org is on the German list,
reader00001 on the English one, and so on (``index % 4``). Subscribers are written with
bulk_create through the model, so every address is sealed and digested as the field and
the services do it. Then two mailings (drafts) to all four lists, each with a version per
language of about 4 KB of Markdown (headings, links, a list, an image from our own site):
the first is the measured send, the second the send during the web phases.

Baseline: each language version rendered once with ``compose.render`` and built into one
reader's e-mail with ``compose.message`` (their personal links, List-Unsubscribe, both
parts) as bytes; then, timed, one smtplib connection and one ``sendmail`` per reader with
that pre-rendered message (only the To: line changes) -- the cheapest a sender can be.
"""

from __future__ import annotations

import json
import os
import smtplib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "solidar.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from solidar.newsletter import compose, links  # noqa: E402
from solidar.newsletter.models import (  # noqa: E402
    Mailing,
    MailingList,
    MailingVariant,
    Subscriber,
    Subscription,
)

RECIPIENTS = int(os.environ.get("BENCH_NEWSLETTER_RECIPIENTS", "50000"))
LANGUAGES = ("de", "en", "ru", "uk")
BATCH = 2000
CONSENT = "bench-1"
MAILINGS = ("Bench newsletter: the measured send", "Bench newsletter: the send under load")
DATA_FILE = "bench-newsletter.json"
ADDRESS = "reader{:05d}@example.org"  # reserved domain (RFC 2606)


def address(index: int) -> str:
    return ADDRESS.format(index)


def language(index: int) -> str:
    return LANGUAGES[index % len(LANGUAGES)]


# -- the text of the mailing, per language ----------------------------------------------------
TEXT = {
    "en": {
        "list": "Solidarity news (English)",
        "subject": "Solidarity news: the forum in Köln, new cells, and what comes next",
        "intro": (
            "Dear friends, this month brought more than we hoped for. Over two days in Köln "
            "some four hundred people from a dozen countries met to plan the next year of "
            "work together: aid for prisoners and their families, legal help for those who "
            "had to leave, and a network of cells that can act without waiting for anyone. "
            "Below you find what was decided, where to join, and the dates to keep free."
        ),
        "heading": "Part {n}: what we decided",
        "paragraph": (
            "The working group met in three sessions with interpretation into German, "
            "Russian and Ukrainian. It agreed to share one calendar, to answer every letter "
            "from a prisoner within two weeks, and to publish a short report each month. "
            "Anyone can join: the group meets online every second Tuesday, and the notes of "
            "every meeting are in the members' area. If you cannot attend, write to the "
            "coordinators of your cell; they will bring your proposal to the next meeting."
        ),
        "links": "Read more",
        "outro": "In solidarity, the editors",
    },
    "de": {
        "list": "Solidaritäts-Nachrichten (Deutsch)",
        "subject": "Solidaritäts-Nachrichten: das Forum in Köln, neue Zellen und wie es weitergeht",
        "intro": (
            "Liebe Freundinnen und Freunde, dieser Monat hat mehr gebracht, als wir gehofft "
            "hatten. Zwei Tage lang trafen sich in Köln rund vierhundert Menschen aus einem "
            "Dutzend Ländern, um das nächste Jahr gemeinsamer Arbeit zu planen: Hilfe für "
            "Gefangene und ihre Familien, Rechtshilfe für alle, die gehen mussten, und ein "
            "Netz von Zellen, die handeln können, ohne auf jemanden zu warten."
        ),
        "heading": "Teil {n}: was wir beschlossen haben",
        "paragraph": (
            "Die Arbeitsgruppe tagte in drei Sitzungen mit Verdolmetschung ins Deutsche, "
            "Russische und Ukrainische. Sie hat beschlossen, einen gemeinsamen Kalender zu "
            "führen, jeden Brief aus dem Gefängnis innerhalb von zwei Wochen zu beantworten "
            "und jeden Monat einen kurzen Bericht zu veröffentlichen. Alle können mitmachen: "
            "Die Gruppe trifft sich jeden zweiten Dienstag online, die Protokolle stehen im "
            "Mitgliederbereich."
        ),
        "links": "Weiterlesen",
        "outro": "Solidarische Grüße, die Redaktion",
    },
    "ru": {
        "list": "Новости солидарности (русский)",
        "subject": "Новости солидарности: форум в Кёльне, новые ячейки и что дальше",
        "intro": (
            "Дорогие друзья, этот месяц принёс больше, чем мы надеялись. Два дня в Кёльне "
            "около четырёхсот человек из десятка стран планировали следующий год общей "
            "работы: помощь заключённым и их семьям, юридическую помощь тем, кому пришлось "
            "уехать, и сеть ячеек, которые могут действовать, никого не дожидаясь."
        ),
        "heading": "Часть {n}: что мы решили",
        "paragraph": (
            "Рабочая группа провела три заседания с переводом на немецкий, русский и "
            "украинский. Решено вести общий календарь, отвечать на каждое письмо из тюрьмы "
            "в течение двух недель и каждый месяц публиковать короткий отчёт. "
            "Присоединиться может каждый: группа собирается онлайн каждый второй вторник."
        ),
        "links": "Читать дальше",
        "outro": "С солидарностью, редакция",
    },
    "uk": {
        "list": "Новини солідарності (українська)",
        "subject": "Новини солідарності: форум у Кельні, нові осередки і що далі",
        "intro": (
            "Дорогі друзі, цей місяць приніс більше, ніж ми сподівалися. Два дні в Кельні "
            "близько чотирьохсот людей з десятка країн планували наступний рік спільної "
            "роботи: допомогу вʼязням та їхнім родинам, юридичну допомогу тим, кому довелося "
            "виїхати, і мережу осередків, які можуть діяти, нікого не чекаючи."
        ),
        "heading": "Частина {n}: що ми вирішили",
        "paragraph": (
            "Робоча група провела три засідання з перекладом німецькою, російською та "
            "українською. Вирішено вести спільний календар, відповідати на кожен лист із "
            "вʼязниці протягом двох тижнів і щомісяця публікувати короткий звіт. "
            "Долучитися може кожен: група збирається онлайн щодругого вівторка."
        ),
        "links": "Читати далі",
        "outro": "Із солідарністю, редакція",
    },
}
SECTIONS = 5


def body(lang: str, mailing: int) -> str:
    """About 4 KB of Markdown: headings, paragraphs, a list of links, an image."""
    t = TEXT[lang]
    parts = [t["intro"], f"![Köln](/static/img/bench-{mailing}.png)"]
    for n in range(1, SECTIONS + 1):
        parts += [
            f"## {t['heading'].format(n=n)}",
            t["paragraph"],
            f"### {t['links']}",
            "\n".join(
                [
                    f"- [{t['links']} {n}.1](/{lang}/posts/forum-{n}/)",
                    f"- [{t['links']} {n}.2](https://example.org/{lang}/reports/{mailing}-{n})",
                    f"- [{t['links']} {n}.3](/{lang}/events/)",
                ]
            ),
        ]
    parts.append(f"*{t['outro']}*")
    return "\n\n".join(parts) + "\n"


# -- seed -------------------------------------------------------------------------------------
def seed() -> dict:
    now = timezone.now()
    with transaction.atomic():
        lists = {}
        for position, lang in enumerate(LANGUAGES):
            lists[lang] = MailingList.objects.create(
                slug=f"bench-{lang}",
                **{f"name_{code}": TEXT[lang]["list"] for code in LANGUAGES},
                language=lang,
                position=100 + position,
            )
        for start in range(0, RECIPIENTS, BATCH):
            indexes = range(start, min(start + BATCH, RECIPIENTS))
            subscribers = Subscriber.objects.bulk_create(
                [
                    Subscriber(email=address(i), email_digest=links.email_digest(address(i)))
                    for i in indexes
                ]
            )
            Subscription.objects.bulk_create(
                [
                    Subscription(
                        subscriber=subscriber,
                        mailing_list=lists[language(i)],
                        status=Subscription.Status.CONFIRMED,
                        source=Subscription.Source.IMPORT,
                        consent_version=CONSENT,
                        requested_at=now,
                        confirmed_at=now,
                    )
                    for i, subscriber in zip(indexes, subscribers, strict=True)
                ]
            )
        mailings = []
        for n, title in enumerate(MAILINGS, start=1):
            mailing = Mailing.objects.create(title=title, languages=list(LANGUAGES))
            mailing.lists.set(lists.values())
            MailingVariant.objects.bulk_create(
                [
                    MailingVariant(
                        mailing=mailing,
                        language=lang,
                        subject=TEXT[lang]["subject"],
                        body=body(lang, n),
                    )
                    for lang in LANGUAGES
                ]
            )
            mailings.append(str(mailing.pk))
    sizes = {lang: len(body(lang, 1).encode()) for lang in LANGUAGES}
    data = {
        "mailings": mailings,
        "recipients": RECIPIENTS,
        "address_format": ADDRESS,
        "languages": list(LANGUAGES),
        "markdown_bytes": sizes,
    }
    Path(settings.DATA_DIR, DATA_FILE).write_text(json.dumps(data), encoding="utf-8")
    return data


def schedule(mailing_id: str) -> None:
    """Due now, as the editor's "schedule" leaves it (the engine snapshots on start)."""
    updated = Mailing.objects.filter(pk=mailing_id, status=Mailing.Status.DRAFT).update(
        status=Mailing.Status.SCHEDULED, scheduled_at=timezone.now()
    )
    if updated != 1:
        raise SystemExit(f"mailing {mailing_id} is not a draft")


def progress(mailing_id: str) -> dict:
    mailing = Mailing.objects.get(pk=mailing_id)
    statuses = dict(
        mailing.deliveries.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {
        "status": mailing.status,
        "recipient_count": mailing.recipient_count,
        "deliveries": statuses,
    }


# -- baseline ---------------------------------------------------------------------------------
def prerendered(mailing: Mailing) -> dict[str, tuple[bytes, str]]:
    """Per language: one reader's complete e-mail as bytes, and the address in it."""
    messages = {}
    for variant in mailing.variants.all():
        sample = Subscriber.objects.filter(
            subscriptions__mailing_list__language=variant.language
        ).first()
        rendered = compose.render(variant)
        email = compose.message(rendered, mailing=mailing, subscriber=sample, to=sample.email)
        messages[variant.language] = (email.message().as_bytes(linesep="\r\n"), sample.email)
    return messages


def baseline(port: int) -> dict:
    mailing = Mailing.objects.get(title=MAILINGS[0])
    messages = prerendered(mailing)
    sender = settings.SOLIDAR_NEWSLETTER_FROM
    cpu, started = time.process_time(), time.monotonic()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        for i in range(RECIPIENTS):
            raw, sample = messages[language(i)]
            to = address(i)
            smtp.sendmail(sender, [to], raw.replace(sample.encode(), to.encode(), 1))
    seconds = time.monotonic() - started
    return {
        "messages": RECIPIENTS,
        "seconds": seconds,
        "cpu": time.process_time() - cpu,
        "message_bytes": {lang: len(raw) for lang, (raw, _sample) in messages.items()},
    }


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "seed"
    if command == "seed":
        started = time.monotonic()
        data = seed()
        print(
            f"{data['recipients']:,} subscribers on 4 lists, 2 mailings, "
            f"{time.monotonic() - started:.1f} s"
        )
    elif command == "schedule":
        schedule(sys.argv[2])
    elif command == "progress":
        print(json.dumps(progress(sys.argv[2])))
    elif command == "baseline":
        if len(sys.argv) > 3:
            os.nice(int(sys.argv[3]))
        print(json.dumps(baseline(int(sys.argv[2]))))
    else:
        raise SystemExit(f"unknown command {command!r}")
