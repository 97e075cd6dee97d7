"""Per-language columns (django-modeltranslation) for what participants read."""

from modeltranslation.translator import TranslationOptions, register

from solidar.events.models import Event, Question, Session


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description", "accessibility")
    required_languages = ()


@register(Session)
class SessionTranslation(TranslationOptions):
    fields = ("title", "description")
    required_languages = ()


@register(Question)
class QuestionTranslation(TranslationOptions):
    fields = ("label", "choices")
    required_languages = ()
