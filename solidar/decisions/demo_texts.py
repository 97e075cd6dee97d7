"""Texts of the demo decisions (seed_demo): the Cologne forum's closing resolution in
English with its German, Russian and Ukrainian translations, a Köln cell proposal written
in Russian with comments in Russian, Ukrainian and German, and a working group's election.

The forum's facts (November 2024, more than seventy participants from Belarus, Russia and
Ukraine, a closing resolution with numbered decisions) come from the project's seeds; the
wording is the demo's own. A paragraph's list items are on single lines: a blank line
would start the next numbered decision.
"""

from __future__ import annotations

# -- the forum's closing resolution -----------------------------------------------------------
FORUM_TITLE = "Closing resolution of the Left Emigration Forum"

FORUM_RATIONALE = (
    "Drafted by the resolution committee on the first day, from what was said in the "
    "plenaries. The more than seventy participants from Belarus, Russia and Ukraine disagree "
    "on many questions; they are united in rejecting Russia's war of aggression against "
    "Ukraine and in wanting to work together. The text records what the forum can say with "
    "one voice."
)

FORUM_DECISIONS = [
    "The forum has achieved what it was called for: left emigrants from Russia, Belarus and "
    "Ukraine who now live in many different countries came together in one place, argued "
    "their views out in the open, made new contacts or renewed old ones, and clarified "
    "where they stand on the pressing questions of the day.",
    "Further large gatherings of this kind are worth holding as long as they keep to two "
    "principles:\n"
    "- opposition to the war;\n"
    "- an anti-imperialist orientation.",
    "The contacts made in Cologne are kept up in the forms that suit them: a newsletter, "
    "chats, and working groups on political prisoners and refugees, on the struggles of "
    "migrant workers and on a democratic peace.",
]

# Amendment 1 (adopted): the second decision gets a third principle.
FORUM_AMENDMENT = {
    "paragraph": 2,
    "text": (
        "Further large gatherings of this kind are worth holding as long as they keep to "
        "three principles:\n"
        "- opposition to the war;\n"
        "- an anti-imperialist orientation;\n"
        "- democratic methods, in preparing them as much as in running them."
    ),
    "rationale": (
        "The first two principles say what we stand against. The third says how we work: "
        "whoever prepares the next forum answers to its participants, not to a small circle."
    ),
}

# username, minutes after the draft was submitted, text
FORUM_COMMENTS = [
    (
        "mila",
        95,
        "Einverstanden mit allen drei Punkten. Mir fehlt nur, wie künftige Treffen vorbereitet "
        "werden: das sollte nicht wieder ein kleiner Kreis unter sich ausmachen.",
    ),
    (
        "ivan",
        140,
        "Третий пункт полностью поддерживаю. Группу по трудовым мигрантам можно запустить "
        "уже в этом месяце: в Варшаве есть контакты в профсоюзе строителей.",
    ),
    (
        "taras",
        150,
        "Подав поправку до другого пункту: третій принцип, демократичні методи. Без нього "
        "перші два залишаються гаслами.",
    ),
]

# The resolution as adopted (with the amendment), translated by the forum's interpreters.
FORUM_TRANSLATIONS = {
    "de": {
        "title": "Abschlussresolution des Linken Emigrationsforums",
        "decisions": [
            "Das Forum hat erreicht, wofür es einberufen wurde: Linke Emigrant*innen aus "
            "Russland, Belarus und der Ukraine, die heute in vielen verschiedenen Ländern "
            "leben, sind an einem Ort zusammengekommen, haben ihre Ansichten offen "
            "ausgetragen, neue Kontakte geknüpft oder alte erneuert und geklärt, wo sie in "
            "den drängenden Fragen der Gegenwart stehen.",
            "Weitere große Treffen dieser Art lohnen sich, solange sie an drei Grundsätzen "
            "festhalten:\n"
            "- gegen den Krieg;\n"
            "- eine antiimperialistische Ausrichtung;\n"
            "- demokratische Verfahren, bei der Vorbereitung ebenso wie bei der Durchführung.",
            "Die in Köln entstandenen Verbindungen werden in den Formen weitergeführt, die zu "
            "ihnen passen: ein Newsletter, Chats und Arbeitsgruppen zu politischen Gefangenen "
            "und Geflüchteten, zu den Kämpfen migrantischer Arbeiter*innen und zu einem "
            "demokratischen Frieden.",
        ],
    },
    "ru": {
        "title": "Итоговая резолюция Левого эмиграционного форума",
        "decisions": [
            "Форум сделал то, ради чего его созывали: левые эмигранты из России, Беларуси и "
            "Украины, которые живут сегодня в самых разных странах, собрались в одном месте, "
            "открыто спорили о своих взглядах, завязали новые связи или восстановили старые "
            "и прояснили, как они смотрят на острые вопросы современности.",
            "Новые большие встречи такого рода имеют смысл, пока они держатся трёх "
            "принципов:\n"
            "- неприятие войны;\n"
            "- антиимпериалистическая направленность;\n"
            "- демократические методы как при подготовке, так и при проведении.",
            "Связи, возникшие в Кёльне, поддерживаются в подходящих для них формах: рассылка, "
            "чаты и рабочие группы — о политзаключённых и беженцах, о борьбе трудовых "
            "мигрантов и о демократическом мире.",
        ],
    },
    "uk": {
        "title": "Підсумкова резолюція Лівого еміграційного форуму",
        "decisions": [
            "Форум зробив те, заради чого його скликали: ліві емігранти з Росії, Білорусі та "
            "України, які сьогодні живуть у найрізноманітніших країнах, зібралися в одному "
            "місці, відкрито сперечалися про свої погляди, встановили нові зв'язки або "
            "відновили старі та з'ясували, як вони дивляться на гострі питання сьогодення.",
            "Нові великі зустрічі такого роду мають сенс, доки вони дотримуються трьох "
            "принципів:\n"
            "- неприйняття війни;\n"
            "- антиімперіалістична спрямованість;\n"
            "- демократичні методи як під час підготовки, так і під час проведення.",
            "Зв'язки, що виникли в Кельні, підтримуються у зручних для них формах: розсилка, "
            "чати та робочі групи — про політв'язнів і біженців, про боротьбу трудових "
            "мігрантів і про демократичний мир.",
        ],
    },
}

