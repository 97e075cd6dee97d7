"""Decisions: resolutions pages (being written)."""

urlpatterns: list = []
