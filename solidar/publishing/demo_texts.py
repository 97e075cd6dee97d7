"""The texts of the demo site (``publishing.demo``): written for the demo, in the voice
of a network of anti-war leftists in exile. People are the demo's pseudonyms; nobody in
these texts is a real person.

Bodies are plain text (``demo.body`` reads it): blocks are separated by blank lines; a block
is a heading ("## "), a quote ("> " lines, then "— who"), a list ("- " items) or a
paragraph. The resolution's preamble and decisions are paragraphs.
"""

from __future__ import annotations

import datetime

TOPICS = {
    "political-prisoners": {
        "en": "Political prisoners",
        "de": "Politische Gefangene",
        "ru": "Политзаключённые",
        "uk": "Політв'язні",
    },
    "anti-war": {
        "en": "Against the war",
        "de": "Gegen den Krieg",
        "ru": "Против войны",
        "uk": "Проти війни",
    },
    "migrant-workers": {
        "en": "Migrant workers and unions",
        "de": "Migrantische Arbeit und Gewerkschaften",
        "ru": "Трудовые мигранты и профсоюзы",
        "uk": "Трудові мігранти та профспілки",
    },
    "mutual-aid": {
        "en": "Mutual aid",
        "de": "Gegenseitige Hilfe",
        "ru": "Взаимопомощь",
        "uk": "Взаємодопомога",
    },
    "forum": {
        "en": "Forum",
        "de": "Forum",
        "ru": "Форум",
        "uk": "Форум",
    },
    "commemoration": {
        "en": "Commemoration",
        "de": "Gedenken",
        "ru": "Память",
        "uk": "Пам'ять",
    },
}

POST_INDEX = {
    "slug": "posts",
    "versions": {
        "en": {
            "title": "Posts",
            "intro": "Reports, interviews and news from our cells and working groups.",
        },
        "de": {
            "title": "Beiträge",
            "intro": "Berichte, Interviews und Neuigkeiten aus unseren Zellen und Arbeitsgruppen.",
        },
        "ru": {
            "title": "Публикации",
            "intro": "Репортажи, интервью и новости наших ячеек и рабочих групп.",
        },
        "uk": {
            "title": "Публікації",
            "intro": "Репортажі, інтерв'ю та новини наших осередків і робочих груп.",
        },
    },
}

STATEMENT_INDEX = {
    "slug": "statements",
    "versions": {
        "en": {
            "title": "Statements and resolutions",
            "intro": "What our forums and assemblies have decided, in their own words.",
        },
        "de": {
            "title": "Erklärungen und Beschlüsse",
            "intro": "Was unsere Foren und Versammlungen beschlossen haben, im Wortlaut.",
        },
        "ru": {
            "title": "Заявления и резолюции",
            "intro": "Что решили наши форумы и собрания — дословно.",
        },
        "uk": {
            "title": "Заяви та резолюції",
            "intro": "Що ухвалили наші форуми та збори — дослівно.",
        },
    },
}

