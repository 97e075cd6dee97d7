"""Per-language columns (django-modeltranslation) for what readers see of a list."""

from modeltranslation.translator import TranslationOptions, register

from solidar.newsletter.models import MailingList


@register(MailingList)
class MailingListTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = ()
