"""Offers of help (members), suggested matches for a case (handlers), statistics
(coordinators). Thin: authorise with the rules, call one service, answer.

A member sees only their own offers: another member's offer does not exist for them (404).
The matches page and the statistics are privileged pages (MFA); a person without the
role gets 404. Bad input re-renders the page with the message and a 400, keeping the text.
"""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from solidar.accounts.mfa import privileged_view
from solidar.aid import matching, offers, stats
from solidar.aid.models import AidTeam, Case, Offer
from solidar.aid.offer_forms import AnswerForm, ArrangedForm, OfferForm, QuestionForm
from solidar.aid.views.common import private_view
from solidar.core import audit
from solidar.core.countries import country_name
from solidar.network.models import SPOKEN_LANGUAGES

LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)


def language_names(codes) -> list[str]:
    return [str(LANGUAGE_NAMES.get(code, code)) for code in codes or ()]


def _describe(offer: Offer) -> Offer:
    offer.country_label = country_name(offer.country) if offer.country else ""
    offer.language_labels = language_names(offer.languages)
    return offer


def _handler_team(user):
    """A team the user handles (for the aid navigation), or None."""
    from solidar.aid.rules import handler_rows

    for row in handler_rows(user).values():
        if rules.has_perm("aid.work_cases", user, row.team):
            return row.team
    return None


# -- the offerer's pages ------------------------------------------------------------------------
@require_GET
@login_required
@private_view
def offer_list(request):
    mine = [_describe(offer) for offer in offers.offers_of(request.user)]
    may_offer = rules.has_perm("aid.offer_help", request.user)
    if not mine and not may_offer:
        raise Http404
    return render(
        request,
        "aid/offers/mine.html",
        {
            "offers": mine,
            "may_offer": may_offer,
            "aid_team": _handler_team(request.user),
        },
    )


