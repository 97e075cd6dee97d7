"""Factories for the network's tests: collectives, memberships, applications.

They write rows directly, as a fixture would; the behaviour under test goes through
services.py. MembershipFactory keeps ``Collective.member_count`` right, as the services do.
"""

from __future__ import annotations

import factory
from django.db.models import F

from solidar.accounts.tests.factories import UserFactory
from solidar.network.models import Application, Collective, Membership, MembershipEvent


class CollectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collective
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"cell-{n}")
    kind = Collective.Kind.CELL
    name = factory.LazyAttribute(lambda c: c.slug.replace("-", " ").title())
    description = "We meet, read and organise."
    meeting_note = "every second Sunday"
    city = factory.LazyAttribute(lambda c: c.slug.split("-")[0].title())
    country = "DE"
    languages = factory.LazyFunction(lambda: ["ru", "de"])
    visibility = Collective.Visibility.PUBLIC
    join_policy = Collective.JoinPolicy.APPLICATION
    vouches_required = 2

    class Params:
        cell = factory.Trait(kind=Collective.Kind.CELL)
        hidden = factory.Trait(visibility=Collective.Visibility.HIDDEN)
        working_group = factory.Trait(
            kind=Collective.Kind.WORKING_GROUP,
            join_policy=Collective.JoinPolicy.OPEN,
            city="",
            country="",
        )
        network = factory.Trait(
            kind=Collective.Kind.NETWORK, slug="network", name="The network", city="", country=""
        )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    collective = factory.SubFactory(CollectiveFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE

    class Params:
        coordinator = factory.Trait(role=Membership.Role.COORDINATOR)
        suspended = factory.Trait(status=Membership.Status.SUSPENDED)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        membership = super()._create(model_class, *args, **kwargs)
        if membership.ended_at is None:
            Collective.objects.filter(pk=membership.collective_id).update(
                member_count=F("member_count") + 1
            )
            membership.collective.refresh_from_db(fields=["member_count"])
        MembershipEvent.objects.create(
            membership=membership, kind=MembershipEvent.Kind.JOINED, role=membership.role
        )
        return membership


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    collective = factory.SubFactory(CollectiveFactory)
    applicant = factory.SubFactory(UserFactory)
    motivation = "I want to organise with migrant workers here."
    programme_points = factory.LazyFunction(lambda: ["anti_war", "migrant_workers"])
    languages = factory.LazyFunction(lambda: ["ru"])
    referral = "A friend from the reading circle."
