"""The demo site's posts (``publishing.demo``), each in its original language and its
translations: written for the demo, in the voice of a network of anti-war leftists in exile.
People are the demo's pseudonyms; nobody in these texts is a real person. The format of the
bodies is described in ``demo_texts``."""

from __future__ import annotations

import datetime

# -- posts ---------------------------------------------------------------------------------
FORUM_REPORT = {
    "slug": "zwei-tage-in-koeln",
    "original": "de",
    "date": datetime.date(2024, 11, 6),
    "author": "Olga",
    "topics": ["forum", "mutual-aid", "anti-war"],
    "versions": {
        "de": {
            "title": "Zwei Tage in Köln: Was das Forum der linken Emigration verabredet hat",
            "body": """\
Am ersten Novemberwochenende war unser Saal in Köln zu klein. Mehr als siebzig Menschen
kamen, die meisten aus Belarus, Russland und der Ukraine, manche aus Städten, in denen sie
erst seit wenigen Monaten wohnen. Viele kannten einander bis dahin nur aus Chats oder gar
nicht.

## Drei Fragen standen im Mittelpunkt

Wie helfen wir Genoss*innen, die ihr Land von heute auf morgen verlassen müssen, weil ihnen
die Verhaftung droht? Wie bauen wir unter Emigrant*innen Strukturen gegenseitiger Hilfe auf,
die nicht an einzelnen Personen hängen? Und welche politische Agenda vertreten wir gemeinsam
– gegen den Krieg und an der Seite linker Initiativen, die in den Herkunftsländern unter
schwierigsten Bedingungen weiterarbeiten?

Dazu kam eine vierte, nach vorn gerichtete Frage: Was ist unser positives Programm, und mit
wem arbeiten wir in Deutschland, Frankreich, Polen oder Argentinien zusammen?
Gewerkschaften, Mieterinitiativen und Geflüchtetengruppen vor Ort kamen in vielen Beiträgen
vor.

> Wir sind nicht gekommen, um uns gegenseitig zu bekehren, sondern um herauszufinden, was
> wir ab Montag gemeinsam tun können.
— eine Teilnehmerin aus Warszawa

## Was bleibt

Am Sonntag nahm das Forum eine gemeinsame Resolution an. Künftige größere Treffen sollen
demnach drei Grundsätzen folgen: gegen den Krieg, gegen jeden Imperialismus, demokratisch
vorbereitet. Für die Zeit bis dahin haben wir Arbeitsgruppen gebildet, einen gemeinsamen
Chat eingerichtet und einen Newsletter verabredet, der einmal im Monat erscheinen soll.

Wer in Köln nicht dabei sein konnte, aber mitarbeiten möchte, meldet sich am besten bei der
Zelle in der eigenen Stadt.
""",
        },
        "en": {
            "title": "Two days in Cologne: what the forum of the left emigration agreed",
            "body": """\
On the first weekend of November our hall in Cologne turned out to be too small. More than
seventy people came, most of them from Belarus, Russia and Ukraine, some from cities they
have lived in for only a few months. Many had known each other only from chats, or not at
all.

## Three questions at the centre

How do we help comrades who have to leave their country overnight because they face arrest?
How do we build structures of mutual aid among emigrants that do not hang on a few
individuals? And which political agenda do we share: against the war, and alongside the left
initiatives that keep working in our countries of origin under the harshest conditions?

A fourth question looked ahead: what is our positive programme, and whom do we work with in
Germany, France, Poland or Argentina? Local unions, tenants' initiatives and refugee groups
came up in many contributions.

> We did not come to convert each other, but to find out what we can do together from Monday
> on.
— a participant from Warszawa

## What remains

On Sunday the forum adopted a joint resolution. It says that future larger meetings should
follow three principles: against the war, against every imperialism, prepared
democratically. For the time in between we formed working groups, opened a shared chat and
agreed on a newsletter that is to appear once a month.

If you could not be in Cologne but would like to take part, the best first step is to
contact the cell in your city.
""",
        },
        "ru": {
            "title": "Два дня в Кёльне: о чём договорился форум левой эмиграции",
            "body": """\
В первые выходные ноября наш зал в Кёльне оказался слишком тесным. Пришло больше семидесяти
человек, в основном из Беларуси, России и Украины; некоторые живут в своих новых городах
всего несколько месяцев. Многие до этого знали друг друга только по чатам или не знали
вовсе.

## Три главных вопроса

Как помочь товарищам, которым нужно уехать из страны за один день, потому что им грозит
арест? Как построить среди эмигрантов структуры взаимопомощи, которые не держатся на
нескольких людях? И какую политическую повестку мы отстаиваем вместе — против войны и рядом
с левыми инициативами, которые продолжают работать на родине в тяжелейших условиях?

Четвёртый вопрос был обращён в будущее: какова наша позитивная программа и с кем мы работаем
в Германии, Франции, Польше или Аргентине? Местные профсоюзы, инициативы жильцов и группы
беженцев звучали во многих выступлениях.

> Мы приехали не для того, чтобы переубеждать друг друга, а чтобы понять, что мы можем
> делать вместе начиная с понедельника.
— участница из Варшавы

## Что остаётся

В воскресенье форум принял общую резолюцию. По ней будущие большие встречи должны строиться
на трёх принципах: против войны, против любого империализма, с демократической подготовкой.
А пока мы создали рабочие группы, открыли общий чат и договорились о ежемесячной рассылке.

Если вы не смогли приехать в Кёльн, но хотите участвовать, лучше всего напишите ячейке в
своём городе.
""",
        },
        "uk": {
            "title": "Два дні в Кельні: про що домовився форум лівої еміграції",
            "body": """\
У перші вихідні листопада наша зала в Кельні виявилася затісною. Прийшло понад сімдесят
людей, переважно з Білорусі, Росії та України; дехто живе у своєму новому місті лише кілька
місяців. Багато хто досі знав одне одного тільки з чатів або не знав зовсім.

## Три головні питання

Як допомогти товаришам, яким доводиться виїхати з країни за один день, бо їм загрожує арешт?
Як побудувати серед емігрантів структури взаємодопомоги, що не тримаються на кількох людях?
І яку політичну програму дій ми обстоюємо разом — проти війни та пліч-о-пліч із лівими
ініціативами, які й далі працюють на батьківщині в найтяжчих умовах?

Четверте питання було звернене в майбутнє: яка наша позитивна програма і з ким ми
співпрацюємо в Німеччині, Франції, Польщі чи Аргентині? Місцеві профспілки, ініціативи
мешканців і групи біженців згадувалися в багатьох виступах.

> Ми приїхали не для того, щоб переконувати одне одного, а щоб зрозуміти, що можемо робити
> разом уже з понеділка.
— учасниця з Варшави

## Що залишається

У неділю форум ухвалив спільну резолюцію. Згідно з нею майбутні великі зустрічі мають
спиратися на три принципи: проти війни, проти будь-якого імперіалізму, з демократичною
підготовкою. А поки що ми створили робочі групи, відкрили спільний чат і домовилися про
щомісячну розсилку.

Якщо ви не змогли приїхати до Кельна, але хочете долучитися, найкраще напишіть осередку у
своєму місті.
""",
        },
    },
}