def _offer_form_page(request, form, offer=None, status=200):
    return render(request, "aid/offers/form.html", {"form": form, "offer": offer}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
@private_view
def offer_new(request):
    if not rules.has_perm("aid.offer_help", request.user):
        raise Http404
    if request.method == "GET":
        return _offer_form_page(request, OfferForm())
    form = OfferForm(request.POST)
    if not form.is_valid():
        return _offer_form_page(request, form, status=400)
    try:
        offers.create_offer(request.user, form.fields_value())
    except offers.OfferError as error:
        form.add_error(error.field, str(error))
        return _offer_form_page(request, form, status=400)
    messages.success(request, _("Thank you. Your offer is saved; aid handlers can see it now."))
    return redirect("aid:offers")


@require_http_methods(["GET", "POST"])
@login_required
@private_view
def offer_edit(request, offer_id):
    offer = offers.get_offer_for_owner(request.user, offer_id)
    if request.method == "GET":
        return _offer_form_page(request, OfferForm(offer=offer), offer)
    form = OfferForm(request.POST, offer=offer)
    if not form.is_valid():
        return _offer_form_page(request, form, offer, status=400)
    try:
        offers.update_offer(offer, form.fields_value(), by=request.user)
    except offers.OfferError as error:
        form.add_error(error.field, str(error))
        return _offer_form_page(request, form, offer, status=400)
    messages.success(request, _("Your offer is saved."))
    return redirect("aid:offers")


@require_POST
@login_required
@private_view
def offer_withdraw(request, offer_id):
    offer = offers.get_offer_for_owner(request.user, offer_id)
    offers.withdraw_offer(offer, by=request.user)
    messages.success(request, _("Your offer is withdrawn. Nobody will be asked about it."))
    return redirect("aid:offers")


@require_POST
@login_required
@private_view
def offer_answer(request, offer_id, contact_id):
    offer = offers.get_offer_for_owner(request.user, offer_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Answer yes or no."))
        return redirect(reverse("aid:offers"))
    offers.answer_question(offer, contact_id, form.cleaned_data["answer"], by=request.user)
    messages.success(request, _("Thank you. The aid handler sees your answer."))
    return redirect(reverse("aid:offers"))


# -- the handlers' matches ----------------------------------------------------------------------
def get_case_for_handler(user, case_id) -> Case:
    """The case, if the user handles its team; else 404."""
    case = Case.objects.select_related("team__collective").filter(pk=case_id).first()
    if case is None or not rules.has_perm("aid.work_cases", user, case):
        raise Http404
    return case


def _offer_or_404(offer_id) -> Offer:
    offer = Offer.objects.select_related("user").filter(pk=offer_id).first()
    if offer is None:
        raise Http404
    return offer


def _matches_page(request, case, *, bound=None, status=200):
    """The page; ``bound``: (offer id, "ask" or "arranged", form with the typed text)."""
    contacts = offers.contacts_for_case(case)
    rows = []
    for match in matching.suggest(case):
        offer = _describe(match.offer)
        ask_form = QuestionForm(prefix=f"ask-{offer.pk}")
        arranged_form = ArrangedForm(prefix=f"arranged-{offer.pk}")
        if bound and bound[0] == offer.pk:
            if bound[1] == "ask":
                ask_form = bound[2]
            else:
                arranged_form = bound[2]
        rows.append(
            {
                "match": match,
                "offer": offer,
                "contact": contacts.get(offer.pk),
                "ask_form": ask_form,
                "arranged_form": arranged_form,
            }
        )
    shown = {row["offer"].pk for row in rows}
    earlier = [contact for offer_id, contact in contacts.items() if offer_id not in shown]
    return render(
        request,
        "aid/offers/matches.html",
        {
            "case": case,
            "aid_team": case.team,
            "country": country_name(case.country),
            "languages": language_names(case.languages),
            "rows": rows,
            "earlier": earlier,
            "bound": bound,
        },
        status=status,
    )


@require_GET
@privileged_view
@private_view
def matches(request, case_id):
    case = get_case_for_handler(request.user, case_id)
    audit.record(request.user, "aid.matches_viewed", case)  # THREATS 17: every view of a case
    return _matches_page(request, case)


def _post_action(request, case_id, offer_id, *, action: str):
    case = get_case_for_handler(request.user, case_id)
    offer = _offer_or_404(offer_id)
    form_class = QuestionForm if action == "ask" else ArrangedForm
    form = form_class(request.POST, prefix=f"{action}-{offer.pk}")
    if form.is_valid():
        try:
            if action == "ask":
                offers.ask_offerer(case, offer, form.cleaned_data["question"], by=request.user)
                messages.success(
                    request, _("The question is sent. The answer will appear on this page.")
                )
            else:
                offers.record_arranged(case, offer, form.cleaned_data["text"], by=request.user)
                messages.success(request, _("Recorded in the request's history."))
            return redirect(reverse("aid:matches", args=[case.pk]) + f"#offer-{offer.pk}")
        except offers.OfferError as error:
            form.add_error(None, str(error))
    return _matches_page(request, case, bound=(offer.pk, action, form), status=400)


@require_POST
@privileged_view
@private_view
def matches_ask(request, case_id, offer_id):
    return _post_action(request, case_id, offer_id, action="ask")


@require_POST
@privileged_view
@private_view
def matches_arranged(request, case_id, offer_id):
    return _post_action(request, case_id, offer_id, action="arranged")


# -- statistics ---------------------------------------------------------------------------------
@require_GET
@privileged_view
@private_view
def statistics(request):
    teams = [
        team
        for team in AidTeam.objects.select_related("collective").order_by("pk")
        if rules.has_perm("aid.view_statistics", request.user, team)
    ]
    if not teams:
        raise Http404
    reports = []
    for team in teams:
        figures = stats.for_team(team)
        reports.append(
            {
                "team": team,
                "stats": figures,
                "by_country": [
                    (code, country_name(code), count) for code, count in figures.by_country
                ],
                "median": stats.duration_text(figures.median_reply),
                "p90": stats.duration_text(figures.p90_reply),
            }
        )
    return render(request, "aid/offers/statistics.html", {"reports": reports, "aid_team": teams[0]})


urlpatterns = [
    path("aid/offers/", offer_list, name="offers"),
    path("aid/offers/new/", offer_new, name="offer_new"),
    path("aid/offers/<uuid:offer_id>/edit/", offer_edit, name="offer_edit"),
    path("aid/offers/<uuid:offer_id>/withdraw/", offer_withdraw, name="offer_withdraw"),
    path(
        "aid/offers/<uuid:offer_id>/questions/<int:contact_id>/answer/",
        offer_answer,
        name="offer_answer",
    ),
    path("aid/cases/<uuid:case_id>/matches/", matches, name="matches"),
    path("aid/cases/<uuid:case_id>/matches/<uuid:offer_id>/ask/", matches_ask, name="matches_ask"),
    path(
        "aid/cases/<uuid:case_id>/matches/<uuid:offer_id>/arranged/",
        matches_arranged,
        name="matches_arranged",
    ),
    path("aid/statistics/", statistics, name="statistics"),
]