# -- the programme -------------------------------------------------------------------------
PROGRAMME = {
    "slug": "programme",
    "versions": {
        "en": {
            "title": "Our programme",
            "intro": "Who we are, what we stand for, what we work on and how to join.",
            "body": """\
## Who we are

We are emigrants from the post-Soviet space – from Russia, Ukraine, Belarus, Central Asia
and the South Caucasus – who now live in Germany, France, Poland, Argentina and elsewhere.
Some of us left because of the war, some because of political persecution, some long before
either. What unites us is the aim of a deep socialist transformation in the countries we
come from, and the everyday fight for social justice where we live now.

## What we stand for

- Against war, without exceptions or excuses, and first of all against Russia's war of
  aggression against Ukraine.
- Against the exploitation of people by people, and against discrimination in every form.
- Solidarity with left movements all over the world.
- Unity around a political programme, not around small identities and labels.

Whoever shares these aims and wants to work for them is welcome.

## How we organise

We want to build a lasting organisation in exile, not a series of campaigns that fade after
a month. That means local collectives and cells wherever emigrants live; long-term work
instead of occasional bursts; political education tied to practice; an active role alongside
our allies in the struggles of our new countries; democratic decisions; and room for
different opinions within our shared programme.

## Working areas

Five working groups carry most of our work across the cities:

- <b>Migrant workers and unions</b>: advice, organising and joint action with the unions.
- <b>Political prisoners and refugees</b>: letters, legal contacts, help for everyone who
  has to flee.
- <b>Democratic peace</b>: a peace decided by the people who live through the war, not by
  the elites who profit from it; we coordinate with our allies to that end.
- <b>Campaigns</b>: political and solidarity campaigns, street actions.
- <b>Political education</b>: reading circles, seminars, our newsletter.

## How to join

Create an account under a pseudonym, then apply to the cell in your city, or to the network
as a whole if there is no cell there yet. Two members vouch for each newcomer, usually
people who have met you at an action, a letter-writing evening or a reading circle. Vouching
is not a loyalty test; it protects everyone from infiltration. Once admitted, you see the
members and the work of your own cell and of the working groups you join, and nothing else.
""",
        },
        "de": {
            "title": "Unser Programm",
            "intro": "Wer wir sind, wofür wir eintreten, woran wir arbeiten und wie man mitmacht.",
            "body": """\
## Wer wir sind

Wir sind Emigrant*innen aus dem postsowjetischen Raum – aus Russland, der Ukraine, Belarus,
Zentralasien und dem Südkaukasus –, die heute in Deutschland, Frankreich, Polen, Argentinien
und anderswo leben. Manche von uns sind wegen des Krieges gegangen, manche wegen politischer
Verfolgung, manche lange vorher. Uns verbindet das Ziel einer tiefgreifenden sozialistischen
Veränderung in unseren Herkunftsländern und der alltägliche Einsatz für soziale
Gerechtigkeit dort, wo wir jetzt wohnen.

## Wofür wir eintreten

- Gegen den Krieg, ohne Ausnahmen und Ausreden, und zuallererst gegen Russlands
  Angriffskrieg gegen die Ukraine.
- Gegen die Ausbeutung von Menschen durch Menschen und gegen Diskriminierung in jeder
  Gestalt.
- Solidarität mit linken Bewegungen in aller Welt.
- Zusammenhalt durch ein politisches Programm, nicht durch kleine Identitäten und Etiketten.

Willkommen ist, wer diese Ziele teilt und für sie arbeiten will.

## Wie wir uns organisieren

Wir wollen eine dauerhafte Organisation im Exil aufbauen, keine Reihe von Kampagnen, die
nach einem Monat verebben. Das heißt: lokale Kollektive und Zellen überall, wo
Emigrant*innen leben; langfristige Arbeit statt gelegentlicher Kraftakte; politische
Bildung, die mit Praxis verbunden ist; eine aktive Rolle an der Seite unserer Verbündeten in
den Kämpfen unserer neuen Länder; demokratische Entscheidungen; und Raum für
unterschiedliche Meinungen innerhalb unseres gemeinsamen Programms.

## Arbeitsbereiche

Fünf Arbeitsgruppen tragen den größten Teil unserer Arbeit über die Städte hinweg:

- <b>Migrantische Arbeit und Gewerkschaften</b>: Beratung, Organisierung und gemeinsame
  Aktionen mit den Gewerkschaften.
- <b>Politische Gefangene und Geflüchtete</b>: Briefe, juristische Kontakte, Hilfe für alle,
  die fliehen müssen.
- <b>Demokratischer Frieden</b>: ein Frieden, über den die Menschen entscheiden, die den
  Krieg ertragen, nicht die Eliten, die an ihm verdienen; dafür stimmen wir uns mit
  Verbündeten ab.
- <b>Kampagnen</b>: politische und Solidaritätskampagnen, Straßenaktionen.
- <b>Politische Bildung</b>: Lesekreise, Seminare, unser Newsletter.

## Mitmachen

Lege ein Konto unter einem Pseudonym an und bewirb dich dann bei der Zelle in deiner Stadt –
oder beim Netzwerk als Ganzem, wenn es dort noch keine Zelle gibt. Für jede neue Person
bürgen zwei Mitglieder, meist Menschen, die dich bei einer Aktion, einem Briefabend oder
einem Lesekreis kennengelernt haben. Die Bürgschaft ist keine Gesinnungsprüfung; sie schützt
alle vor Unterwanderung. Danach siehst du die Mitglieder und die Arbeit deiner eigenen Zelle
und der Arbeitsgruppen, denen du beitrittst – mehr nicht.
""",
        },
        "ru": {
            "title": "Наша программа",
            "intro": "Кто мы, за что выступаем, над чем работаем и как присоединиться.",
            "body": """\
## Кто мы

Мы — эмигранты с постсоветского пространства: из России, Украины, Беларуси, Центральной Азии
и Южного Кавказа. Сегодня мы живём в Германии, Франции, Польше, Аргентине и других странах.
Кто-то уехал из-за войны, кто-то из-за политических преследований, кто-то задолго до этого.
Нас объединяет цель глубокого социалистического преобразования в странах, откуда мы родом, и
повседневная борьба за социальную справедливость там, где мы живём сейчас.

## За что мы выступаем

- Против войны — без исключений и оправданий, и прежде всего против агрессивной войны России
  против Украины.
- Против эксплуатации человека человеком и против дискриминации в любой форме.
- Солидарность с левыми движениями по всему миру.
- Единство вокруг политической программы, а не вокруг узких идентичностей и ярлыков.

Мы рады всем, кто разделяет эти цели и готов за них работать.

## Как мы организованы

Мы хотим построить прочную организацию в эмиграции, а не череду кампаний, которые затихают
через месяц. Это значит: местные коллективы и ячейки везде, где живут эмигранты; долгая
работа вместо редких рывков; политическое образование, связанное с практикой; активная роль
рядом с союзниками в борьбе наших новых стран; демократическое принятие решений; и место для
разных мнений в рамках общей программы.

## Направления работы

Основную работу между городами ведут пять рабочих групп:

- <b>Трудовые мигранты и профсоюзы</b>: консультации, самоорганизация и совместные акции с
  профсоюзами.
- <b>Политзаключённые и беженцы</b>: письма, юридические контакты, помощь всем, кому
  приходится бежать.
- <b>Демократический мир</b>: мир, о котором решают люди, вынужденные переживать войну, а не
  элиты, которые на ней зарабатывают; для этого мы координируемся с союзниками.
- <b>Кампании</b>: политические кампании и кампании солидарности, уличные акции.
- <b>Политическое образование</b>: кружки чтения, семинары, наша рассылка.

## Как присоединиться

Создайте аккаунт под псевдонимом и подайте заявку в ячейку своего города — или в сеть
целиком, если ячейки там ещё нет. За каждого нового человека ручаются двое участников,
обычно те, кто познакомился с вами на акции, вечере писем или в кружке чтения.
Поручительство — не проверка на лояльность: оно защищает всех от внедрения. После приёма вы
видите участников и работу своей ячейки и тех рабочих групп, в которые вступили, — и больше
ничего.
""",
        },
        "uk": {
            "title": "Наша програма",
            "intro": "Хто ми, за що виступаємо, над чим працюємо і як долучитися.",
            "body": """\
## Хто ми

Ми — емігранти з пострадянського простору: з Росії, України, Білорусі, Центральної Азії та
Південного Кавказу. Сьогодні ми живемо в Німеччині, Франції, Польщі, Аргентині та інших
країнах. Хтось виїхав через війну, хтось через політичні переслідування, хтось задовго до
того. Нас об'єднує мета глибокого соціалістичного перетворення в країнах, звідки ми родом, і
щоденна боротьба за соціальну справедливість там, де ми живемо тепер.

## За що ми виступаємо

- Проти війни — без винятків і виправдань, і насамперед проти загарбницької війни Росії
  проти України.
- Проти експлуатації людини людиною та проти дискримінації в будь-якій формі.
- Солідарність із лівими рухами в усьому світі.
- Єдність навколо політичної програми, а не навколо вузьких ідентичностей і ярликів.

Ми раді всім, хто поділяє ці цілі й готовий для них працювати.

## Як ми організовані

Ми хочемо збудувати міцну організацію в еміграції, а не низку кампаній, що згасають за
місяць. Це означає: місцеві колективи й осередки скрізь, де живуть емігранти; тривала робота
замість рідкісних ривків; політична освіта, пов'язана з практикою; активна роль поруч із
союзниками в боротьбі наших нових країн; демократичне ухвалення рішень; і місце для різних
думок у межах спільної програми.

## Напрями роботи

Основну роботу між містами ведуть п'ять робочих груп:

- <b>Трудові мігранти та профспілки</b>: консультації, самоорганізація та спільні акції з
  профспілками.
- <b>Політв'язні та біженці</b>: листи, юридичні контакти, допомога всім, кому доводиться
  тікати.
- <b>Демократичний мир</b>: мир, про який вирішують люди, що переживають війну, а не еліти,
  які на ній заробляють; для цього ми координуємося із союзниками.
- <b>Кампанії</b>: політичні кампанії та кампанії солідарності, вуличні акції.
- <b>Політична освіта</b>: читацькі гуртки, семінари, наша розсилка.

## Як долучитися

Створіть обліковий запис під псевдонімом і подайте заявку до осередку у своєму місті — або
до мережі загалом, якщо осередку там ще немає. За кожну нову людину ручаються двоє
учасників, зазвичай ті, хто познайомився з вами на акції, вечорі листів чи в читацькому
гуртку. Поручительство — не перевірка на лояльність: воно захищає всіх від проникнення
чужих. Після вступу ви бачите учасників і роботу свого осередку та тих робочих груп, до яких
вступили, — і більше нічого.
""",
        },
    },
}

