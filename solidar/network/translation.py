"""Per-language columns (django-modeltranslation) for what readers see of a collective."""

from modeltranslation.translator import TranslationOptions, register

from solidar.network.models import Collective


@register(Collective)
class CollectiveTranslation(TranslationOptions):
    fields = ("name", "description", "meeting_note")
    required_languages = ()
