"""The demo instance: accounts of every role, built through the same services as the UI.

Running it twice changes nothing. Later apps add their demo data here (cells, events...).
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from solidar.accounts import services as accounts
from solidar.accounts.models import User

DEMO_PASSWORD = "solidarity-demo-2024"  # noqa: S105 - printed on purpose; demo only

# username, display name, language, role
DEMO_USERS = [
    ("admin", "Instance admin", "en", "admin"),
    ("editor", "Redaktion Köln", "de", "editor"),
    ("lena", "Lena K.", "ru", "member"),
    ("taras", "Taras", "uk", "member"),
    ("mila", "Mila", "de", "member"),
]
# Fixed secrets so the demo logins printed below stay valid across runs (demo only!).
DEMO_TOTP_SECRETS = {"admin": "JBSWY3DPEHPK3PXPJBSWY3DP", "editor": "KRSXG5CTMVRXEZLUKRSXG5CT"}


def editors_group() -> Group:
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


class Command(BaseCommand):
    help = "Create (once) the demo accounts and print their logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            for username, display_name, language, role in DEMO_USERS:
                self.ensure_user(username, display_name, language, role)
        self.print_logins()

    def ensure_user(self, username, display_name, language, role) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = accounts.create_user(
                username=username,
                email=f"{username}@demo.solidar.invalid",
                password=DEMO_PASSWORD,
                display_name=display_name,
                language=language,
                is_staff=role == "admin",
                is_superuser=role == "admin",
            )
        if role == "editor":
            user.groups.add(editors_group())
        if (
            username in DEMO_TOTP_SECRETS
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRETS[username])
            RecoveryCodes.activate(user)
        return user

    def print_logins(self) -> None:
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for username, display_name, _language, role in DEMO_USERS:
            line = f"  {username:<8} {role:<7} {display_name}"
            if username in DEMO_TOTP_SECRETS:
                line += f"   TOTP secret {DEMO_TOTP_SECRETS[username]}"
                codes = self.recovery_codes(username)
                if codes:
                    line += f"   recovery code {codes[0]}"
            out.write(line)
        out.write(
            "  Privileged roles need the second factor: add the TOTP secret to an authenticator "
            "app (or run: oathtool --totp -b SECRET)."
        )
        if not settings.EMAIL_HOST:
            out.write("  E-mails (confirmations, resets) are printed by the task worker.")
        out.write("")

    def recovery_codes(self, username) -> list[str]:
        authenticator = Authenticator.objects.filter(
            user__username=username, type=Authenticator.Type.RECOVERY_CODES
        ).first()
        if authenticator is None:
            return []
        codes = authenticator.wrap().get_unused_codes()
        return codes
