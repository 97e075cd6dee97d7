from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission

from solidar.accounts.models import User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    display_name = factory.LazyAttribute(lambda u: f"Comrade {u.username}")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    class Params:
        staff = factory.Trait(is_staff=True)
        admin = factory.Trait(is_staff=True, is_superuser=True)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, primary=True, verified=True)
            self.save()

    @factory.post_generation
    def editor(self, create, extracted, **kwargs):
        if create and extracted:
            group, _ = Group.objects.get_or_create(name="Editors")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="wagtailadmin", codename="access_admin"
                )
            )
            self.groups.add(group)


def add_totp(user: User) -> str:
    """Activate TOTP for ``user``; returns the base32 secret (for solidar.core.testing.totp_now)."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def has_authenticator(user: User, kind: str) -> bool:
    return Authenticator.objects.filter(user=user, type=kind).exists()
