"""Demo newsletters (seed_demo): two lists in each of German, English, Russian and
Ukrainian (the monthly newsletter, solidarity with political prisoners), a few hundred
confirmed demo readers on the reserved domain example.org, and two mailings sent in all
four languages that the public archive shows.

Idempotent: lists by their short name, readers by their address's digest, mailings by
their title; deliveries are made once, with the mailing. Readers and their subscriptions
are written in bulk (a few hundred rows, not a few hundred transactions).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from solidar.accounts.models import User
from solidar.newsletter import links, mailings, recipients
from solidar.newsletter.models import (
    Delivery,
    Mailing,
    MailingList,
    Subscriber,
    Subscription,
)

LANGUAGES = ("de", "en", "ru", "uk")
READERS = 320
DOMAIN = "example.org"  # reserved for examples (RFC 2606): nothing is ever delivered
CONSENT = "demo"
BERLIN = ZoneInfo("Europe/Berlin")

# The two topics, named in each interface language; "{language}" is the list's language.
TOPICS = {
    "monthly": {
        "en": ("Monthly newsletter ({language})", "News of the network once a month."),
        "de": ("Monatlicher Rundbrief ({language})", "Einmal im Monat Neues aus dem Netzwerk."),
        "ru": ("Ежемесячная рассылка ({language})", "Раз в месяц — новости сети."),
        "uk": ("Щомісячна розсилка ({language})", "Раз на місяць — новини мережі."),
    },
    "prisoners": {
        "en": (
            "Solidarity with political prisoners ({language})",
            "Letters, court dates and campaigns for those jailed for opposing the war.",
        ),
        "de": (
            "Solidarität mit politischen Gefangenen ({language})",
            "Briefe, Prozesstermine und Kampagnen für alle, die wegen ihres Widerstands "
            "gegen den Krieg in Haft sind.",
        ),
        "ru": (
            "Солидарность с политзаключёнными ({language})",
            "Письма, даты судов и кампании в поддержку тех, кого посадили за несогласие с войной.",
        ),
        "uk": (
            "Солідарність із політв'язнями ({language})",
            "Листи, дати судів і кампанії на підтримку тих, кого ув'язнили за протест проти війни.",
        ),
    },
}
# The name of each list language, in each interface language.
LANGUAGE_NAMES = {
    "en": {"de": "German", "en": "English", "ru": "Russian", "uk": "Ukrainian"},
    "de": {"de": "Deutsch", "en": "Englisch", "ru": "Russisch", "uk": "Ukrainisch"},
    "ru": {"de": "на немецком", "en": "на английском", "ru": "на русском", "uk": "на украинском"},
    "uk": {"de": "німецькою", "en": "англійською", "ru": "російською", "uk": "українською"},
}

FORUM_MAILING = {
    "title": "Demo: after the Cologne forum",
    "sent": datetime(2024, 11, 20, 10, 0, tzinfo=BERLIN),
    "variants": {
        "en": (
            "What we agreed in Cologne",
            "## Seventy people, three countries, two days\n\n"
            "On 2 and 3 November 2024 the left emigration forum met in Cologne. More than "
            "seventy of us came, from Belarus, Russia and Ukraine, most of us now living "
            "somewhere else.\n\n"
            "We talked about three things:\n\n"
            "- how to get persecuted activists out quickly and safely,\n"
            "- how emigrants can build networks of mutual aid that last,\n"
            "- how to support left initiatives against the war back home.\n\n"
            "## What comes next\n\n"
            "The assembly decided to keep the contacts made in Cologne alive: through this "
            "newsletter, through chats and through working groups. Future meetings will keep "
            "the forum's principles: against the war, against imperialism, planned and run "
            "democratically.\n\n"
            "Your cell's next meeting is on the events page of the site.",
        ),
        "de": (
            "Was wir in Köln beschlossen haben",
            "## Siebzig Menschen, drei Länder, zwei Tage\n\n"
            "Am 2. und 3. November 2024 kam in Köln das linke Emigrationsforum zusammen. "
            "Über siebzig von uns waren da, aus Belarus, Russland und der Ukraine – die "
            "meisten leben inzwischen woanders.\n\n"
            "Drei Fragen standen im Mittelpunkt:\n\n"
            "- wie verfolgte Aktivist\\*innen schnell und sicher ausreisen können,\n"
            "- wie Emigrant\\*innen dauerhafte Netze gegenseitiger Hilfe aufbauen,\n"
            "- wie wir linke Initiativen gegen den Krieg in den Herkunftsländern stärken.\n\n"
            "## Wie es weitergeht\n\n"
            "Die Versammlung hat beschlossen, die Kontakte aus Köln zu halten: mit diesem "
            "Rundbrief, in Chats und in Arbeitsgruppen. Künftige Treffen bleiben bei den "
            "Grundsätzen des Forums: gegen den Krieg, gegen Imperialismus, demokratisch "
            "geplant und durchgeführt.\n\n"
            "Das nächste Treffen deiner Zelle steht auf der Veranstaltungsseite.",
        ),
        "ru": (
            "О чём мы договорились в Кёльне",
            "## Семьдесят человек, три страны, два дня\n\n"
            "2 и 3 ноября 2024 года в Кёльне прошёл левый эмиграционный форум. Приехали "
            "больше семидесяти человек из Беларуси, России и Украины; большинство из нас "
            "теперь живёт в других странах.\n\n"
            "Мы говорили о трёх вещах:\n\n"
            "- как быстро и безопасно вывозить преследуемых активистов,\n"
            "- как эмигрантам строить прочные сети взаимопомощи,\n"
            "- как поддерживать левые антивоенные инициативы на родине.\n\n"
            "## Что дальше\n\n"
            "Собрание решило сохранить связи, возникшие в Кёльне: через эту рассылку, чаты "
            "и рабочие группы. Будущие встречи сохранят принципы форума: против войны, "
            "против империализма, с демократической подготовкой и проведением.\n\n"
            "Ближайшая встреча твоей ячейки — на странице мероприятий.",
        ),
        "uk": (
            "Про що ми домовилися в Кельні",
            "## Сімдесят людей, три країни, два дні\n\n"
            "2 і 3 листопада 2024 року в Кельні відбувся лівий еміграційний форум. Приїхали "
            "понад сімдесят людей з Білорусі, Росії та України; більшість із нас тепер "
            "живе в інших країнах.\n\n"
            "Ми говорили про три речі:\n\n"
            "- як швидко й безпечно вивозити переслідуваних активістів,\n"
            "- як емігрантам будувати міцні мережі взаємодопомоги,\n"
            "- як підтримувати ліві антивоєнні ініціативи вдома.\n\n"
            "## Що далі\n\n"
            "Збори вирішили зберегти зв'язки, що виникли в Кельні: через цю розсилку, чати "
            "й робочі групи. Майбутні зустрічі триматимуться принципів форуму: проти війни, "
            "проти імперіалізму, з демократичною підготовкою та проведенням.\n\n"
            "Найближча зустріч твого осередку — на сторінці заходів.",
        ),
    },
}

PRISONERS_MAILING = {
    "title": "Demo: solidarity with political prisoners",
    "sent": datetime(2025, 7, 1, 9, 30, tzinfo=BERLIN),
    "variants": {
        "en": (
            "No peace while opponents of the war sit in prison",
            "## Why we keep writing\n\n"
            "While governments talk about a ceasefire, people who spoke out against the war "
            "stay behind bars, in Russia, in Belarus and elsewhere. A deal that forgets "
            "them is no peace.\n\n"
            "## What you can do this month\n\n"
            "- **Write a letter.** A few lines about everyday life mean a lot. Our working "
            "group explains what to write and what to leave out.\n"
            "- **Come to a street action.** Cells in Köln, Paris, Warszawa and Buenos Aires "
            "are out again this summer.\n"
            "- **Support refugees and migrants** from the post-Soviet region where you "
            "live: with papers, housing, work.\n\n"
            "Solidarity does not stop at a border.",
        ),
        "de": (
            "Kein Frieden, solange Kriegsgegner*innen im Gefängnis sitzen",
            "## Warum wir weiter schreiben\n\n"
            "Während Regierungen über einen Waffenstillstand reden, bleiben Menschen, die "
            "sich gegen den Krieg gestellt haben, in Haft – in Russland, in Belarus und "
            "anderswo. Ein Abkommen, das sie vergisst, ist kein Frieden.\n\n"
            "## Was du diesen Monat tun kannst\n\n"
            "- **Schreib einen Brief.** Ein paar Zeilen über den Alltag bedeuten viel. "
            "Unsere Arbeitsgruppe erklärt, was hineingehört und was nicht.\n"
            "- **Komm zu einer Straßenaktion.** Die Zellen in Köln, Paris, Warszawa und "
            "Buenos Aires sind auch diesen Sommer auf der Straße.\n"
            "- **Unterstütze Geflüchtete und Migrant\\*innen** aus dem postsowjetischen "
            "Raum, wo du lebst: bei Papieren, Wohnung, Arbeit.\n\n"
            "Solidarität endet an keiner Grenze.",
        ),
        "ru": (
            "Нет мира, пока противники войны сидят в тюрьме",
            "## Почему мы продолжаем писать\n\n"
            "Пока правительства обсуждают перемирие, люди, выступившие против войны, "
            "остаются за решёткой — в России, в Беларуси и не только. Сделка, которая о "
            "них забывает, — это не мир.\n\n"
            "## Что можно сделать в этом месяце\n\n"
            "- **Напиши письмо.** Несколько строк о повседневной жизни много значат. Наша "
            "рабочая группа подскажет, о чём писать и чего избегать.\n"
            "- **Приходи на уличную акцию.** Ячейки в Кёльне, Париже, Варшаве и "
            "Буэнос-Айресе снова выходят этим летом.\n"
            "- **Поддержи беженцев и мигрантов** из постсоветских стран там, где ты "
            "живёшь: с документами, жильём, работой.\n\n"
            "Солидарность не кончается на границе.",
        ),
        "uk": (
            "Немає миру, поки противники війни сидять у в'язниці",
            "## Чому ми продовжуємо писати\n\n"
            "Поки уряди говорять про перемир'я, люди, які виступили проти війни, "
            "залишаються за ґратами — у Росії, у Білорусі й деінде. Угода, яка про них "
            "забуває, — це не мир.\n\n"
            "## Що можна зробити цього місяця\n\n"
            "- **Напиши листа.** Кілька рядків про буденне життя важать багато. Наша "
            "робоча група підкаже, про що писати, а чого уникати.\n"
            "- **Приходь на вуличну акцію.** Осередки в Кельні, Парижі, Варшаві та "
            "Буенос-Айресі знову виходять цього літа.\n"
            "- **Підтримай біженців і мігрантів** із пострадянських країн там, де ти "
            "живеш: з документами, житлом, роботою.\n\n"
            "Солідарність не закінчується на кордоні.",
        ),
    },
}


def _list_slug(topic: str, language: str) -> str:
    return f"{topic}-{language}"


def seed_lists() -> dict[str, MailingList]:
    made = {}
    existing = {m.slug: m for m in MailingList.objects.all()}
    for position, (topic, texts) in enumerate(TOPICS.items()):
        for offset, language in enumerate(LANGUAGES):
            slug = _list_slug(topic, language)
            if slug in existing:
                made[slug] = existing[slug]
                continue
            translations = {
                ui: {
                    "name": name.format(language=LANGUAGE_NAMES[ui][language]),
                    "description": description,
                }
                for ui, (name, description) in texts.items()
            }
            made[slug] = mailings.save_list(
                by=None,
                slug=slug,
                language=language,
                translations=translations,
                is_public=True,
                position=position * 10 + offset,
            )
    return made


def seed_readers(lists: dict[str, MailingList]) -> int:
    """READERS confirmed readers, each on the monthly list of one language, every third
    also on that language's prisoners list. Returns how many were new."""
    emails = [f"reader{n:03d}@{DOMAIN}" for n in range(READERS)]
    digests = {email: links.email_digest(email) for email in emails}
    known = set(
        Subscriber.objects.filter(email_digest__in=digests.values()).values_list(
            "email_digest", flat=True
        )
    )
    new = [
        Subscriber(email=email, email_digest=digest)
        for email, digest in digests.items()
        if digest not in known
    ]
    Subscriber.objects.bulk_create(new)
    by_digest = dict(
        Subscriber.objects.filter(email_digest__in=digests.values()).values_list(
            "email_digest", "pk"
        )
    )
    now = timezone.now()
    subscriptions = []
    for n, email in enumerate(emails):
        language = LANGUAGES[n % len(LANGUAGES)]
        topics = ["monthly"] + (["prisoners"] if n % 3 == 0 else [])
        for topic in topics:
            subscriptions.append(
                Subscription(
                    subscriber_id=by_digest[digests[email]],
                    mailing_list=lists[_list_slug(topic, language)],
                    status=Subscription.Status.CONFIRMED,
                    source=Subscription.Source.IMPORT,
                    consent_version=CONSENT,
                    requested_at=now,
                    confirmed_at=now,
                )
            )
    Subscription.objects.bulk_create(subscriptions, ignore_conflicts=True)
    return len(new)


