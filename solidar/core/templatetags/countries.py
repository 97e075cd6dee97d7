"""``{% load countries %}{{ code|country }}``: a country code as its name in the reader's
language (``core.countries``)."""

from django import template

from solidar.core.countries import country_name

register = template.Library()


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""