LETTER_EVENINGS = {
    "slug": "letters-against-silence",
    "original": "en",
    "date": datetime.date(2024, 12, 12),
    "author": "Mila",
    "topics": ["political-prisoners"],
    "versions": {
        "en": {
            "title": "Letters against silence: our evenings for imprisoned anti-war activists",
            "teaser": (
                "Paper, envelopes, a pot of tea and an hour of your time: how our cells write"
                " to people jailed for opposing the war, and why it matters to them."
            ),
            "body": """\
Once a month the Paris cell clears the big table in the back room of a friendly bookshop,
puts out paper, envelopes and a pot of tea, and writes to people who are in prison for
opposing the war. Since the forum in Cologne, the cells in Köln and Warszawa have started
doing the same.

## Why letters still matter

For someone in a pre-trial detention centre or a penal colony, a letter is proof that the
outside world has not forgotten them. Prison staff read every page, and they notice when a
prisoner receives a lot of mail. Lawyers and relatives tell us again and again that this
attention gives some protection.

> The first letter is the hardest. After that you simply write about the weather, the book
> you are reading, the river in your city.
— a participant in Paris

## How an evening works

We start with a short update on the people we write to, gathered from public sources and
from their support groups. Newcomers get a sheet with simple rules: write in Russian, keep
it personal, leave out politics the censor will black out anyway, never mention other
people. Those who prefer another language can use it; a volunteer translates.

At the end we collect the letters and send them through the services that deliver mail to
Russian and Belarusian prisons. Stamps and fees come from a small solidarity fund.

## Come along

You do not need to know anyone there, and you do not need to be a member. Each cell
announces its own dates; ask for the next evening in your city.
""",
        },
        "de": {
            "title": "Briefe gegen das Schweigen: unsere Abende für inhaftierte Kriegsgegner*innen",
            "teaser": (
                "Papier, Umschläge, eine Kanne Tee und eine Stunde Zeit: wie unsere Zellen an"
                " Menschen schreiben, die wegen ihres Widerstands gegen den Krieg in Haft "
                "sind, und warum das für sie zählt."
            ),
            "body": """\
Einmal im Monat räumt die Pariser Zelle den großen Tisch im Hinterzimmer einer befreundeten
Buchhandlung frei, legt Papier und Umschläge bereit, kocht Tee und schreibt an Menschen, die
im Gefängnis sitzen, weil sie sich gegen den Krieg gestellt haben. Seit dem Forum in Köln
machen es die Zellen in Köln und Warszawa genauso.

## Warum Briefe noch immer zählen

Für jemanden in Untersuchungshaft oder in einer Strafkolonie ist ein Brief der Beweis, dass
die Welt draußen ihn nicht vergessen hat. Das Gefängnispersonal liest jede Seite mit und
bemerkt, wenn jemand viel Post bekommt. Anwält*innen und Angehörige sagen uns immer wieder,
dass diese Aufmerksamkeit ein Stück Schutz bedeutet.

> Der erste Brief ist der schwerste. Danach schreibt man einfach über das Wetter, das Buch,
> das man gerade liest, den Fluss in der eigenen Stadt.
— eine Teilnehmerin in Paris

## Wie ein Abend abläuft

Zu Beginn gibt es einen kurzen Überblick über die Menschen, denen wir schreiben,
zusammengetragen aus öffentlichen Quellen und von ihren Unterstützungsgruppen. Neue bekommen
ein Blatt mit einfachen Regeln: auf Russisch schreiben, persönlich bleiben, keine Politik,
die die Zensur ohnehin schwärzt, niemals andere Menschen erwähnen. Wer lieber in einer
anderen Sprache schreibt, kann das tun; jemand übersetzt.

Am Ende sammeln wir die Briefe ein und verschicken sie über die Dienste, die Post in
russische und belarussische Gefängnisse zustellen. Porto und Gebühren zahlt ein kleiner
Solidaritätsfonds.

## Kommt vorbei

Ihr müsst dort niemanden kennen und kein Mitglied sein. Jede Zelle gibt ihre Termine selbst
bekannt; fragt in eurer Stadt nach dem nächsten Abend.
""",
        },
        "ru": {
            "title": "Письма против тишины: наши вечера для заключённых противников войны",
            "teaser": (
                "Бумага, конверты, чайник и час вашего времени: как наши ячейки пишут людям, "
                "сидящим за сопротивление войне, и почему это для них важно."
            ),
            "body": """\
Раз в месяц парижская ячейка освобождает большой стол в задней комнате дружественного
книжного магазина, раскладывает бумагу и конверты, ставит чайник и пишет людям, которые
сидят в тюрьме за то, что выступили против войны. После форума в Кёльне так же стали делать
ячейки в Кёльне и Варшаве.

## Почему письма всё ещё важны

Для человека в СИЗО или в колонии письмо — доказательство того, что мир снаружи о нём не
забыл. Сотрудники тюрьмы читают каждую страницу и замечают, когда кому-то приходит много
почты. Адвокаты и родственники снова и снова говорят нам, что такое внимание немного
защищает.

> Первое письмо — самое трудное. Потом просто пишешь о погоде, о книге, которую читаешь, о
> реке в своём городе.
— участница в Париже

## Как проходит вечер

Сначала короткий рассказ о людях, которым мы пишем, собранный из открытых источников и от их
групп поддержки. Новички получают листок с простыми правилами: писать по-русски, говорить о
личном, не писать о политике, которую всё равно вычеркнет цензура, никогда не упоминать
других людей. Кто хочет писать на другом языке, может это сделать — кто-нибудь переведёт.

В конце мы собираем письма и отправляем их через сервисы, которые доставляют почту в
российские и белорусские тюрьмы. Марки и сборы оплачивает небольшой фонд солидарности.

## Приходите

Не нужно никого там знать и не нужно быть членом сети. Каждая ячейка сама объявляет даты;
спросите о ближайшем вечере в своём городе.
""",
        },
    },
}

