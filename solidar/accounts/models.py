from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, _user_has_perm
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """An account. No real name and no phone number: a pseudonym and a language.

    first_name and last_name are inherited from Django for compatibility with Wagtail's
    admin; Solidar never asks for them and never shows them.
    """

    display_name = models.CharField(
        _("display name"),
        max_length=60,
        help_text=_("The name other members see. A pseudonym is fine, and safer."),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Pages open in this language after you sign in; e-mails use it too."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        return self.display_name or self.username

    def has_perm(self, perm, obj=None) -> bool:
        """Object permissions are need-to-know: a superuser gets no shortcut to them.

        Django answers yes to every permission for an active superuser. For questions
        about one object (may this person see this cell's members, this application?)
        only the ``rules`` predicates decide, and they say what an instance admin may do.
        """
        if obj is None:
            return super().has_perm(perm)
        return self.is_active and _user_has_perm(self, perm, obj)

    def get_short_name(self) -> str:
        return self.display_name or self.username
