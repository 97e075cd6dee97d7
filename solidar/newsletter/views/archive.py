"""The public archive of sent mailings per language, with an RSS feed."""

urlpatterns: list = []  # filled in by the module's views
