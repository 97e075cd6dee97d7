"""Readers' pages: sign up, confirm, their lists (preference link), unsubscribe, one click."""

urlpatterns: list = []  # filled in by the module's views
root_patterns: list = []  # outside the language prefix
