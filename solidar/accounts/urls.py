from django.urls import path

from solidar.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
    path("sessions/<int:session_id>/end/", views.end_session, name="end_session"),
]
