"""Newsletter pages under the language prefix (``newsletter:`` namespace). The one-click
unsubscribe POST and the bounce webhook live outside it (``solidar/urls.py``): mail
programs and e-mail services must never be redirected."""

from solidar.newsletter.views import archive, manage, public

app_name = "newsletter"
urlpatterns = [*public.urlpatterns, *manage.urlpatterns, *archive.urlpatterns]