STUDENTS = {
    "slug": "solidaritaet-studierende-petersburg",
    "original": "de",
    "date": datetime.date(2025, 4, 28),
    "author": "Sasha",
    "topics": ["political-prisoners", "anti-war"],
    "versions": {
        "de": {
            "title": (
                "Eine Installation als Vergehen: Solidarität mit den Studierenden in Sankt "
                "Petersburg"
            ),
            "body": """\
Ende April meldete eine regierungsnahe russische Nachrichtenagentur, an der Staatlichen
Universität Sankt Petersburg sei eine Gruppe linker Studierender „aufgedeckt“ worden. Einem
von ihnen wird ein Verstoß gegen das Versammlungsrecht vorgeworfen – wegen einer
Kunstinstallation.

## Wie solche Fälle beginnen

Wir kennen dieses Muster. Zuerst erscheint eine Meldung in staatsnahen Medien, die
Betroffenen werden als gefährliche Radikale hingestellt. Dann folgen Vorladungen,
Exmatrikulationen, Geldstrafen – und nicht selten ein Strafverfahren, das mit Haft endet.
Wer in Russland heute offen gegen den Krieg eintritt, riskiert genau diesen Weg.

Die Studierenden selbst können sich kaum öffentlich äußern. Umso wichtiger ist es, dass
andere es tun: Hochschulgruppen, Gewerkschaften der Wissenschaft, linke Studierendenverbände
in ganz Europa.

> Wer junge Menschen für ein Kunstwerk verfolgt, zeigt vor allem, wie sehr er sich vor ihnen
> fürchtet.
— aus einem Brief unserer Kölner Zelle

## Was wir tun

Wir sammeln, was öffentlich über den Fall bekannt ist, ohne die Betroffenen zusätzlich zu
gefährden, und halten Kontakt zu den Menschen, die sie unterstützen. Sobald es eine Adresse
gibt, schreiben wir bei unseren Briefabenden. Hochschulgruppen, die eine
Solidaritätserklärung veröffentlichen wollen, helfen wir gern beim Übersetzen.
""",
        },
        "en": {
            "title": (
                "An art installation as an offence: solidarity with the students in St Petersburg"
            ),
            "body": """\
At the end of April a news agency close to the Russian government announced that a group of
left-wing students had been “uncovered” at St Petersburg State University. One of them is
accused of breaking the law on public assemblies, over an art installation.

## How such cases begin

We know this pattern. First a report appears in state-friendly media, painting the students
as dangerous radicals. Then come summonses, expulsions, fines, and often criminal
proceedings that end in prison. Anyone in Russia who openly opposes the war today risks
exactly this path.

The students themselves can hardly speak in public. That makes it all the more important
that others do: university groups, academic unions, left student organisations across
Europe.

> Whoever persecutes young people for a work of art mainly shows how much they fear them.
— from a letter of our Köln cell

## What we do

We collect what is publicly known about the case without putting those concerned at further
risk, and we stay in touch with the people who support them. As soon as there is an address,
we will write at our letter evenings. University groups that want to publish a statement of
solidarity can count on our help with translations.
""",
        },
        "ru": {
            "title": "Инсталляция как правонарушение: солидарность со студентами в Петербурге",
            "body": """\
В конце апреля близкое к властям информагентство сообщило, что в Санкт-Петербургском
государственном университете «выявлена» группа левых студентов. Одного из них обвиняют в
нарушении закона о публичных мероприятиях — из-за художественной инсталляции.

## Как начинаются такие дела

Мы знаем эту схему. Сначала в провластных СМИ выходит заметка, где студентов выставляют
опасными радикалами. Потом вызовы, отчисления, штрафы, а нередко и уголовное дело, которое
заканчивается сроком. Каждый, кто сегодня в России открыто выступает против войны, рискует
пройти этот путь.

Сами студенты почти не могут высказываться публично. Тем важнее, чтобы это делали другие:
студенческие группы, профсоюзы работников науки, левые студенческие организации по всей
Европе.

> Кто преследует молодых людей за произведение искусства, прежде всего показывает, как
> сильно он их боится.
— из письма нашей кёльнской ячейки

## Что мы делаем

Мы собираем то, что известно о деле из открытых источников, не подвергая затронутых людей
дополнительной опасности, и поддерживаем связь с теми, кто им помогает. Как только появится
адрес, мы будем писать им на наших вечерах писем. Университетским группам, которые хотят
опубликовать заявление солидарности, мы охотно поможем с переводом.
""",
        },
    },
}

