"""Editors' pages: lists, mailings with language versions, preview, test, recipients,
schedule, progress."""

urlpatterns: list = []  # filled in by the module's views
