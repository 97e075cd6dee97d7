"""Decisions: votes pages (being written)."""

urlpatterns: list = []
