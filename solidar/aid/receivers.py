"""Plug-in boundary with signals: logging out forgets the unlocked aid keys; leaving (or
being removed from) an aid team's working group takes the handler's access away.

Logging out flushes the session, and with it the encrypted box of team keys; the cookie
that holds the box's key is then useless, and the logout answer's ``Clear-Site-Data:
"cookies"`` (``PrivateCacheMiddleware``) asks the browser to drop it. This receiver makes
the forgetting explicit and independent of the flush, and clears what this request
already opened. (Connected from ``AidConfig.ready``.)
"""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_out
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from solidar.aid import keys as aidkeys
from solidar.network.signals import membership_ended


@receiver(user_logged_out, dispatch_uid="solidar-aid-forget-keys")
def forget_unlocked_keys(sender, request, user, **kwargs) -> None:
    if request is None:
        return
    if hasattr(request, "session"):
        request.session.pop(aidkeys.SESSION_KEY, None)
    request._aid_keys = None


@receiver(membership_ended, dispatch_uid="solidar-aid-membership-ended")
def revoke_departed_handler(sender, membership, reason, **kwargs) -> None:
    """A handler who is no longer in the team's working group loses their key grant and
    key pair at once (not only the pages): ``team.revoke_departed``."""
    from solidar.aid import team

    team.revoke_departed(membership.collective_id, membership.user)


@receiver(post_save, sender="aid.AidTeam", dispatch_uid="solidar-aid-team-saved")
@receiver(post_delete, sender="aid.AidTeam", dispatch_uid="solidar-aid-team-deleted")
def forget_aid_teams(sender, **kwargs) -> None:
    """The cached set of aid teams' working groups (``rules.aid_team_collectives``)."""
    from solidar.aid.rules import forget_aid_teams

    forget_aid_teams()
