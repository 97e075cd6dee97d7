"""The inbound bounce webhook (django-anymail)."""

urlpatterns: list = []  # filled in by the module's views
root_patterns: list = []  # outside the language prefix
