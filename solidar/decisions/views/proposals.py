"""Decisions: proposals pages (being written)."""

urlpatterns: list = []
