from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from wagtail.admin import urls as wagtailadmin_urls

from solidar.accounts import views as account_views
from solidar.core import views as core_views
from solidar.newsletter.views import bounces as newsletter_bounces
from solidar.newsletter.views import public as newsletter_public
from solidar.publishing import media
from solidar.publishing import urls as publishing_urls
from solidar.publishing import views as publishing_views

handler400 = "solidar.core.views.bad_request"
handler403 = "solidar.core.views.permission_denied"
handler404 = "solidar.core.views.page_not_found"
handler500 = "solidar.core.views.server_error"

admin.site.site_header = settings.SOLIDAR_SITE_NAME
admin.site.login = account_views.admin_login  # one way in: allauth, with MFA

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("robots.txt", core_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", publishing_views.sitemap_xml, name="sitemap_xml"),
    path("media/images/<str:name>", media.serve_rendition, name="media_rendition"),
    *newsletter_public.root_patterns,  # the RFC 8058 one-click unsubscribe POST
    *newsletter_bounces.root_patterns,  # the bounce webhook of the e-mail service
    path("cms/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    # Before allauth's: the same URL and name, listing sessions without an N+1.
    path("accounts/sessions/", account_views.sessions, name="usersessions_list"),
    path("accounts/", include("allauth.urls")),
    path("account/", include("solidar.accounts.urls")),
    path("newsletter/", include("solidar.newsletter.urls")),
    path("", include("solidar.aid.urls")),
    path("", include("solidar.decisions.urls")),
    path("", include("solidar.events.urls")),  # before the network's: its calendar.ics
    path("", include("solidar.network.urls")),
    path("", include("solidar.publishing.urls")),
    *publishing_urls.serve_patterns,  # last: the page tree takes every other path
    prefix_default_language=True,
)
