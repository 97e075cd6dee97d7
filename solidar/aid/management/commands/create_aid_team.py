"""Make a working group an aid team: its members may then set a case passphrase and,
given access, handle its cases. The first coordinator who sets a passphrase creates the
team's key.

    manage.py create_aid_team <collective-slug> [--intake]
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction

from solidar.aid.models import AidTeam
from solidar.core import audit
from solidar.network.models import Collective


class Command(BaseCommand):
    help = "Make a working group an aid team (--intake: it receives the public help form)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the working group's slug")
        parser.add_argument(
            "--intake",
            action="store_true",
            help="the team receives the requests from the public help form (one team may)",
        )

    def handle(self, *args, slug: str, intake: bool, **options):
        collective = Collective.objects.filter(slug=slug).first()
        if collective is None:
            raise CommandError(f"No collective has the slug {slug!r}.")
        if collective.kind != Collective.Kind.WORKING_GROUP:
            raise CommandError(
                f"{collective} is a {collective.get_kind_display()}, not a working group: "
                "only a working group can be an aid team."
            )
        if not collective.is_active:
            raise CommandError(f"{collective} is no longer active.")
        if AidTeam.objects.filter(collective=collective).exists():
            raise CommandError(f"{collective} is already an aid team.")
        if intake:
            other = (
                AidTeam.objects.filter(receives_intake=True).select_related("collective").first()
            )
            if other is not None:
                raise CommandError(
                    f"{other} already receives the requests from the help form; "
                    "run the command without --intake."
                )
        try:
            with transaction.atomic():
                team = AidTeam.objects.create(collective=collective, receives_intake=intake)
                audit.record(None, "aid.team_created", team, intake=intake)
        except IntegrityError as error:  # another command got there first
            raise CommandError(f"{collective} could not be made an aid team: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{collective} is an aid team"
                + (" and receives the help form's requests." if intake else ".")
                + " Its first coordinator to set a case passphrase creates the team key."
            )
        )
