"""Build helpers for translations, in pure Python so a fresh machine needs no gettext.

python -m solidar.core.i18n compile   # .po -> .mo (make run / make test do this)
python -m solidar.core.i18n extract   # update .po files (needs GNU gettext's xgettext)
python -m solidar.core.i18n check     # list untranslated or fuzzy entries; exit 1 if any
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "locale"
LANGUAGES = ("de", "ru", "uk")
DOMAINS = ("django", "djangojs")


def po_files() -> list[Path]:
    return sorted(
        LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
        for lang in LANGUAGES
        for domain in DOMAINS
        if (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po").exists()
    )


def compile_all() -> int:
    compiled = 0
    for po_path in po_files():
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled += 1
    return compiled


def problems(po_path: Path) -> list[str]:
    """Untranslated, fuzzy, or plural entries with an empty form."""
    found = []
    for entry in polib.pofile(str(po_path)):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            found.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                found.append(f"untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            found.append(f"untranslated: {entry.msgid!r}")
    return found


def extract() -> None:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="solidar.settings")
    manage = ROOT.parent / "manage.py"
    args = [sys.executable, str(manage), "makemessages", "--no-obsolete", "--no-location"]
    args += [f"--locale={lang}" for lang in LANGUAGES]
    args += ["--ignore=.venv/*", "--ignore=bench/*", "--ignore=*/tests/*"]
    subprocess.run(args, cwd=ROOT, env=env, check=True)  # noqa: S603


def prefill() -> int:
    """Suggest translations for empty entries whose English text Django or allauth translate.

    Our templates reuse many of allauth's and Django's strings; their maintained translations
    are a sound start. Filled entries are marked fuzzy: a translator confirms each one.
    """
    import allauth
    import django

    sources = [
        Path(allauth.__file__).parent / "locale",
        Path(django.__file__).parent / "conf" / "locale",
    ]
    filled = 0
    for po_path in po_files():
        language = po_path.parent.parent.name
        known: dict[tuple[str, str], polib.POEntry] = {}
        for source in sources:
            catalogue = source / language / "LC_MESSAGES" / "django.po"
            if catalogue.exists():
                for entry in polib.pofile(str(catalogue)):
                    if entry.translated() and "fuzzy" not in entry.flags:
                        known.setdefault((entry.msgctxt or "", entry.msgid), entry)
        po = polib.pofile(str(po_path))
        for entry in po:
            if entry.translated() or entry.obsolete:
                continue
            source_entry = known.get((entry.msgctxt or "", entry.msgid))
            if source_entry is None or bool(source_entry.msgid_plural) != bool(entry.msgid_plural):
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = dict(source_entry.msgstr_plural)
            else:
                entry.msgstr = source_entry.msgstr
            # A suggestion out of its context ("Remove" in allauth is not "Remove" a member):
            # it stays fuzzy, so the completeness test fails until a translator confirms it.
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
            entry.previous_msgid = None
            filled += 1
        po.save()
    return filled


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "compile"
    if command == "compile":
        count = compile_all()
        if count:
            print(f"compiled {count} translation catalogue(s)")
        return 0
    if command == "extract":
        extract()
        return 0
    if command == "prefill":
        print(f"filled {prefill()} entries from Django's and allauth's catalogues")
        return 0
    if command == "check":
        bad = 0
        for po_path in po_files():
            for problem in problems(po_path):
                print(f"{po_path.relative_to(ROOT.parent)}: {problem}")
                bad += 1
        return 1 if bad else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
