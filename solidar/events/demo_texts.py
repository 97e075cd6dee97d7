"""Texts of the demo events (seed_demo), in English, German, Russian and Ukrainian.

Each text is a dict {language: {"title": ..., "description": ...}}; the English one is
also the fallback. Speakers are pseudonyms, as they would be on a real programme.
"""

from __future__ import annotations

FORUM = {
    "en": {
        "title": "Left Emigration Forum",
        "description": (
            "Two days in Cologne for left emigrants from Belarus, Russia and Ukraine: how to "
            "get persecuted comrades out quickly, how to build mutual aid where we live now, "
            "and which anti-war agenda we carry from exile. Plenaries with interpretation "
            "into Russian, Ukrainian and German; workshops in smaller rooms."
        ),
        "accessibility": (
            "The hall and both seminar rooms are on the ground floor, reachable without "
            "steps; an accessible toilet is next to the entrance. A quiet room is open "
            "all day."
        ),
    },
    "de": {
        "title": "Linkes Emigrationsforum",
        "description": (
            "Zwei Tage in Köln für linke Emigrant*innen aus Belarus, Russland und der "
            "Ukraine: wie wir verfolgte Genoss*innen schnell in Sicherheit bringen, wie "
            "gegenseitige Hilfe dort entsteht, wo wir heute leben, und welche Agenda gegen "
            "den Krieg wir aus dem Exil vertreten. Plenen mit Dolmetschung ins Russische, "
            "Ukrainische und Deutsche; Workshops in kleineren Räumen."
        ),
        "accessibility": (
            "Saal und beide Seminarräume liegen ebenerdig und sind stufenlos erreichbar; "
            "eine barrierefreie Toilette ist neben dem Eingang. Ein Ruheraum ist den "
            "ganzen Tag offen."
        ),
    },
    "ru": {
        "title": "Левый эмиграционный форум",
        "description": (
            "Два дня в Кёльне для левых эмигрантов из Беларуси, России и Украины: как "
            "быстро вывозить преследуемых товарищей, как выстраивать взаимопомощь там, где "
            "мы живём теперь, и с какой антивоенной повесткой мы выступаем из эмиграции. "
            "Пленарные заседания с переводом на русский, украинский и немецкий; мастерские "
            "в небольших залах."
        ),
        "accessibility": (
            "Большой зал и обе аудитории на первом этаже, вход без ступенек; доступный "
            "туалет рядом со входом. Весь день открыта тихая комната."
        ),
    },
    "uk": {
        "title": "Лівий еміграційний форум",
        "description": (
            "Два дні в Кельні для лівих емігрантів із Білорусі, Росії та України: як швидко "
            "вивозити переслідуваних товаришів, як будувати взаємодопомогу там, де ми живемо "
            "тепер, і з яким антивоєнним порядком денним ми виступаємо з еміграції. Пленарні "
            "засідання з перекладом російською, українською та німецькою; майстерні в "
            "менших залах."
        ),
        "accessibility": (
            "Велика зала та обидві аудиторії на першому поверсі, вхід без сходинок; "
            "доступний туалет біля входу. Увесь день відкрита тиха кімната."
        ),
    },
}

HALL = "Großer Saal"
ROOM_1 = "Seminarraum 1"
ROOM_2 = "Seminarraum 2"

# (day 0 or 1, start "HH:MM", end "HH:MM", room, speakers, languages, titles en/de/ru/uk)
FORUM_SESSIONS = [
    (
        0,
        "10:00",
        "10:45",
        HALL,
        "Olga, Andrii",
        ["ru", "uk"],
        (
            "Opening: why we meet in Cologne",
            "Eröffnung: warum wir uns in Köln treffen",
            "Открытие: зачем мы собрались в Кёльне",
            "Відкриття: навіщо ми зібралися в Кельні",
        ),
    ),
    (
        0,
        "11:00",
        "12:30",
        HALL,
        "Marta K., Dzmitry",
        ["ru", "be"],
        (
            "Leaving fast: getting persecuted activists to safety",
            "Schnell raus: verfolgte Aktivist*innen in Sicherheit bringen",
            "Уехать быстро: как вывозить преследуемых активистов",
            "Виїхати швидко: як вивозити переслідуваних активістів",
        ),
    ),
    (
        0,
        "14:00",
        "15:30",
        ROOM_1,
        "Lena K., Timur",
        ["ru", "uk"],
        (
            "Networks of mutual aid among emigrants",
            "Netzwerke gegenseitiger Hilfe unter Emigrant*innen",
            "Сети взаимопомощи среди эмигрантов",
            "Мережі взаємодопомоги серед емігрантів",
        ),
    ),
    (
        0,
        "14:00",
        "15:30",
        ROOM_2,
        "Ivan, Hanna",
        ["ru", "de"],
        (
            "Workshop: migrant workers and the unions of our new countries",
            "Workshop: migrantische Arbeit und die Gewerkschaften unserer neuen Länder",
            "Мастерская: трудовые мигранты и профсоюзы наших новых стран",
            "Майстерня: трудові мігранти та профспілки наших нових країн",
        ),
    ),
    (
        1,
        "10:00",
        "11:30",
        HALL,
        "Taras, Yulia",
        ["uk", "ru"],
        (
            "An anti-war agenda: what we can do from abroad",
            "Eine Agenda gegen den Krieg: was wir vom Ausland aus tun können",
            "Антивоенная повестка: что мы можем сделать из-за рубежа",
            "Антивоєнний порядок денний: що ми можемо зробити з-за кордону",
        ),
    ),
    (
        1,
        "12:00",
        "13:00",
        ROOM_1,
        "Sasha, Nodar",
        ["ru"],
        (
            "Letters to political prisoners: how to write, what to avoid",
            "Briefe an politische Gefangene: wie schreiben, was vermeiden",
            "Письма политзаключённым: как писать и чего избегать",
            "Листи політв'язням: як писати і чого уникати",
        ),
    ),
    (
        1,
        "14:00",
        "15:30",
        HALL,
        "Mila, Bohdan",
        ["ru", "uk"],
        (
            "A positive programme of the left, with allies in our new countries",
            "Ein positives Programm der Linken, mit Verbündeten in unseren neuen Ländern",
            "Позитивная программа левых вместе с союзниками в новых странах",
            "Позитивна програма лівих разом із союзниками в нових країнах",
        ),
    ),
    (
        1,
        "16:00",
        "17:30",
        HALL,
        "Olga, Andrii, Mila",
        ["ru", "uk"],
        (
            "Resolution and next steps: working groups, chats, a newsletter",
            "Resolution und nächste Schritte: Arbeitsgruppen, Chats, ein Newsletter",
            "Резолюция и следующие шаги: рабочие группы, чаты, рассылка",
            "Резолюція та наступні кроки: робочі групи, чати, розсилка",
        ),
    ),
]