MAY_DAYS = {
    "slug": "8-und-9-mai-erinnern",
    "original": "de",
    "date": datetime.date(2025, 5, 12),
    "author": "Taras",
    "topics": ["commemoration", "anti-war"],
    "versions": {
        "de": {
            "title": "8. und 9. Mai: Erinnern, ohne dem Krieg das Wort zu reden",
            "body": """\
Für viele Menschen aus der ehemaligen Sowjetunion sind der 8. und 9. Mai Familientage. Man
bringt Blumen zu den Denkmälern und erzählt von Großeltern, die gegen den Faschismus
gekämpft haben. Seit Jahren versucht der Kreml, dieses Gedenken für seinen Krieg
einzuspannen – auch in der Emigration, wo an den Ehrenmalen Fahnen und Symbole des
Angriffskriegs auftauchen.

## Im Treptower Park

Wir haben beschlossen, nicht fernzubleiben. In Berlin waren Genoss*innen an beiden Tagen im
Treptower Park, mit Flugblättern auf Russisch, Ukrainisch und Deutsch. Darin erinnern wir
daran, dass Menschen vieler Völker den Sieg über den Nationalsozialismus errungen haben –
und dass gerade dieses Erbe jeden Eroberungskrieg verbietet.

Die meisten Gespräche waren ruhig und lang. Eine ältere Frau aus Charkiw erzählte von ihrem
Vater, der bis Berlin gekommen war. Ein junger Mann aus Nowosibirsk sagte, er komme jedes
Jahr, habe aber noch nie mit jemandem über den heutigen Krieg gesprochen. Es gab auch
Anfeindungen, vor allem von Leuten mit Georgsbändern. Wir sind geblieben.

> Mein Großvater hat nicht dafür gekämpft, dass seine Urenkel aufeinander schießen.
— ein Besucher im Treptower Park

## Warum wir dorthin gehen

Die Gedenktage sind einer der wenigen Orte, an denen wir Migrant*innen aus allen
postsowjetischen Ländern begegnen, auch denen, die nie eine linke Zeitung lesen.
Nationalismus und Krieg widersprechen wir dort, wo sie auftreten, nicht nur unter uns.
""",
        },
        "en": {
            "title": "8 and 9 May: remembering without speaking for the war",
            "body": """\
For many people from the former Soviet Union, 8 and 9 May are family days. They bring
flowers to the memorials and talk about grandparents who fought against fascism. For years
the Kremlin has tried to harness this memory for its war, in emigration too, where flags and
symbols of the war of aggression turn up at the memorials.

## In Treptower Park

We decided not to stay away. In Berlin, comrades spent both days in Treptower Park with
leaflets in Russian, Ukrainian and German. In them we recall that people of many nations won
the victory over National Socialism, and that this very legacy forbids any war of conquest.

Most conversations were calm and long. An older woman from Kharkiv told us about her father,
who had made it all the way to Berlin. A young man from Novosibirsk said he comes every year
but had never talked to anyone about today's war. There was hostility too, mostly from
people wearing St George ribbons. We stayed.

> My grandfather did not fight so that his great-grandchildren would shoot at each other.
— a visitor in Treptower Park

## Why we go there

The days of remembrance are one of the few places where we meet migrants from every
post-Soviet country, including those who never read a left newspaper. We contradict
nationalism and war where they show up, not only among ourselves.
""",
        },
        "uk": {
            "title": "8 і 9 травня: пам'ятати, не виправдовуючи війну",
            "body": """\
Для багатьох людей із колишнього Радянського Союзу 8 і 9 травня — родинні дні. Вони
приносять квіти до меморіалів і розповідають про дідусів і бабусь, які воювали проти
фашизму. Кремль роками намагається привласнити цю пам'ять для своєї війни — і в еміграції
теж, де біля меморіалів з'являються прапори й символи загарбницької війни.

## У Трептов-парку

Ми вирішили не залишатися осторонь. У Берліні товариші обидва дні були в Трептов-парку з
листівками російською, українською та німецькою. У них ми нагадуємо, що перемогу над
націонал-соціалізмом здобули люди багатьох народів — і що саме ця спадщина забороняє
будь-яку загарбницьку війну.

Більшість розмов були спокійними й довгими. Літня жінка з Харкова розповіла про свого
батька, який дійшов до Берліна. Молодий чоловік із Новосибірська сказав, що приходить
щороку, але ще ніколи ні з ким не говорив про сьогоднішню війну. Була й ворожість,
здебільшого від людей із георгіївськими стрічками. Ми залишилися.

> Мій дід воював не для того, щоб його правнуки стріляли одне в одного.
— відвідувач Трептов-парку

## Чому ми туди ходимо

Дні пам'яті — одне з небагатьох місць, де ми зустрічаємо мігрантів з усіх пострадянських
країн, зокрема тих, хто ніколи не читає лівих газет. Ми заперечуємо націоналізму й війні
там, де вони з'являються, а не лише між собою.
""",
        },
    },
}

