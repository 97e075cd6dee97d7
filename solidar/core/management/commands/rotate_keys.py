from django.core.management.base import BaseCommand
from django.db import transaction

from solidar.core import audit, crypto
from solidar.core.fields import rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field under the first key of SOLIDAR_DATA_KEYS. "
        "Afterwards older keys can be removed from the ring."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key", action="store_true", help="Only print a fresh random key and exit."
        )

    def handle(self, *args, new_key=False, **options):
        if new_key:
            self.stdout.write(crypto.generate_key())
            return
        with transaction.atomic():
            counts = rotate()
            audit.record(
                None,
                "crypto.keys_rotated",
                None,
                counts=counts,
                key_id=crypto.key_ring().current_id,
            )
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(f"all values now under key {crypto.key_ring().current_id!r}")
        )