def _seed_sent(spec: dict, lists: list[MailingList], by: User | None) -> Mailing:
    """A mailing written, addressed and sent (the engine's part done here: the snapshot,
    every delivery marked sent at the mailing's date)."""
    found = Mailing.objects.filter(title=spec["title"]).first()
    if found is not None:
        return found
    mailing = mailings.create(by=by, title=spec["title"])
    for language, (subject, body) in spec["variants"].items():
        mailings.save_variant(mailing, language=language, subject=subject, body=body, by=by)
    mailings.set_recipients(mailing, lists=lists, languages=LANGUAGES, by=by)
    mailings.schedule(mailing, by=by)
    sent_at = spec["sent"]
    recipients.snapshot(mailing)
    Delivery.objects.filter(mailing=mailing).update(
        status=Delivery.Status.SENT, sent_at=sent_at, attempts=1
    )
    Mailing.objects.filter(pk=mailing.pk).update(status=Mailing.Status.SENDING)
    mailings.mark_sent(mailing)
    Mailing.objects.filter(pk=mailing.pk).update(
        scheduled_at=sent_at, started_at=sent_at, finished_at=sent_at
    )
    mailing.refresh_from_db()
    return mailing


def seed() -> None:
    with transaction.atomic():
        lists = seed_lists()
        seed_readers(lists)
        editor = User.objects.filter(username="editor").first()
        monthly = [lists[_list_slug("monthly", language)] for language in LANGUAGES]
        prisoners = [lists[_list_slug("prisoners", language)] for language in LANGUAGES]
        _seed_sent(FORUM_MAILING, monthly, editor)
        _seed_sent(PRISONERS_MAILING, monthly + prisoners, editor)


def summary() -> list[str]:
    return [
        f"  Newsletters: {MailingList.objects.count()} lists, "
        f"{Subscriber.objects.filter(email_digest__isnull=False).count()} readers, "
        f"{Mailing.objects.filter(status=Mailing.Status.SENT).count()} sent mailings "
        "(editor: /en/newsletter/manage/, archive: /en/newsletter/archive/)",
    ]