# -- an open proposal of the Köln cell (in Russian, the cell's working language) ---------------
CELL_TITLE = "Ежемесячные вечера писем политзаключённым"

CELL_DECISIONS = [
    "Ячейка Кёльн раз в месяц, в первый четверг, проводит открытый вечер писем "
    "политзаключённым в России и Беларуси. Прийти может каждый, кто хочет написать, в том "
    "числе те, кто ещё не состоит в ячейке.",
    "Адреса и правила переписки берём только из публичных списков проверенных групп "
    "поддержки. Пишем без политики, чтобы письма доходили; фотографии участников вечера не "
    "публикуем.",
    "На каждом вечере собираем деньги на посылки и передаём их через рабочую группу "
    "«Политзаключённые и беженцы»; раз в квартал она отчитывается перед ячейкой о расходах.",
]

CELL_RATIONALE = (
    "Письма — это то немногое, что мы можем сделать отсюда для тех, кто сидит за слово "
    "против войны. В Берлине и Париже такие вечера уже проходят, и на них приходят новые "
    "люди."
)

# Proposed by taras, in discussion (not yet voted).
CELL_AMENDMENT = {
    "paragraph": 1,
    "text": (
        "Ячейка Кёльн раз в месяц, в первый четверг, проводит открытый вечер писем "
        "политзаключённым в России и Беларуси, а также украинским гражданским, которых "
        "Россия держит в плену. Прийти может каждый, кто хочет написать, в том числе те, кто "
        "ещё не состоит в ячейке."
    ),
    "rationale": (
        "Цивільних українців у російських в'язницях тисячі, і листи до них доходять ще "
        "рідше. Пропоную не ділити в'язнів на своїх і чужих."
    ),
}

# username, hours after the discussion started, text
CELL_COMMENTS = [
    (
        "olga",
        3,
        "Поддерживаю. Зал в Бюргерцентре по четвергам свободен, я уже спросила. Конверты и "
        "марки первый раз купим из кассы ячейки.",
    ),
    (
        "sasha",
        20,
        "По второму пункту: на конвертах только личный обратный адрес, никаких упоминаний "
        "ячейки. И никаких общих фото с письмами, даже без лиц.",
    ),
    (
        "taras",
        46,
        "Я запропонував поправку до першого пункту: про українських цивільних у "
        "російському полоні. Можу принести список адрес від правозахисників.",
    ),
    (
        "lena",
        70,
        "Für die deutschsprachigen Freund*innen: Wir kündigen die Abende auch auf Deutsch an, "
        "viele aus der Nachbarschaft möchten mitschreiben. Die Einladung übersetze ich.",
    ),
]

# -- the migrant workers' group elects its coordinators -----------------------------------------
ELECTION_TITLE = "Election of the two coordinators of the working group"

ELECTION_DESCRIPTION = (
    "The group elects two coordinators for the coming year. Rank as many candidates as you "
    "like: 1 for your first choice, 2 for the next, and so on. Counted by single "
    "transferable vote; every round of the count is shown when the vote closes.\n\n"
    "Группа выбирает двух координаторов на следующий год. Расставьте кандидатов по порядку: "
    "1 — ваш первый выбор, 2 — следующий и так далее."
)