ACTION_DESCRIPTION = {
    "en": (
        "A street action against the war and for the release of political prisoners in "
        "Russia, Belarus and Ukraine. Bring a placard in your language; we bring leaflets, "
        "a banner and people who explain what is going on to passers-by. Masks are welcome "
        "if you do not want to be photographed."
    ),
    "de": (
        "Eine Straßenaktion gegen den Krieg und für die Freilassung der politischen "
        "Gefangenen in Russland, Belarus und der Ukraine. Bringt ein Schild in eurer Sprache "
        "mit; wir bringen Flugblätter, ein Transparent und Leute, die Passant*innen erklären, "
        "worum es geht. Wer nicht fotografiert werden möchte, kann gern Maske tragen."
    ),
    "ru": (
        "Уличная акция против войны и за освобождение политзаключённых в России, Беларуси и "
        "Украине. Возьмите плакат на своём языке; листовки, баннер и людей, которые "
        "объясняют прохожим, что происходит, мы обеспечим. Если не хотите попадать на "
        "фото, приходите в маске."
    ),
    "uk": (
        "Вулична акція проти війни та за звільнення політв'язнів у Росії, Білорусі та "
        "Україні. Візьміть плакат своєю мовою; листівки, банер і людей, які пояснюють "
        "перехожим, що відбувається, ми забезпечимо. Якщо не хочете потрапити на фото, "
        "приходьте в масці."
    ),
}

# cell slug, time zone, days from now, local start hour, hours, place, language, titles
ACTIONS = [
    (
        "koeln",
        "Europe/Berlin",
        9,
        15,
        2,
        "Roncalliplatz",
        "DE",
        ["ru", "uk", "de"],
        {
            "en": "Street action in Köln: free the political prisoners",
            "de": "Straßenaktion in Köln: Freiheit für die politischen Gefangenen",
            "ru": "Уличная акция в Кёльне: свободу политзаключённым",
            "uk": "Вулична акція в Кельні: свободу політв'язням",
        },
    ),
    (
        "paris",
        "Europe/Paris",
        10,
        16,
        2,
        "Place de la République",
        "FR",
        ["ru", "uk", "fr"],
        {
            "en": "Street action in Paris: no to the war, no to conscription by force",
            "de": "Straßenaktion in Paris: Nein zum Krieg, Nein zur Zwangsrekrutierung",
            "ru": "Уличная акция в Париже: нет войне, нет насильственной мобилизации",
            "uk": "Вулична акція в Парижі: ні війні, ні примусовій мобілізації",
        },
    ),
    (
        "warszawa",
        "Europe/Warsaw",
        16,
        14,
        2,
        "Plac Zamkowy",
        "PL",
        ["ru", "uk", "be", "pl"],
        {
            "en": "Street action in Warszawa: solidarity with Belarusian prisoners",
            "de": "Straßenaktion in Warszawa: Solidarität mit den Gefangenen in Belarus",
            "ru": "Уличная акция в Варшаве: солидарность с белорусскими политзаключёнными",
            "uk": "Вулична акція у Варшаві: солідарність із білоруськими політв'язнями",
        },
    ),
    (
        "buenos-aires",
        "America/Argentina/Buenos_Aires",
        17,
        17,
        2,
        "Plaza de Mayo",
        "AR",
        ["ru", "es"],
        {
            "en": "Street action in Buenos Aires: against the war, from across the world",
            "de": "Straßenaktion in Buenos Aires: gegen den Krieg, vom anderen Ende der Welt",
            "ru": "Уличная акция в Буэнос-Айресе: против войны с другого конца света",
            "uk": "Вулична акція в Буенос-Айресі: проти війни з іншого кінця світу",
        },
    ),
]

