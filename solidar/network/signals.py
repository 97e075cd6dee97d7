"""Signals of the network: how apps above it learn about changes without being imported.

``membership_ended`` is sent (inside the change's transaction) when a membership ends:
the member left, was removed or left the network. Arguments: ``membership``, ``reason``
(``Membership.EndReason``). The aid app takes a departed handler's keys away with it.
"""

from django.dispatch import Signal

membership_ended = Signal()
