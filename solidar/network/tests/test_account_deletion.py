import pytest

from solidar.accounts import services as accounts
from solidar.network.models import Collective, Membership, MembershipEvent, SharedContact
from solidar.network.tests.factories import CollectiveFactory


@pytest.mark.django_db
def test_deleting_an_account_ends_its_memberships_through_the_network(member):
    from solidar.network import services

    cell = CollectiveFactory(cell=True)
    other = CollectiveFactory(cell=True)
    membership = services.add_member(cell, member, by=member)
    services.add_member(other, member, by=member)
    services.set_contacts(membership, {"signal": "@lena.01"}, by=member)
    counts_before = dict(Collective.objects.values_list("pk", "member_count"))

    accounts.delete_account(member)

    counts_after = dict(Collective.objects.values_list("pk", "member_count"))
    assert counts_after[cell.pk] == counts_before[cell.pk] - 1
    assert counts_after[other.pk] == counts_before[other.pk] - 1
    assert not Membership.objects.filter(user_id=member.pk).exists()
    assert not SharedContact.objects.exists()
    assert not MembershipEvent.objects.filter(membership__user_id=member.pk).exists()
