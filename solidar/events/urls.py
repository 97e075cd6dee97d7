from django.urls import path

from solidar.events.views import calendar, organise, participants, public

app_name = "events"

urlpatterns = [
    # Readers, members and guests
    path("events/", public.upcoming, name="list"),
    path("events/past/", public.past, name="past"),
    path("events/mine/", public.mine, name="mine"),
    path("events/confirm/<str:token>/", public.confirm, name="confirm"),
    path("events/r/<str:token>/", public.registration, name="registration"),
    # Calendars
    path("events/calendar.ics", calendar.public_feed, name="feed_public"),
    path("events/calendar/", calendar.settings_page, name="calendar"),
    path("events/feed/<str:token>.ics", calendar.personal_feed, name="feed_personal"),
    path("network/<slug:slug>/calendar.ics", calendar.collective_feed, name="feed_collective"),
    # Organisers
    path("events/organise/", organise.overview, name="organise"),
    path("events/new/", organise.create, name="create"),
    path("events/<slug:slug>/edit/", organise.edit, name="edit"),
    path("events/<slug:slug>/publish/", organise.publish, name="publish"),
    path("events/<slug:slug>/cancel/", organise.cancel, name="cancel_event"),
    path("events/<slug:slug>/programme/", organise.programme, name="programme"),
    path(
        "events/<slug:slug>/programme/<int:session_id>/",
        organise.session_edit,
        name="session_edit",
    ),
    path(
        "events/<slug:slug>/programme/<int:session_id>/delete/",
        organise.session_delete,
        name="session_delete",
    ),
    path("events/<slug:slug>/questions/", organise.questions, name="questions"),
    path(
        "events/<slug:slug>/questions/<int:question_id>/",
        organise.question_edit,
        name="question_edit",
    ),
    path(
        "events/<slug:slug>/questions/<int:question_id>/delete/",
        organise.question_delete,
        name="question_delete",
    ),
    path("events/<slug:slug>/invitations/", organise.invitations, name="invitations"),
    # Participants, check-in, letters (organisers)
    path("events/<slug:slug>/participants/", participants.roster, name="participants"),
    path(
        "events/<slug:slug>/participants/<uuid:registration_id>/",
        participants.action,
        name="participant_action",
    ),
    path("events/<slug:slug>/participants.csv", participants.export, name="export"),
    path("events/<slug:slug>/check-in/", participants.checkin, name="checkin"),
    path("events/<slug:slug>/print/", participants.print_list, name="print_list"),
    path("events/<slug:slug>/letter/", participants.letter_template, name="letter_template"),
    path(
        "events/<slug:slug>/letters/<uuid:registration_id>.pdf",
        participants.letter,
        name="letter",
    ),
    # The event itself (last: its slug would shadow nothing above, but reads best here)
    path("events/<slug:slug>/", public.detail, name="detail"),
    path("events/<slug:slug>/event.ics", calendar.event_file, name="ics"),
    path("events/<slug:slug>/register/", public.register, name="register"),
    path("events/<slug:slug>/my-registration/", public.my_registration, name="my_registration"),
]