STREET_ACTIONS = {
    "slug": "from-koeln-to-buenos-aires",
    "original": "en",
    "date": datetime.date(2025, 5, 20),
    "author": "Andrii",
    "topics": ["anti-war"],
    "versions": {
        "en": {
            "title": "From Köln to Buenos Aires: a year on the streets",
            "teaser": (
                "More cities, more people, more languages: comrades and friends took the "
                "anti-war left onto the streets of Köln, Paris, Warszawa and Buenos Aires."
            ),
            "body": """\
A year ago, a street action of our network usually meant a handful of people with a banner.
This year looked different. Comrades and supporters stood on squares in Köln, Paris,
Warszawa and Buenos Aires, and smaller groups joined in other cities. We counted more
actions than the year before and, more importantly, more people who came for the first time.

## One message, many languages

In Köln we marched with local unions and carried placards in Russian, Ukrainian, Belarusian
and German. In Paris the cell ran an information table with leaflets about political
prisoners. In Warszawa, home to many Belarusians, the focus was on people forced to leave in
a hurry. In Buenos Aires a small group of emigrants joined a rally of Argentine left
organisations and spoke about the war from the other side of the world.

> Exile does not mean we stopped. It means we now organise in more places at once.
— from the speech in Köln

## What it is for

Street actions are not an end in themselves. They make us visible to other emigrants who
share our views but have never found us, and to allies in the countries where we now live.
After every action, new people wrote to the cells. We intend to stay on this path, even from
afar: towards a socialist change in the places we come from.
""",
        },
        "de": {
            "title": "Von Köln bis Buenos Aires: ein Jahr auf der Straße",
            "teaser": (
                "Mehr Städte, mehr Menschen, mehr Sprachen: Genoss*innen und Freund*innen "
                "haben die linke Antikriegsbewegung in Köln, Paris, Warszawa und Buenos Aires"
                " auf die Straße gebracht."
            ),
            "body": """\
Vor einem Jahr hieß Straßenaktion bei uns meist: eine Handvoll Leute mit einem Transparent.
In diesem Jahr sah das anders aus. Genoss*innen und Unterstützer*innen standen auf Plätzen
in Köln, Paris, Warszawa und Buenos Aires, kleinere Gruppen machten in weiteren Städten mit.
Wir haben mehr Aktionen gezählt als im Vorjahr und, wichtiger noch, mehr Menschen, die zum
ersten Mal dabei waren.

## Eine Botschaft, viele Sprachen

In Köln sind wir mit örtlichen Gewerkschaften gelaufen, mit Schildern auf Russisch,
Ukrainisch, Belarussisch und Deutsch. In Paris hatte die Zelle einen Infotisch mit
Flugblättern über politische Gefangene. In Warszawa, wo viele Belarus*innen leben, ging es
vor allem um Menschen, die überstürzt fliehen mussten. In Buenos Aires schloss sich eine
kleine Gruppe von Emigrant*innen einer Kundgebung argentinischer Linker an und sprach vom
anderen Ende der Welt über den Krieg.

> Exil heißt nicht, dass wir aufgehört haben. Es heißt, dass wir jetzt an mehr Orten
> zugleich organisieren.
— aus der Rede in Köln

## Wozu das Ganze

Straßenaktionen sind kein Selbstzweck. Sie machen uns sichtbar für andere Emigrant*innen,
die unsere Ansichten teilen, uns aber nie gefunden haben, und für Verbündete in den Ländern,
in denen wir heute leben. Nach jeder Aktion haben neue Menschen den Zellen geschrieben.
Diesen Weg gehen wir weiter, auch aus der Ferne: für einen sozialistischen Wandel dort, wo
wir herkommen.
""",
        },
    },
}

