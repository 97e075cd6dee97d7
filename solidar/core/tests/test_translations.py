"""Every promised language is complete, and the compiled catalogues are really used."""

import pytest
from django.utils import translation

from solidar.core import i18n


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_catalogue_is_complete(language):
    po_path = i18n.LOCALE_DIR / language / "LC_MESSAGES" / "django.po"
    assert po_path.exists(), f"no catalogue for {language}"
    problems = i18n.problems(po_path)
    assert not problems, f"{language}: {len(problems)} entries to fix:\n" + "\n".join(problems[:30])


@pytest.mark.parametrize(
    ("language", "expected"),
    [("de", "Anmelden"), ("ru", "Войти"), ("uk", "Увійти")],
)
def test_compiled_catalogue_is_used(language, expected):
    i18n.compile_all()
    with translation.override(language):
        assert translation.gettext("Sign in") == expected


def test_placeholders_survive_translation():
    """A translation that drops or renames a %(name)s placeholder would crash at run time."""
    import re

    import polib

    placeholder = re.compile(r"%\(\w+\)s|\{\w*\}|%s|%d")
    broken = []
    for po_path in i18n.po_files():
        for entry in polib.pofile(str(po_path)):
            if entry.msgstr and sorted(placeholder.findall(entry.msgid)) != sorted(
                placeholder.findall(entry.msgstr)
            ):
                broken.append(f"{po_path.parent.parent.name}: {entry.msgid!r}")
    assert not broken, "\n".join(broken)
