"""The demo instance, built through the same services the UI uses.

Each app may have a ``demo`` module with ``seed()`` (idempotent) and optionally
``summary() -> list[str]``; they run in INSTALLED_APPS order, so accounts exist before
the network hangs cells from them. Running it twice changes nothing.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction


def demo_modules():
    for app_config in apps.get_app_configs():
        name = f"{app_config.name}.demo"
        if app_config.name.startswith("solidar.") and find_spec(name) is not None:
            yield import_module(name)


class Command(BaseCommand):
    help = "Create (once) the demo instance and print its logins."

    def handle(self, *args, **options):
        modules = list(demo_modules())
        with transaction.atomic():
            for module in modules:
                module.seed()
        self.stdout.write("")
        for module in modules:
            for line in getattr(module, "summary", list)():
                self.stdout.write(line)
        if not settings.EMAIL_HOST:
            self.stdout.write("  E-mails (confirmations, resets) are printed by the task worker.")
        self.stdout.write("")
