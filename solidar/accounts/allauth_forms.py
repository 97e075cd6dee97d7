"""Our versions of allauth's forms (ACCOUNT_FORMS).

A module of its own: allauth's forms import ``solidar.accounts.forms`` (the sign-up
extra fields) while they load, so ``forms.py`` cannot import them back.
"""

from __future__ import annotations

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.core.validators import MaxLengthValidator

# An e-mail address is at most 320 characters, a username 150. Longer input is refused
# before it reaches the database (SQLite refuses LIKE patterns over 50,000 bytes: a 500).
LOGIN_MAX_LENGTH = 320
# Long passphrases are welcome; megabytes to hash are not.
PASSWORD_MAX_LENGTH = 4096


def _cap(field, limit: int) -> None:
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


class LoginForm(AllauthLoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _cap(self.fields["login"], LOGIN_MAX_LENGTH)
        if "password" in self.fields:
            _cap(self.fields["password"], PASSWORD_MAX_LENGTH)
