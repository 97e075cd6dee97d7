"""Decisions: bodies pages (being written)."""

urlpatterns: list = []
