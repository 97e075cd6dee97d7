"""Demo network (seed_demo): public cells in five cities, one hidden cell, the five
working groups, members in several roles and a pending application with one vouch.

Built through the network services; running it twice changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from solidar.accounts.demo import demo_user
from solidar.network import services
from solidar.network.models import Application, Collective, Membership, Vouch

NETWORK = {
    "slug": "network",
    "kind": Collective.Kind.NETWORK,
    "name": "The whole network",
    "translations": {
        "de": {"name": "Das ganze Netzwerk"},
        "ru": {"name": "Вся сеть"},
        "uk": {"name": "Уся мережа"},
    },
    "description": "Join the network as a whole if there is no cell in your city yet.",
    "languages": ["ru", "uk", "be", "en"],
}

# slug, city, country, latitude, longitude, languages, name in de/ru/uk, meeting note
CELLS = [
    (
        "koeln",
        "Köln",
        "DE",
        "50.9375",
        "6.9603",
        ["ru", "uk", "be", "de"],
        ("Zelle Köln", "Ячейка Кёльн", "Осередок Кельн"),
        "Every second Sunday afternoon",
    ),
    (
        "berlin",
        "Berlin",
        "DE",
        "52.5200",
        "13.4050",
        ["ru", "uk", "de"],
        ("Zelle Berlin", "Ячейка Берлин", "Осередок Берлін"),
        "Weekly, on weekday evenings",
    ),
    (
        "paris",
        "Paris",
        "FR",
        "48.8566",
        "2.3522",
        ["ru", "uk", "fr"],
        ("Zelle Paris", "Ячейка Париж", "Осередок Париж"),
        "Twice a month",
    ),
    (
        "warszawa",
        "Warszawa",
        "PL",
        "52.2297",
        "21.0122",
        ["ru", "uk", "be", "pl"],
        ("Zelle Warszawa", "Ячейка Варшава", "Осередок Варшава"),
        "Every other Saturday",
    ),
    (
        "buenos-aires",
        "Buenos Aires",
        "AR",
        "-34.6037",
        "-58.3816",
        ["ru", "es"],
        ("Zelle Buenos Aires", "Ячейка Буэнос-Айрес", "Осередок Буенос-Айрес"),
        "Once a month",
    ),
]

CELL_DESCRIPTION = {
    "en": "A local collective of emigrants from the post-Soviet space: meetings, reading "
    "circles, street actions and help for newcomers.",
    "de": "Ein lokales Kollektiv von Emigrant*innen aus dem postsowjetischen Raum: Treffen, "
    "Lesekreise, Straßenaktionen und Hilfe für Neuankommende.",
    "ru": "Местный коллектив эмигрантов из постсоветского пространства: встречи, кружки "
    "чтения, уличные акции и помощь тем, кто только приехал.",
    "uk": "Місцевий колектив емігрантів із пострадянського простору: зустрічі, читацькі "
    "гуртки, вуличні акції та допомога тим, хто щойно приїхав.",
}

HIDDEN_CELL = ("vilnius-circle", "Vilnius circle", "Vilnius", "LT", ["ru", "be"])

# slug, English name, (de, ru, uk), join policy
WORKING_GROUPS = [
    (
        "migrant-workers",
        "Migrant workers and unions",
        (
            "Migrantische Arbeit und Gewerkschaften",
            "Трудовые мигранты и профсоюзы",
            "Трудові мігранти та профспілки",
        ),
        Collective.JoinPolicy.OPEN,
    ),
    (
        "prisoners-refugees",
        "Political prisoners and refugees",
        (
            "Politische Gefangene und Geflüchtete",
            "Политзаключённые и беженцы",
            "Політв'язні та біженці",
        ),
        Collective.JoinPolicy.APPROVAL,
    ),
    (
        "democratic-peace",
        "Democratic peace",
        ("Demokratischer Frieden", "Демократический мир", "Демократичний мир"),
        Collective.JoinPolicy.OPEN,
    ),
    ("campaigns", "Campaigns", ("Kampagnen", "Кампании", "Кампанії"), Collective.JoinPolicy.OPEN),
    (
        "political-education",
        "Political education",
        ("Politische Bildung", "Политическое образование", "Політична освіта"),
        Collective.JoinPolicy.OPEN,
    ),
]

# username -> [(collective slug, role)]; C = coordinator, M = member
C, M = "coordinator", "member"
MEMBERS = {
    "olga": [("koeln", C), ("network", C), ("prisoners-refugees", C), ("migrant-workers", C)],
    "andrii": [("berlin", C), ("warszawa", C), ("campaigns", C), ("democratic-peace", C)],
    "lena": [("koeln", M), ("migrant-workers", M)],
    "taras": [("koeln", M), ("berlin", M), ("democratic-peace", M)],
    "mila": [("paris", C), ("buenos-aires", C), ("political-education", C)],
    "ivan": [("warszawa", M), ("migrant-workers", M), ("democratic-peace", M)],
    "pablo": [("buenos-aires", M)],
    "sasha": [("vilnius-circle", C), ("koeln", M)],
}


def _ensure_collective(**fields) -> Collective:
    existing = Collective.objects.filter(slug=fields["slug"]).first()
    return existing or services.create_collective(by=demo_user("admin"), **fields)


def seed() -> None:
    _ensure_collective(**NETWORK)
    for slug, city, country, lat, lon, languages, names, meeting in CELLS:
        _ensure_collective(
            kind=Collective.Kind.CELL,
            slug=slug,
            name=f"Cell {city}",
            city=city,
            country=country,
            latitude=Decimal(lat),
            longitude=Decimal(lon),
            languages=languages,
            meeting_note=meeting,
            description=CELL_DESCRIPTION["en"],
            translations={
                language: {"name": name, "description": CELL_DESCRIPTION[language]}
                for language, name in zip(("de", "ru", "uk"), names, strict=True)
            },
        )
    slug, name, city, country, languages = HIDDEN_CELL
    _ensure_collective(
        kind=Collective.Kind.CELL,
        slug=slug,
        name=name,
        city=city,
        country=country,
        languages=languages,
        visibility=Collective.Visibility.HIDDEN,
        description="A closed circle; only its members know it exists.",
    )
    for slug, name, names, policy in WORKING_GROUPS:
        _ensure_collective(
            kind=Collective.Kind.WORKING_GROUP,
            slug=slug,
            name=name,
            join_policy=policy,
            languages=["ru", "uk", "en"],
            translations={
                language: {"name": translated}
                for language, translated in zip(("de", "ru", "uk"), names, strict=True)
            },
        )

    admin = demo_user("admin")
    for username, places in MEMBERS.items():
        user = demo_user(username)
        for slug, role in places:
            collective = Collective.objects.get(slug=slug)
            membership = Membership.objects.filter(
                collective=collective, user=user, ended_at__isnull=True
            ).first()
            if role == C:
                services.appoint_coordinator(collective, user, by=admin)
            elif membership is None:
                services.add_member(collective, user, by=admin)

    # Kasia applied to Warszawa; Ivan vouched; one more vouch is needed.
    warszawa = Collective.objects.get(slug="warszawa")
    kasia = demo_user("kasia")
    application = Application.objects.filter(collective=warszawa, applicant=kasia).first()
    if application is None:
        application = services.submit_application(
            warszawa,
            kasia,
            motivation="I moved to Warsaw last year and want to help newcomers from Belarus.",
            programme_points=["anti_war", "migrant_workers", "prisoners"],
            languages=["ru", "be", "pl"],
            referral="I met members at a solidarity evening.",
        )
    if not Vouch.objects.filter(application=application).exists():
        services.add_vouch(application, demo_user("ivan"), kind=Vouch.Kind.VOUCH)


def summary() -> list[str]:
    return [
        "  Network: olga coordinates Köln, andrii Berlin and Warszawa, mila Paris and "
        "Buenos Aires; sasha alone knows the hidden cell; kasia's application to Warszawa "
        "waits for a second vouch."
    ]
