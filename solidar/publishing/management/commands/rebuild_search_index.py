"""Write the public search's index anew from the live pages (after a deployment that
added it, a restore, or to repair it)."""

from django.core.management.base import BaseCommand

from solidar.publishing import search


class Command(BaseCommand):
    help = "Index every live, public page for the site's search again."

    def handle(self, *args, **options):
        count = search.rebuild()
        self.stdout.write(f"Indexed {count} pages.")