STRASBOURG = {
    "slug": "hearing-in-strasbourg",
    "original": "en",
    "date": datetime.date(2025, 6, 26),
    "author": "Ivan",
    "topics": ["anti-war", "political-prisoners"],
    "versions": {
        "en": {
            "title": "“Freedoms are not a bargaining chip”: Andrii on the hearing in Strasbourg",
            "body": """\
On 23 June the European Parliament in Strasbourg devoted a whole day to human rights in
Russia and Ukraine under the conditions of war. Andrii, a Ukrainian member of our network,
spoke there. We asked him how it went.

## Who organised the hearing, and who came?

Andrii: A group of left members of parliament had invited human-rights organisations,
lawyers and activists from both countries. The room was full: staff, journalists, a few
diplomats and many people from the diaspora who had travelled from Germany and France.

## What did you say?

I spoke about people imprisoned for their stand against the war, on both sides of the front.
In Russia it is anyone who calls the war a war. In Ukraine the situation is different, but
there too are cases where basic rights are suspended in the name of mobilisation. My point
was simple: a peace agreement that leaves these people behind bars is no peace.

> If governments trade prisoners and territory but not freedoms, ordinary people pay twice.
— Andrii

## Did anyone listen?

More people than I expected. A deputy of the French left took up the point the next day in
the Parliamentary Assembly of the Council of Europe. Of course one hearing changes nothing
by itself. But it gives those working on individual cases a document they can refer to.

## What comes next?

We are putting together a short list of cases for parliamentarians who want to follow up,
and we keep writing to the prisoners themselves. Institutions move slowly; letters arrive
faster.
""",
        },
        "de": {
            "title": (
                "„Freiheiten sind keine Verhandlungsmasse“: Andrii über die Anhörung in Straßburg"
            ),
            "body": """\
Im Straßburger Europaparlament ging es am 23. Juni einen ganzen Tag lang um Menschenrechte
in Russland und der Ukraine unter den Bedingungen des Krieges. Andrii, ein ukrainisches
Mitglied unseres Netzwerks, hat dort gesprochen. Wir haben ihn gefragt, wie es war.

## Wer hatte eingeladen, und wer war da?

Andrii: Eine Gruppe linker Abgeordneter hatte Menschenrechtsorganisationen, Anwält*innen und
Aktivist*innen aus beiden Ländern eingeladen. Der Saal war voll: Mitarbeiter*innen,
Journalist*innen, ein paar Diplomat*innen und viele Menschen aus der Diaspora, die aus
Deutschland und Frankreich angereist waren.

## Was hast du gesagt?

Ich habe über Menschen gesprochen, die wegen ihrer Haltung gegen den Krieg inhaftiert sind,
auf beiden Seiten der Front. In Russland trifft es jeden, der den Krieg einen Krieg nennt.
In der Ukraine ist die Lage eine andere, aber auch dort gibt es Fälle, in denen Grundrechte
im Namen der Mobilisierung ausgesetzt werden. Mein Punkt war einfach: Ein Friedensabkommen,
das diese Menschen hinter Gittern lässt, ist kein Frieden.

> Wenn Regierungen Gefangene und Gebiete tauschen, aber keine Freiheiten, zahlen die
> einfachen Leute doppelt.
— Andrii

## Hat jemand zugehört?

Mehr Leute, als ich erwartet hatte. Eine Abgeordnete der französischen Linken hat den
Gedanken am nächsten Tag in der Parlamentarischen Versammlung des Europarats aufgegriffen.
Natürlich ändert eine Anhörung allein nichts. Aber sie gibt denen, die an einzelnen Fällen
arbeiten, ein Dokument, auf das sie sich berufen können.

## Wie geht es weiter?

Wir stellen für Abgeordnete, die dranbleiben wollen, eine kurze Liste von Fällen zusammen,
und wir schreiben weiter an die Gefangenen selbst. Institutionen bewegen sich langsam;
Briefe kommen schneller an.
""",
        },
        "ru": {
            "title": "«Свободы — не предмет торга»: Андрий о слушаниях в Страсбурге",
            "body": """\
23 июня Европейский парламент в Страсбурге посвятил целый день правам человека в России и
Украине в условиях войны. Андрий, украинский участник нашей сети, выступал там. Мы спросили
его, как всё прошло.

## Кто организовал слушания и кто пришёл?

Андрий: Группа левых депутатов пригласила правозащитные организации, адвокатов и активистов
из обеих стран. Зал был полон: помощники депутатов, журналисты, несколько дипломатов и много
людей из диаспоры, которые приехали из Германии и Франции.

## О чём ты говорил?

Я говорил о людях, которые сидят за антивоенную позицию, по обе стороны фронта. В России это
любой, кто называет войну войной. В Украине ситуация другая, но и там бывают случаи, когда
основные права приостанавливают ради мобилизации. Моя мысль была простой: мирное соглашение,
которое оставляет этих людей за решёткой, — это не мир.

> Если правительства обменивают пленных и территории, но не свободы, простые люди платят
> дважды.
— Андрий

## Кто-нибудь услышал?

Больше людей, чем я ожидал. Депутатка от французских левых на следующий день повторила эту
мысль в Парламентской ассамблее Совета Европы. Конечно, одни слушания сами по себе ничего не
меняют. Но у тех, кто работает с конкретными делами, появляется документ, на который можно
ссылаться.

## Что дальше?

Мы составляем короткий список дел для депутатов, которые хотят продолжить эту работу, и
дальше пишем самим заключённым. Институты движутся медленно; письма доходят быстрее.
""",
        },
        "uk": {
            "title": "«Свободи — не предмет торгу»: Андрій про слухання у Страсбурзі",
            "body": """\
23 червня Європейський парламент у Страсбурзі присвятив цілий день правам людини в Росії та
Україні в умовах війни. Андрій, український учасник нашої мережі, виступав там. Ми запитали
його, як усе минуло.

## Хто організував слухання і хто прийшов?

Андрій: Група лівих депутатів запросила правозахисні організації, адвокатів і активістів з
обох країн. Зала була повна: помічники депутатів, журналісти, кілька дипломатів і багато
людей з діаспори, які приїхали з Німеччини та Франції.

## Про що ти говорив?

Я говорив про людей, ув'язнених за антивоєнну позицію, по обидва боки фронту. У Росії це
кожен, хто називає війну війною. В Україні ситуація інша, але й там трапляються випадки,
коли основні права призупиняють заради мобілізації. Моя думка була простою: мирна угода, яка
залишає цих людей за ґратами, — це не мир.

> Якщо уряди обмінюють полонених і території, але не свободи, прості люди платять двічі.
— Андрій

## Чи вас почули?

Більше людей, ніж я очікував. Депутатка від французьких лівих наступного дня повторила цю
думку в Парламентській асамблеї Ради Європи. Звісно, одні слухання самі по собі нічого не
змінюють. Але ті, хто працює з конкретними справами, отримують документ, на який можна
посилатися.

## Що далі?

Ми складаємо короткий перелік справ для депутатів, які хочуть продовжити цю роботу, і далі
пишемо самим ув'язненим. Інституції рухаються повільно; листи доходять швидше.
""",
        },
    },
}

