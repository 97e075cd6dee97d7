"""Demo mutual aid (seed_demo): the working group "Aid team" as the aid team that receives
the help form, olga (its coordinator) and andrii as handlers with case passphrases, a few
requests in every status with notes, messages and checklist progress, and offers of help
from demo members in Berlin, Köln, Paris, Warsaw and Buenos Aires.

Idempotent: the group by its slug, handlers and grants by their rows, the requests by the
demo codename's case (all are made together), offers by offerer, kind and city. Only
invented people and reserved addresses (example.org). Through the services the pages use.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from solidar.accounts.demo import demo_user
from solidar.aid import casefile, casework, codenames, offers, team
from solidar.aid.models import AidTeam, Case, ChecklistItem, Entry, KeyGrant, Kind, Offer
from solidar.core import audit
from solidar.network import services as network_services
from solidar.network.models import Collective, Membership

SLUG = "aid-team"
# Printed on purpose: demo only. Passphrases of the handlers' case keys.
PASSPHRASES = {
    "olga": "olga demo case passphrase 2024",
    "andrii": "andrii demo case passphrase 2024",
}
# The codename of one demo request, so a tester can come back as the requester.
DEMO_CODENAME = "amber lantern violin harbor candle pebble tulip"

S = Case.Status
O = Offer.Kind  # noqa: E741 - short for the table below

# kind, country, urgency, languages, situation, needs, contact method, contact
REQUESTS = [
    (
        "printed",
        Kind.DEPARTURE,
        "BY",
        "immediate",
        ["ru", "be"],
        "Demo: the police came to my parents' flat asking for me after the protest "
        "photos were published.",
        "Demo: a safe way out within days, and a place to stay for two people.",
        "signal",
        "@demo-lantern.01",
    ),
    (
        "new",
        Kind.LEGAL,
        "RU",
        "days",
        ["ru"],
        "Demo: I received a summons for questioning about donations.",
        "Demo: advice from a lawyer on what to do before the date.",
        "site",
        "",
    ),
    (
        "triaged",
        Kind.DOCUMENTS,
        "GE",
        "weeks",
        ["ru", "en"],
        "Demo: my passport expires in three months and I cannot renew it.",
        "Demo: options for a travel document in Germany.",
        "email",
        "demo-requester@example.org",
    ),
    (
        "waiting",
        Kind.PRISONER,
        "RU",
        "weeks",
        ["ru"],
        "Demo: my brother is in pre-trial detention for an anti-war post.",
        "Demo: help with parcels and a lawyer's fee.",
        "matrix",
        "@demo-family:example.org",
    ),
    (
        "closed_helped",
        Kind.HOUSING,
        "DE",
        "days",
        ["uk", "ru"],
        "Demo: I arrived in Berlin last week and my room falls through on Friday.",
        "Demo: a room for a month.",
        "telegram",
        "@demo_walnut",
    ),
    (
        "closed_referred",
        Kind.MONEY,
        "KZ",
        "not_urgent",
        ["ru", "kk"],
        "Demo: I left Russia to Almaty and my savings are running out.",
        "Demo: some money until the first salary.",
        "site",
        "",
    ),
]

# username, kind, city, country, languages, capacity, details, starts in days, lasts days
OFFERS = [
    (
        "andrii",
        O.BED,
        "Berlin",
        "DE",
        ["uk", "ru", "de"],
        "2 people",
        "Demo: a sofa bed in a shared flat, two weeks at a time.",
        0,
        60,
    ),
    (
        "taras",
        O.TRANSPORT,
        "Berlin",
        "DE",
        ["uk", "de"],
        "a car, 4 seats",
        "Demo: lifts from the airport or the bus station, evenings and weekends.",
        0,
        None,
    ),
    (
        "lena",
        O.INTERPRETING,
        "Köln",
        "DE",
        ["ru", "de"],
        "one evening a week",
        "Demo: interpreting Russian-German at appointments with the authorities.",
        0,
        None,
    ),
    (
        "lena",
        O.LEGAL,
        "Köln",
        "DE",
        ["ru", "de"],
        "",
        "Demo: first advice on German asylum law (I work at a counselling centre).",
        3,
        90,
    ),
    (
        "mila",
        O.BED,
        "Paris",
        "FR",
        ["ru", "fr", "en"],
        "1 person",
        "Demo: a small room for up to a month.",
        10,
        45,
    ),
    (
        "ivan",
        O.MONEY,
        "Warszawa",
        "PL",
        ["ru", "pl"],
        "up to 300 euros",
        "Demo: a one-time contribution for tickets or a deposit.",
        0,
        None,
    ),
    (
        "ivan",
        O.WORK,
        "Warszawa",
        "PL",
        ["ru", "pl", "be"],
        "",
        "Demo: job leads in warehouses and construction, with a union contact.",
        0,
        None,
    ),
    (
        "pablo",
        O.DOCUMENTS,
        "Buenos Aires",
        "AR",
        ["es", "en"],
        "",
        "Demo: help with the residence paperwork in Argentina.",
        0,
        120,
    ),
]


def _group() -> Collective:
    group = Collective.objects.filter(slug=SLUG).first()
    if group is None:
        group = network_services.create_collective(
            by=demo_user("admin"),
            kind=Collective.Kind.WORKING_GROUP,
            slug=SLUG,
            name="Aid team",
            languages=["ru", "uk", "en"],
            description="Demo: the working group that answers requests for help.",
        )
    admin = demo_user("admin")
    olga = demo_user("olga")
    if not Membership.objects.filter(
        collective=group, user=olga, ended_at__isnull=True, role=Membership.Role.COORDINATOR
    ).exists():
        network_services.appoint_coordinator(group, olga, by=admin)
    andrii = demo_user("andrii")
    if not Membership.objects.filter(collective=group, user=andrii, ended_at__isnull=True).exists():
        network_services.add_member(group, andrii, by=admin)
    return group


def _team(group: Collective) -> AidTeam:
    aid_team = AidTeam.objects.filter(collective=group).first()
    if aid_team is None:
        intake = not AidTeam.objects.filter(receives_intake=True).exists()
        aid_team = AidTeam.objects.create(collective=group, receives_intake=intake)
        audit.record(None, "aid.team_created", aid_team, intake=intake)
    return aid_team


def _handlers(aid_team: AidTeam):
    olga, andrii = demo_user("olga"), demo_user("andrii")
    rows = {}
    for user in (olga, andrii):  # olga first: she creates the team key
        rows[user.username] = team.handler_of(aid_team, user) or team.set_passphrase(
            aid_team, user, PASSPHRASES[user.username]
        )
    if not KeyGrant.objects.filter(handler=rows["andrii"]).exists():
        keys = team.unlock(rows["olga"], PASSPHRASES["olga"])
        team.grant_access(aid_team, rows["andrii"], keys, by=olga)
    return olga, andrii


def _offers() -> dict[str, Offer]:
    today = timezone.localdate()
    made = {}
    for username, kind, city, country, languages, capacity, details, start, days in OFFERS:
        user = demo_user(username)
        offer = Offer.objects.filter(user=user, kind=kind, city=city).first()
        if offer is None:
            starts = today + timedelta(days=start) if start else None
            offer = offers.create_offer(
                user,
                offers.OfferFields(
                    kind=kind,
                    city=city,
                    country=country,
                    languages=tuple(languages),
                    capacity=capacity,
                    details=details,
                    available_from=starts,
                    available_until=(starts or today) + timedelta(days=days) if days else None,
                ),
            )
        made[f"{username}:{kind}"] = offer
    return made


def _requests(aid_team: AidTeam, olga, andrii, made_offers: dict[str, Offer]) -> None:
    printed = codenames.derive(DEMO_CODENAME)
    if Case.objects.filter(codename_hash=printed.lookup_hash).exists():
        return
    cases = {}
    for label, kind, country, urgency, languages, situation, needs, method, contact in REQUESTS:
        derived = printed if label == "printed" else codenames.derive(codenames.generate())
        cases[label] = casefile.create_case(
            aid_team,
            kind=kind,
            country=country,
            urgency=urgency,
            languages=languages,
            request={
                "situation": situation,
                "needs": needs,
                "contact_method": method,
                "contact": contact,
            },
            requester=derived,
        )

    case = cases["printed"]
    casework.claim(case, andrii)
    casework.set_status(case, S.TRIAGED, by=andrii)
    casework.set_status(case, S.IN_PROGRESS, by=andrii)
    casework.reply(
        case,
        "Demo: we have read your request. Can you travel to Vilnius by Thursday? "
        "Write here, or on Signal from your safe phone.",
        by=andrii,
    )
    casefile.add_entry(
        case,
        Entry.Kind.FROM_REQUESTER,
        {"text": "Demo: yes, we can be in Vilnius on Thursday evening, two of us."},
    )
    casework.add_note(case, "Demo: checked the route; Berlin bed offer asked.", by=andrii)
    for item in ChecklistItem.objects.filter(case=case).order_by("position")[:2]:
        casework.toggle_item(item, by=andrii)
    offers.ask_offerer(
        case,
        made_offers["andrii:bed"],
        "Demo: two people, from next Friday for about ten days?",
        by=olga,
    )

    casework.set_status(cases["triaged"], S.TRIAGED, by=olga)

    case = cases["waiting"]
    casework.claim(case, olga)
    casework.set_status(case, S.IN_PROGRESS, by=olga)
    casework.reply(case, "Demo: we are in touch with a support group for prisoners.", by=olga)
    casework.refer(
        case,
        "Demo prisoner support group",
        "Demo: parcels and a lawyer for pre-trial detention.",
        by=olga,
    )
    casework.set_status(case, S.WAITING, by=olga)

    case = cases["closed_helped"]
    casework.claim(case, andrii)
    casework.set_status(case, S.IN_PROGRESS, by=andrii)
    casework.reply(case, "Demo: a room in Neukölln is free from Friday for a month.", by=andrii)
    offers.record_arranged(
        case, made_offers["andrii:bed"], "Demo: a month from Friday, keys at the café.", by=andrii
    )
    casework.set_status(case, S.CLOSED, by=andrii, outcome=Case.Outcome.HELPED)

    case = cases["closed_referred"]
    casework.reply(
        case, "Demo: a partner fund in Almaty can help; we sent them your needs.", by=olga
    )
    casework.set_status(case, S.CLOSED, by=olga, outcome=Case.Outcome.REFERRED)


def seed(stdout=None) -> None:
    group = _group()
    aid_team = _team(group)
    olga, andrii = _handlers(aid_team)
    made_offers = _offers()
    _requests(aid_team, olga, andrii, made_offers)
    if stdout is not None:
        for line in summary():
            stdout.write(line + "\n")


def summary() -> list[str]:
    return [
        "  Mutual aid: olga (aid coordinator) and andrii (handler) of the working group "
        '"Aid team"; sign in with TOTP, then unlock the cases with the case passphrase:',
        f"    olga     case passphrase: {PASSPHRASES['olga']}",
        f"    andrii   case passphrase: {PASSPHRASES['andrii']}",
        f"  A demo requester's codename (/en/help/return/): {DEMO_CODENAME}",
        "  Offers of help from andrii, taras (Berlin), lena (Köln), mila (Paris), "
        "ivan (Warszawa) and pablo (Buenos Aires).",
    ]