READING_CIRCLE = {
    "en": {
        "title": "Reading circle: migrant labour and trade unions",
        "description": (
            "We read and discuss a short text on how migrant workers organised in Western "
            "European unions, and what it means for people from the post-Soviet space "
            "working here now. The text is sent to everyone registered a week before. "
            "Twelve places, so that everyone gets to speak."
        ),
    },
    "de": {
        "title": "Lesekreis: migrantische Arbeit und Gewerkschaften",
        "description": (
            "Wir lesen und besprechen einen kurzen Text darüber, wie sich migrantische "
            "Arbeiter*innen in westeuropäischen Gewerkschaften organisiert haben, und was "
            "das für Menschen aus dem postsowjetischen Raum bedeutet, die heute hier "
            "arbeiten. Der Text kommt eine Woche vorher an alle Angemeldeten. Zwölf Plätze, "
            "damit alle zu Wort kommen."
        ),
    },
    "ru": {
        "title": "Кружок чтения: трудовая миграция и профсоюзы",
        "description": (
            "Читаем и обсуждаем короткий текст о том, как трудовые мигранты объединялись в "
            "профсоюзах Западной Европы, и что это значит для людей из постсоветского "
            "пространства, которые работают здесь сейчас. Текст придёт всем "
            "зарегистрированным за неделю. Двенадцать мест, чтобы каждый успел высказаться."
        ),
    },
    "uk": {
        "title": "Читацький гурток: трудова міграція та профспілки",
        "description": (
            "Читаємо й обговорюємо короткий текст про те, як трудові мігранти об'єднувалися "
            "в профспілках Західної Європи, і що це означає для людей із пострадянського "
            "простору, які працюють тут зараз. Текст надійде всім зареєстрованим за тиждень. "
            "Дванадцять місць, щоб кожен встиг висловитися."
        ),
    },
}

CALL = {
    "en": {
        "title": "Network call: the autumn of street actions",
        "description": (
            "An open online call of the whole network: the cells in Köln, Paris, Warszawa "
            "and Buenos Aires report on their street actions, and we plan the next ones "
            "together. Spoken in Russian and Ukrainian, with questions welcome in any "
            "language. The link is shown to people who registered."
        ),
    },
    "de": {
        "title": "Netzwerk-Call: der Herbst der Straßenaktionen",
        "description": (
            "Ein offener Online-Call des ganzen Netzwerks: Die Zellen in Köln, Paris, "
            "Warszawa und Buenos Aires berichten von ihren Straßenaktionen, und wir planen "
            "gemeinsam die nächsten. Gesprochen wird Russisch und Ukrainisch, Fragen sind in "
            "jeder Sprache willkommen. Den Link sehen alle, die sich angemeldet haben."
        ),
    },
    "ru": {
        "title": "Созвон сети: осень уличных акций",
        "description": (
            "Открытый онлайн-созвон всей сети: ячейки в Кёльне, Париже, Варшаве и "
            "Буэнос-Айресе рассказывают о своих уличных акциях, и мы вместе планируем "
            "следующие. Говорим по-русски и по-украински, вопросы можно задавать на любом "
            "языке. Ссылку видят те, кто зарегистрировался."
        ),
    },
    "uk": {
        "title": "Дзвінок мережі: осінь вуличних акцій",
        "description": (
            "Відкритий онлайн-дзвінок усієї мережі: осередки в Кельні, Парижі, Варшаві та "
            "Буенос-Айресі розповідають про свої вуличні акції, і ми разом плануємо "
            "наступні. Говоримо російською та українською, питання можна ставити будь-якою "
            "мовою. Посилання бачать ті, хто зареєструвався."
        ),
    },
}

# Pseudonyms of the forum's guests (registered without an account) and of the members
# of the migrant workers' group who fill the reading circle.
GUEST_NAMES = [
    "Alesia",
    "Anton",
    "Aigerim",
    "Arkadi",
    "Bohdana",
    "Daria",
    "Denys",
    "Dina",
    "Egor",
    "Farid",
    "Galina",
    "Gleb",
    "Ira",
    "Jana",
    "Katya",
    "Kostia",
    "Larysa",
    "Lev",
    "Liza",
    "Maksym",
]
READERS = [
    ("reader-marta", "Marta K."),
    ("reader-dzmitry", "Dzmitry"),
    ("reader-aigerim", "Aigerim"),
    ("reader-nodar", "Nodar"),
    ("reader-yulia", "Yulia"),
    ("reader-artem", "Artem"),
    ("reader-hanna", "Hanna"),
    ("reader-timur", "Timur"),
    ("reader-sofia", "Sofia"),
    ("reader-bohdan", "Bohdan"),
]