MIGRANT_WORKERS = {
    "slug": "lohnraub-auf-der-baustelle",
    "original": "de",
    "date": datetime.date(2025, 2, 18),
    "author": "Lena",
    "topics": ["migrant-workers"],
    "versions": {
        "de": {
            "title": "Lohnraub auf der Baustelle: Wie wir Wanderarbeiter*innen beraten",
            "body": """\
Viele, die aus Zentralasien, dem Kaukasus oder der Ukraine nach Deutschland und Polen
kommen, arbeiten auf Baustellen, in Lagerhallen, in der Pflege oder für Lieferdienste. Oft
ohne Vertrag in einer Sprache, die sie lesen können, und oft für weniger Geld als
vereinbart.

## Sprechstunde in Köln

Seit dem Winter bietet unsere Arbeitsgruppe einmal in der Woche eine Sprechstunde an, auf
Russisch, Ukrainisch und Usbekisch. Wir sind keine Anwält*innen. Wir hören zu, lesen
Arbeitsverträge und Lohnabrechnungen mit, erklären, welche Rechte es gibt, und begleiten
Menschen zu den Beratungsstellen der Gewerkschaften.

Am häufigsten geht es um unbezahlte Überstunden, um Abzüge für Unterkünfte, die mehr kosten
als ein Zimmer auf dem freien Markt, und um Kündigungen nach einer Krankmeldung.

> Ich dachte, so ist das eben hier. Dass man sich wehren kann, wusste ich nicht.
— ein Bauarbeiter aus Samarkand

## Gemeinsam mit den Gewerkschaften

Eine Sprechstunde allein ändert die Verhältnisse nicht. Deshalb arbeiten wir mit
Gewerkschaftssekretär*innen zusammen, die mehrsprachige Aktionen planen, und ermutigen
Kolleg*innen, selbst Mitglied zu werden. In Warszawa hat die Zelle einen ähnlichen Draht zu
einer Basisgewerkschaft aufgebaut.

Wer sich im Arbeitsrecht auskennt oder eine der Sprachen spricht, ist in der Arbeitsgruppe
herzlich willkommen.
""",
        },
        "en": {
            "title": "Wage theft on the building site: how we advise migrant workers",
            "body": """\
Many people who come to Germany and Poland from Central Asia, the Caucasus or Ukraine work
on building sites, in warehouses, in care or for delivery services. Often without a contract
in a language they can read, and often for less money than they were promised.

## Advice hours in Köln

Since the winter our working group has held advice hours once a week, in Russian, Ukrainian
and Uzbek. We are not lawyers. We listen, go through employment contracts and pay slips
together, explain which rights exist and accompany people to the unions' advice centres.

The most common cases are unpaid overtime, deductions for accommodation that cost more than
a room on the open market, and dismissals after a sick note.

> I thought that is just how things are here. I did not know you could fight back.
— a construction worker from Samarkand

## Together with the unions

Advice hours alone do not change conditions. That is why we work with union officers who
plan multilingual actions, and encourage colleagues to join a union themselves. In Warszawa
the cell has built a similar link with a grassroots union.

If you know labour law or speak one of the languages, the working group would be glad to
have you.
""",
        },
    },
}

