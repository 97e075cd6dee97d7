from django.utils import translation

from solidar.network.forms import InvitationForm
from solidar.network.services import INVITATION_DAYS


def test_invitation_help_text_states_the_real_lifetime_in_every_language():
    for language in ("en", "de", "ru", "uk"):
        with translation.override(language):
            help_text = str(InvitationForm().fields["email"].help_text)
        assert str(INVITATION_DAYS) in help_text, (language, help_text)
        assert "%(days)" not in help_text