# -- the Cologne resolution ----------------------------------------------------------------
RESOLUTION = {
    "slug": "resolution-cologne-forum",
    "original": "de",
    "number": "2024/1",
    "adopted_on": datetime.date(2024, 11, 3),
    "versions": {
        "de": {
            "title": "Resolution des Forums der linken Emigration in Köln",
            "adopted_by": "dem Forum in Köln",
            "preamble": """\
Wir, Linke aus Belarus, Russland und der Ukraine, die heute in vielen Ländern leben, sind am
2. und 3. November 2024 in Köln zusammengekommen.

Die Welt steckt in einer tiefen Krise. Wir sind überzeugt, dass es an der Linken ist, einen
Ausweg zu zeigen, und wir wollen unseren Teil dazu beitragen.

In manchen Fragen gehen unsere Ansichten auseinander. Einig sind wir uns in der Ablehnung
des Angriffskriegs, den das Putin-Regime gegen die Ukraine führt, ohne Wenn und Aber.

Eine starke linke Bewegung braucht Zusammenarbeit und Abstimmung. Dieses Forum ist ein
Schritt dahin. Wir beschließen:
""",
            "decisions": """\
Das Forum hat erreicht, wofür es einberufen wurde: Linke aus der russischen, belarussischen
und ukrainischen Emigration haben sich getroffen, Kontakte geknüpft oder erneuert und ihre
Positionen zu den drängenden Fragen geklärt.

Weitere große Treffen lohnen sich, wenn sie drei Grundsätzen folgen: Ablehnung des Krieges,
Ablehnung jedes Imperialismus, demokratische Vorbereitung und Durchführung.

Die Kontakte, die hier entstanden sind, pflegen wir weiter: in Arbeitsgruppen, in
gemeinsamen Chats und mit einem regelmäßigen Newsletter.

Wir bauen ein Netz gegenseitiger Hilfe auf, das verfolgten Aktivist*innen bei einer
schnellen Ausreise beisteht und Emigrant*innen in den ersten Monaten begleitet.

Wir unterstützen linke Initiativen in den Herkunftsländern, die sich dem Krieg
entgegenstellen, und machen ihre Arbeit im Ausland bekannt.

Wir arbeiten an einem positiven Programm der Linken und suchen in den Ländern, in denen wir
heute leben, Verbündete unter sozialen Bewegungen und linken Gruppen.
""",
        },
        "en": {
            "title": "Resolution of the forum of the left emigration in Cologne",
            "adopted_by": "the forum in Köln",
            "preamble": """\
We, people of the left from Belarus, Russia and Ukraine who now live in many countries, met
in Cologne on 2 and 3 November 2024.

The world is in a deep crisis. We are convinced that it falls to the left to show a way out,
and we want to play our part in it.

On some questions our views differ. We are united in rejecting, without any ifs or buts, the
war of aggression that the Putin regime is waging against Ukraine.

A strong left movement needs cooperation and coordination. This forum is a step towards
them. We decide:
""",
            "decisions": """\
The forum achieved what it was called for: left emigrants from Russia, Belarus and Ukraine
met, made or renewed contacts and clarified their positions on the pressing questions of the
day.

Further large meetings are worthwhile if they follow three principles: opposition to the
war, opposition to every imperialism, democratic preparation and conduct.

We will keep alive the contacts made here: in working groups, in shared chats and with a
regular newsletter.

We are building a network of mutual aid that stands by persecuted activists who must leave
quickly and accompanies emigrants through their first months.

We support left initiatives in our countries of origin that stand against the war, and make
their work known abroad.

We will work on a positive programme of the left and look for allies among social movements
and left groups in the countries where we live today.
""",
        },
        "ru": {
            "title": "Резолюция форума левой эмиграции в Кёльне",
            "adopted_by": "форумом в Кёльне",
            "preamble": """\
Мы, левые из Беларуси, России и Украины, живущие сегодня во многих странах, собрались в
Кёльне 2 и 3 ноября 2024 года.

Мир переживает глубокий кризис. Мы убеждены, что показать выход из него — дело левых, и
хотим внести в это свой вклад.

В некоторых вопросах наши взгляды расходятся. Нас объединяет безоговорочное неприятие
агрессивной войны, которую режим Путина ведёт против Украины.

Сильному левому движению нужны сотрудничество и координация. Этот форум — шаг к ним. Мы
решаем:
""",
            "decisions": """\
Форум выполнил то, ради чего был созван: левые эмигранты из России, Беларуси и Украины
встретились, установили или восстановили связи и прояснили свои позиции по насущным
вопросам.

Новые большие встречи имеют смысл, если они следуют трём принципам: неприятие войны,
неприятие любого империализма, демократическая подготовка и проведение.

Возникшие здесь связи мы будем поддерживать: в рабочих группах, в общих чатах и с помощью
регулярной рассылки.

Мы строим сеть взаимопомощи, которая поддерживает преследуемых активистов, вынужденных
срочно уезжать, и сопровождает эмигрантов в первые месяцы.

Мы поддерживаем левые инициативы на родине, выступающие против войны, и рассказываем об их
работе за рубежом.

Мы работаем над позитивной программой левых и ищем союзников среди социальных движений и
левых групп в странах, где живём сегодня.
""",
        },
        "uk": {
            "title": "Резолюція форуму лівої еміграції в Кельні",
            "adopted_by": "форумом у Кельні",
            "preamble": """\
Ми, ліві з Білорусі, Росії та України, які сьогодні живуть у багатьох країнах, зібралися в
Кельні 2 і 3 листопада 2024 року.

Світ переживає глибоку кризу. Ми переконані, що показати вихід із неї — справа лівих, і
хочемо зробити свій внесок.

У деяких питаннях наші погляди розходяться. Нас об'єднує беззастережне неприйняття
загарбницької війни, яку режим Путіна веде проти України.

Сильному лівому руху потрібні співпраця та координація. Цей форум — крок до них. Ми
ухвалюємо:
""",
            "decisions": """\
Форум виконав те, заради чого його скликали: ліві емігранти з Росії, Білорусі та України
зустрілися, налагодили або відновили зв'язки й з'ясували свої позиції щодо нагальних питань.

Нові великі зустрічі мають сенс, якщо вони дотримуються трьох принципів: неприйняття війни,
неприйняття будь-якого імперіалізму, демократична підготовка та проведення.

Зв'язки, що виникли тут, ми підтримуватимемо: у робочих групах, у спільних чатах і за
допомогою регулярної розсилки.

Ми будуємо мережу взаємодопомоги, яка підтримує переслідуваних активістів, змушених
терміново виїжджати, і супроводжує емігрантів у перші місяці.

Ми підтримуємо ліві ініціативи на батьківщині, що виступають проти війни, і розповідаємо про
їхню роботу за кордоном.

Ми працюємо над позитивною програмою лівих і шукаємо союзників серед соціальних рухів і
лівих груп у країнах, де живемо сьогодні.
""",
        },
    },
}
