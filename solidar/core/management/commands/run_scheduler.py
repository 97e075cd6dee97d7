import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from solidar.core import periodic


class Command(BaseCommand):
    help = "Enqueue periodic jobs when they are due (runs until stopped)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run one tick and exit.")

    def handle(self, *args, once=False, **options):
        if once:
            for name in periodic.tick():
                self.stdout.write(f"enqueued {name}")
            return
        running = True

        def stop(signum, frame):
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while running:
            periodic.tick()
            for _ in range(settings.SOLIDAR_SCHEDULER_TICK_SECONDS * 10):
                if not running:
                    break
                time.sleep(0.1)
