"""URLs for the MFA mechanism tests: the real site plus two tiny privileged views."""

from django.http import HttpResponse
from django.urls import path
from django.views import View

from solidar.accounts.mfa import PrivilegedViewMixin, privileged_view
from solidar.urls import urlpatterns as site_urlpatterns


@privileged_view
def function_view(request):
    return HttpResponse("privileged function view")


class ClassView(PrivilegedViewMixin, View):
    def get(self, request):
        return HttpResponse("privileged class view")


urlpatterns = [
    path("test-privileged/function/", function_view),
    path("test-privileged/class/", ClassView.as_view()),
    *site_urlpatterns,
]
