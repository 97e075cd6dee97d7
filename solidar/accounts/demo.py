"""Demo accounts of every role (seed_demo). Idempotent; through the account services."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group, Permission

from solidar.accounts import services
from solidar.accounts.models import User

DEMO_PASSWORD = "solidarity-demo-2024"  # noqa: S105 - printed on purpose; demo only

# username, display name, language, role (as seed_demo prints it)
DEMO_USERS = [
    ("admin", "Instance admin", "en", "admin"),
    ("editor", "Redaktion Köln", "de", "editor"),
    ("olga", "Olga", "ru", "coordinator"),
    ("andrii", "Andrii", "uk", "coordinator"),
    ("lena", "Lena K.", "ru", "member"),
    ("taras", "Taras", "uk", "member"),
    ("mila", "Mila", "de", "coordinator"),
    ("ivan", "Ivan", "ru", "member"),
    ("pablo", "Pablo", "en", "member"),
    ("sasha", "Sasha", "ru", "coordinator"),
    ("kasia", "Kasia", "en", "applicant"),
]
# Fixed secrets so the printed logins stay valid across runs (demo only!).
DEMO_TOTP_SECRETS = {
    "admin": "JBSWY3DPEHPK3PXPJBSWY3DP",
    "editor": "KRSXG5CTMVRXEZLUKRSXG5CT",
    "olga": "N5WGOYLDN5XXE3DJNZQXI33S",
    "andrii": "MFXGI4TJNFRW633SMRUW4YLU",
    "mila": "NVUWYYLBNVUWYYLBNVUWYYLB",
    "sasha": "ONQXG2DBONQXG2DBONQXG2DB",
}


def editors_group() -> Group:
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    return group


def ensure_user(username: str, display_name: str, language: str, role: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = services.create_user(
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


def demo_user(username: str) -> User:
    return User.objects.get(username=username)


def seed() -> None:
    for username, display_name, language, role in DEMO_USERS:
        ensure_user(username, display_name, language, role)


def _first_recovery_code(username: str) -> str | None:
    authenticator = Authenticator.objects.filter(
        user__username=username, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    codes = authenticator.wrap().get_unused_codes() if authenticator else []
    return codes[0] if codes else None


def summary() -> list[str]:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD})"]
    for username, display_name, _language, role in DEMO_USERS:
        line = f"  {username:<8} {role:<12} {display_name}"
        if username in DEMO_TOTP_SECRETS:
            line += f"   TOTP secret {DEMO_TOTP_SECRETS[username]}"
            code = _first_recovery_code(username)
            if code:
                line += f"   recovery code {code}"
        lines.append(line)
    lines.append(
        "  Privileged roles need the second factor: add the TOTP secret to an authenticator "
        "app (or run: oathtool --totp -b SECRET)."
    )
    return lines
