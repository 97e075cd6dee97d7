from django.core.management.base import BaseCommand, CommandError

from solidar.newsletter.engine import Engine


class Command(BaseCommand):
    help = (
        "Send newsletters: start scheduled mailings when due and deliver them "
        "(runs until stopped; SIGTERM finishes the current messages first)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--until-done",
            action="store_true",
            help="Exit when no mailing is sending or due to start.",
        )
        parser.add_argument(
            "--lease",
            type=float,
            default=30.0,
            help="Seconds a claimed batch stays this worker's before others may take it "
            "over (default 30).",
        )
        parser.add_argument(
            "--connections",
            type=int,
            default=None,
            help="Parallel SMTP connections (default SOLIDAR_NEWSLETTER_CONNECTIONS).",
        )
        parser.add_argument("--batch", type=int, default=None, help="Deliveries claimed at a time.")
        parser.add_argument(
            "--retry-delay",
            type=float,
            default=60.0,
            help="Seconds before the first retry after a 4xx answer (doubling each time).",
        )
        parser.add_argument(
            "--reconnect-max",
            type=float,
            default=30.0,
            help="Longest pause between attempts to reach an unavailable SMTP server.",
        )
        parser.add_argument(
            "--nice", type=int, default=10, help="CPU priority to lower by (default 10)."
        )

    def handle(self, *args, **options):
        for name in ("lease", "retry_delay", "reconnect_max"):
            if options[name] <= 0:
                raise CommandError(f"--{name.replace('_', '-')} must be positive")
        if options["connections"] is not None and options["connections"] < 1:
            raise CommandError("--connections must be at least 1")
        engine = Engine(
            connections=options["connections"],
            batch=options["batch"],
            lease=options["lease"],
            retry_delay=options["retry_delay"],
            reconnect_max=options["reconnect_max"],
            reconnect_delay=min(1.0, options["reconnect_max"]),
        )
        engine.run(until_done=options["until_done"], nice=options["nice"])