MUTUAL_AID = {
    "slug": "when-someone-has-to-leave-tonight",
    "original": "en",
    "date": datetime.date(2025, 1, 22),
    "collective": "koeln",
    "author": "Olga",
    "topics": ["mutual-aid", "forum"],
    "versions": {
        "en": {
            "title": "When someone has to leave tonight: how our mutual aid works",
            "teaser": (
                "Since the forum in Cologne we have been turning scattered favours into a "
                "network: who helps with what, how requests are checked, and why we keep as "
                "little data as we can."
            ),
            "body": """\
Almost all of us arrived abroad with someone's help: a friend who knew a lawyer, a stranger
who offered a sofa for the first week. At the forum in Cologne last November we agreed that
this help should no longer depend on luck and on whom you happen to know.

## What we offer

When an activist has to leave Russia, Belarus or the occupied territories in a hurry, the
network can help with a first place to stay, contacts for legal advice on visas and asylum,
a small sum for the first weeks, and people who speak the language and know the local
offices. Help goes to anyone persecuted for political or trade-union work, member or not.

## How requests are handled

A request reaches a small, trained team through a contact that does not reveal who is asking
to everyone. Two people check it, usually by asking someone the requester already trusts.
Only then does the cell in the city of arrival learn what is needed, and nothing more.

> We ask as few questions as we can and write down even fewer.
— a member of the aid team

## Why we are careful

Security services watch emigrant communities closely. Every name in a chat, every
spreadsheet with addresses, can put someone in danger. That is why we keep records short,
delete what is no longer needed and hold the difficult conversations in person.

If you can offer a room, an hour of legal advice or help with translation, please tell your
cell.
""",
        },
        "de": {
            "title": (
                "Wenn jemand heute Nacht gehen muss: So funktioniert unsere gegenseitige Hilfe"
            ),
            "teaser": (
                "Seit dem Forum in Köln machen wir aus verstreuten Gefälligkeiten ein Netz: "
                "wer wobei hilft, wie Anfragen geprüft werden und warum wir so wenige Daten "
                "wie möglich speichern."
            ),
            "body": """\
Fast alle von uns sind mit jemandes Hilfe im Ausland angekommen: einer Freundin, die eine
Anwältin kannte, einem Fremden, der für die erste Woche ein Sofa anbot. Beim Forum in Köln
im vergangenen November haben wir verabredet, dass diese Hilfe nicht länger von Glück und
Bekanntschaften abhängen soll.

## Was wir anbieten

Wenn jemand Russland, Belarus oder die besetzten Gebiete überstürzt verlassen muss, kann das
Netzwerk helfen: mit einer ersten Unterkunft, mit Kontakten für Rechtsberatung zu Visum und
Asyl, mit einem kleinen Betrag für die ersten Wochen und mit Menschen, die die Sprache
sprechen und die Ämter vor Ort kennen. Die Hilfe gilt allen, die wegen politischer oder
gewerkschaftlicher Arbeit verfolgt werden, ob Mitglied oder nicht.

## Wie wir mit Anfragen umgehen

Eine Anfrage erreicht ein kleines, geschultes Team über einen Kontakt, der nicht allen
verrät, wer fragt. Zwei Leute prüfen sie, meist indem sie jemanden fragen, dem die Person
schon vertraut. Erst dann erfährt die Zelle in der Ankunftsstadt, was gebraucht wird, und
nichts darüber hinaus.

> Wir stellen so wenige Fragen wie möglich und schreiben noch weniger auf.
— ein Mitglied des Hilfeteams

## Warum wir vorsichtig sind

Geheimdienste beobachten Emigrant*innengemeinden genau. Jeder Name in einem Chat, jede
Tabelle mit Adressen kann jemanden gefährden. Deshalb halten wir Aufzeichnungen kurz,
löschen, was nicht mehr gebraucht wird, und führen die schwierigen Gespräche persönlich.

Wer ein Zimmer, eine Stunde Rechtsberatung oder Hilfe beim Übersetzen anbieten kann, sagt es
bitte der eigenen Zelle.
""",
        },
    },
}

POSTS = [
    FORUM_REPORT,
    LETTER_EVENINGS,
    MUTUAL_AID,
    MIGRANT_WORKERS,
    STUDENTS,
    MAY_DAYS,
    STREET_ACTIONS,
    STRASBOURG,
]
