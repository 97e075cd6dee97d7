from django.urls import path

from solidar.network import views

app_name = "network"

urlpatterns = [
    path("network/", views.directory, name="directory"),
    path("network/map.svg", views.map_svg, name="map_svg"),
    path("network/new/", views.create_collective, name="create_collective"),
    path("network/leave/", views.leave_network, name="leave_network"),
    path("network/<slug:slug>/", views.collective, name="collective"),
    path("network/<slug:slug>/members/", views.members, name="members"),
    path("network/<slug:slug>/apply/", views.apply, name="apply"),
    path("network/<slug:slug>/join/", views.join, name="join"),
    path("network/<slug:slug>/leave/", views.leave, name="leave"),
    path("network/<slug:slug>/contacts/", views.contacts, name="contacts"),
    path("network/<slug:slug>/manage/", views.manage, name="manage"),
    path("network/<slug:slug>/manage/settings/", views.manage_settings, name="manage_settings"),
    path(
        "network/<slug:slug>/manage/members/<int:membership_id>/",
        views.manage_member,
        name="manage_member",
    ),
    path("network/<slug:slug>/manage/invite/", views.invite, name="invite"),
    path("network/<slug:slug>/manage/coordinators/", views.appoint, name="appoint"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<uuid:application_id>/", views.application, name="application"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
