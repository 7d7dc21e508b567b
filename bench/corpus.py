"""Words for the benchmark's cases: people and companies with English and Russian (Kazakh)
names, projects, measures and claim summaries in both languages, document names.

Enough variety for full-text search to behave as on real data: words repeat across cases
(a "solar park", "лицензии"), names repeat a little (a company files several claims), and
Russian words come in their inflected forms.
"""

from __future__ import annotations

import random
from decimal import Decimal


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


EN_FIRST = _words(
    "James Sarah Michael Emma David Olivia Daniel Sophie Thomas Laura Robert Anna William "
    "Helen Richard Claire Peter Julia Mark Kate Hans Lars Pierre Marco Chen Wei Ming Mehmet "
    "Elif Jan Ingrid Omar Leila Victor Maria Paolo Yuki Kenji Aisha"
)
EN_LAST = _words(
    "Whitfield Marsh Smith Johnson Brown Taylor Wilson Evans Walker Wright Clarke Hughes "
    "Green Hall Wood Harris Martin Lewis Schmidt Müller Dubois Rossi Chen Wang Li Zhang "
    "Yilmaz Kaya Jansen Nielsen Novak Kowalski Tanaka Sato Haddad Costa Fischer Weber"
)
RU_FIRST_M = _words(
    "Нурлан Ерлан Тимур Марат Бауыржан Асхат Данияр Руслан Алексей Дмитрий Сергей Андрей "
    "Михаил Арман Айдар Олжас Канат Серик Ержан Бекзат"
)
RU_FIRST_F = _words(
    "Айгерим Гульнара Дана Асель Динара Жанар Алия Мадина Елена Ольга Наталья Анна Сауле "
    "Камила Аружан Томирис Жулдыз Салтанат"
)
RU_LAST = _words(
    "Абенов Ахметов Омаров Касымов Жунусов Мухамедов Сейткалиев Бекмуханов Иванов Петров "
    "Смирнов Кузнецов Нургалиев Исабеков Тулегенов Сапаров Байжанов Кенжебаев Ермеков "
    "Садыков Рахимов Абдрахманов Калиев Досмагамбетов Жаксыбеков Султанов Утепов Муратов"
)
TITLES = ("", "", "", "", "Dr. ", "Prof. ")

EN_ROOT = _words(
    "Steppe|Caspian|Altyn|Silk Road|Nomad|Tengri|Alatau|Eurasia|Turan|Aral|Zhetysu|Saryarka|"
    "Nordic|Orient|Pamir|Tien Shan|Ili|Kapchagay|Baiterek|Khan Tengri|Shymbulak|Balkhash|"
    "Irtysh|Astana|Great Steppe|Snow Leopard|Blue Lake|Sunrise|Meridian|Harbour|Northern Star|"
    "Atlas|Granite|Emerald|Falcon|Horizon|Summit|Vega|Polaris|Crescent",
    "|",
)
EN_TRADE = _words(
    "Solar|Wind Power|Energy|Logistics|Agro|Mining|Fintech|Data Centres|Cement|Glass Works|"
    "Textile|Medical|Green Hydrogen|Construction|Pharma|Foods|Telecom|Water|Steel|Chemicals|"
    "Hotels|Motors|Grain|Copper|Real Estate|Capital|Infrastructure|Aviation",
    "|",
)
EN_FORM = _words(
    "LLP|Ltd|JSC|LLC|GmbH|BV|Co.|PLC|AG|SA|Holdings Ltd|Partners LLP|Group Ltd|Investments BV",
    "|",
)
RU_ROOT = _words(
    "Алтын|Степной|Каспий|Жетысу|Сарыарка|Тенгри|Номад|Алатау|Евразия|Туран|Байтерек|Балхаш|"
    "Иртыш|Шелковый путь|Хан Тенгри|Медеу|Кокжиек|Самал|Береке|Достык|Арай|Нур|Ак Жол|Мерей",
    "|",
)
RU_TRADE = _words(
    "Энерго|Логистик|Агро|Майнинг|Строй|Фарм|Телеком|Транс|Инвест|Сервис|Цемент|Текстиль|"
    "Медикал|Зерно|Металл|Девелопмент|Сталь|Химпром",
    "|",
)
RU_FORM = ("ТОО", "ТОО", "АО", "ООО")
COUNTRIES = ("KZ",) * 6 + ("CN", "CN", "DE", "GB", "NL", "TR", "US", "AE", "KR", "SE", "CY", "RU")
COUNSEL_FIRMS = (
    "Bekova & Partners",
    "Dentons Almaty",
    "GRATA International",
    "Kinstellar",
    "Aequitas",
    "Unicase",
    "Baker McKenzie",
    "White & Case",
    "Сабырбаев и партнёры",
    "Юридическая фирма «Закон»",
)

# (English, Russian, kind) of the bodies and state companies that investors claim against.
RESPONDENT_BODIES = (
    ("Akimat of Alatau City", "Акимат города Алатау", "state_body"),
    (
        "State Revenue Department of Alatau City",
        "Департамент государственных доходов по городу Алатау",
        "state_body",
    ),
    ("Alatau City Land Committee", "Земельный комитет города Алатау", "state_body"),
    (
        "Department of Architecture of Alatau City",
        "Управление архитектуры и градостроительства города Алатау",
        "state_body",
    ),
    (
        "Ministry of Digital Development (Alatau City office)",
        "Министерство цифрового развития (представительство в городе Алатау)",
        "state_body",
    ),
    ("Financial Regulator of Alatau City", "Финансовый регулятор города Алатау", "state_body"),
    ("Alatau City Development Company JSC", "АО «Алатау Сити Девелопмент»", "company"),
    ("Alatau Power Distribution LLP", "ТОО «Алатау Энергораспределение»", "company"),
    ("Alatau Industrial Park JSC", "АО «Индустриальный парк Алатау»", "company"),
    ("Customs Department of Alatau City", "Департамент таможенного контроля города Алатау",
     "state_body"),
    ("Alatau City Water Utility", "ГКП «Алатау Су Арнасы»", "company"),
    ("Ecology Department of Alatau City", "Департамент экологии города Алатау", "state_body"),
    (
        "Ministry of Energy (Alatau City office)",
        "Министерство энергетики (представительство в городе Алатау)",
        "state_body",
    ),
    (
        "Alatau Special Economic Zone Administration",
        "Администрация специальной экономической зоны «Алатау»",
        "state_body",
    ),
    ("Committee for Geology and Subsoil Use", "Комитет геологии и недропользования", "state_body"),
    ("Alatau City Transport Department", "Управление пассажирского транспорта города Алатау",
     "state_body"),
    ("Alatau Airport JSC", "АО «Международный аэропорт Алатау»", "company"),
    ("Kazakhstan Railways (Alatau branch)", "АО «Қазақстан темір жолы» (филиал Алатау)", "company"),
    ("Alatau City Health Department", "Управление здравоохранения города Алатау", "state_body"),
    ("Alatau Tourism Authority", "Управление туризма города Алатау", "state_body"),
)  # fmt: skip

# (English, Russian, sector (cases.subject.Sector)); {n} a number, {name} a name.
PROJECTS = (
    ("{n} MW solar park", "Солнечная электростанция мощностью {n} МВт", "energy"),
    ("Wind farm of {n} turbines", "Ветровая электростанция на {n} турбин", "energy"),
    ("Bonded logistics warehouse complex", "Логистический складской комплекс", "transport"),
    ("Boutique hotel on the lakefront", "Гостиница на берегу озера", "tourism"),
    ("Fruit processing and cold storage plant", "Завод по переработке фруктов и холодильный склад",
     "agriculture"),
    ("Tier III data centre", "Центр обработки данных уровня Tier III", "information"),
    ("Green hydrogen pilot plant", "Опытный завод по производству зелёного водорода", "energy"),
    ("Residential complex {name}", "Жилой комплекс «{name}»", "construction"),
    ("Digital payments platform", "Платформа цифровых платежей", "finance"),
    ("Textile factory", "Текстильная фабрика", "other_industry"),
    ("Cement plant", "Цементный завод", "other_industry"),
    ("Private hospital", "Частная многопрофильная больница", "services"),
    ("Float glass line", "Линия по производству листового стекла", "other_industry"),
    ("Grain terminal", "Зерновой терминал", "agriculture"),
    ("Copper mine and concentrator", "Горнодобывающее предприятие по добыче меди", "extractive"),
    ("Technology park, phase {k}", "Технопарк, {k}-я очередь", "information"),
    ("Pharmaceutical plant", "Фармацевтический завод", "other_industry"),
    ("Shopping and business centre", "Торгово-деловой центр", "construction"),
    ("Water treatment plant", "Станция очистки воды", "water"),
    ("Car assembly plant", "Автосборочный завод", "other_industry"),
)  # fmt: skip
ESTATES = ("Altyn Bulak", "Samal", "Nurly Tau", "Koktem", "Zhuldyz", "Aksai", "Orbita", "Medeu")

MEASURES = (
    ("Termination of the land lease for the project site.",
     "Расторжение договора аренды земельного участка под проект."),
    ("Withdrawal of the customs warehouse licence and assessment of back taxes.",
     "Отзыв лицензии таможенного склада и доначисление налогов."),
    ("Refusal to connect the facility to the city utility network.",
     "Отказ в подключении объекта к городским инженерным сетям."),
    ("Change of the electricity tariffs promised in the investment contract.",
     "Изменение тарифов на электроэнергию, гарантированных инвестиционным контрактом."),
    ("Revocation of the tax preferences granted for ten years.",
     "Отмена налоговых преференций, предоставленных на десять лет."),
    ("Non-payment for delivered equipment and termination of the contract.",
     "Неоплата поставленного оборудования и расторжение договора."),
    ("Re-zoning of the land plot for residential use.",
     "Изменение целевого назначения земельного участка под жилую застройку."),
    ("Suspension of the building permit.", "Приостановление разрешения на строительство."),
    ("Refusal to renew the operating licence.",
     "Отказ в продлении лицензии на осуществление деятельности."),
    ("Expropriation of part of the quarry without compensation.",
     "Изъятие части карьера без выплаты компенсации."),
    ("Refusal to refund VAT on imported equipment.",
     "Отказ в возврате НДС по импортированному оборудованию."),
    ("Cancellation of the land allocation.",
     "Аннулирование решения о предоставлении земельного участка."),
    ("Withdrawal of the special economic zone participant status.",
     "Лишение статуса участника специальной экономической зоны."),
    ("Refusal to extend the subsoil use licence.",
     "Отказ в продлении лицензии на недропользование."),
    ("Seizure of imported goods by the customs authority.",
     "Арест ввезённых товаров таможенным органом."),
)  # fmt: skip
BASES = (
    ("investment_law", "Article {n} of the Law on the special status of Alatau City",
     "статья {n} Закона о специальном статусе города Алатау", "the Law on the special status",
     "Закона о специальном статусе"),
    ("investment_contract", "Investment agreement No. {n}-IA of {y}",
     "Инвестиционное соглашение № {n}-IA от {y} года", "the investment agreement",
     "инвестиционного соглашения"),
    ("treaty", "Bilateral investment treaty, Article {n}",
     "Двустороннее соглашение о защите инвестиций, статья {n}",
     "the bilateral investment treaty", "двустороннего соглашения о защите инвестиций"),
    ("other", "Public-private partnership agreement of {y}",
     "Соглашение о государственно-частном партнёрстве от {y} года",
     "the public-private partnership agreement", "соглашения о государственно-частном партнёрстве"),
)  # fmt: skip
CURRENCIES = (("USD", 45), ("EUR", 15), ("KZT", 30), ("CNY", 10))
USD_PER_UNIT = {
    "USD": Decimal("1"),
    "EUR": Decimal("1.08"),
    "KZT": Decimal("0.002"),
    "CNY": Decimal("0.14"),
}

CLAIM_DOCUMENTS = {
    "en": _words(
        "Statement of claim.pdf|Investment agreement.pdf|Power of attorney.pdf|"
        "Certificate of incorporation.pdf|Land lease agreement.pdf|Notice of termination.pdf|"
        "Correspondence with the respondent.pdf|Expert valuation report.pdf|Bank statements.pdf|"
        "Construction permit.pdf|Tax assessment.pdf|Exhibit C-{n}.pdf",
        "|",
    ),
    "ru": _words(
        "Исковое заявление.pdf|Инвестиционный договор.pdf|Доверенность.pdf|"
        "Свидетельство о регистрации.pdf|Договор аренды земли.pdf|Уведомление о расторжении.pdf|"
        "Переписка с ответчиком.pdf|Отчёт об оценке.pdf|Выписки по счёту.pdf|"
        "Разрешение на строительство.pdf|Налоговое уведомление.pdf|Приложение C-{n}.pdf",
        "|",
    ),
}
SUBMISSIONS = {
    "en": _words(
        "Memorial|Counter-memorial|Reply|Rejoinder|Witness statement|Expert report|"
        "Request for documents|Post-hearing brief|Submission on costs",
        "|",
    ),
    "ru": _words(
        "Меморандум|Контрмеморандум|Возражения|Ответ на возражения|Показания свидетеля|"
        "Заключение эксперта|Ходатайство об истребовании документов|Итоговые пояснения|"
        "Заявление о расходах",
        "|",
    ),
}
RESPONSE_TITLE = {"en": "Response to the claim", "ru": "Отзыв на исковое заявление"}
RESPONSE_BODY = {
    "en": "The respondent denies the claim: the measure was taken lawfully and in the public "
    "interest, and the claimant was heard before it was taken.",
    "ru": "Ответчик не признаёт иск: мера принята законно и в общественных интересах, истец был "
    "заслушан до её принятия.",
}
EXHIBIT_NAMES = {
    "en": "Exhibit {side}-{n}.pdf|Annex {n}.pdf|Witness statement of {person}.pdf|"
    "Expert report.pdf",
    "ru": "Приложение {side}-{n}.pdf|Документ {n}.pdf|Показания свидетеля {person}.pdf|"
    "Заключение.pdf",
}
NEUTRALS_NOTE = {
    "en": "Settlement position (for the mediator).pdf",
    "ru": "Позиция по урегулированию (для медиатора).pdf",
}

NOTES = {
    "return": (
        "Please attach the investment agreement and a power of attorney for the person who "
        "signs the claim.",
        "The amount claimed is not broken down. Amend the dispute section.",
        "Приложите инвестиционный договор и доверенность лица, подписавшего иск.",
    ),
    "reject": (
        "The dispute concerns a measure of general application and is not an investment "
        "dispute within the centre's jurisdiction.",
        "The claimant has not shown an investment in Alatau City.",
        "Спор не является инвестиционным и не подведомствен Центру.",
    ),
    "settle": (
        "1. The respondent transfers an equivalent plot to the claimant within 60 days.\n\n"
        "2. The claimant withdraws all claims concerning the original plot.",
        "1. The respondent reinstates the licence.\n\n2. Each party bears its own costs.",
        "1. Ответчик выплачивает истцу компенсацию в течение 30 дней.\n\n"
        "2. Истец отказывается от иска.",
    ),
    "impasse": (
        "The parties could not agree on compensation.",
        "The respondent declined to take part in further sessions.",
        "Стороны не достигли соглашения о размере компенсации.",
    ),
    "procedural_order": (
        "Procedural order No. {n}. The claimant files its memorial within 30 days; the "
        "respondent its counter-memorial within 30 days after that.",
        "Procedural order No. {n}. The hearing is held in Alatau City; each side may call "
        "three witnesses.",
        "Процессуальное постановление № {n}. Слушание состоится в городе Алатау.",
    ),
    "issue_award": (
        "The tribunal finds that the measure was an expropriation and that no compensation was "
        "paid.\n\nThe respondent shall pay the claimant the amount awarded with simple interest "
        "at 5% a year.",
        "The tribunal dismisses the claim for lost profits and awards the costs of the "
        "investment with interest.",
        "Состав арбитража признаёт меру незаконной и взыскивает с ответчика компенсацию.",
    ),
    "dismiss": (
        "The claim is dismissed: the claimant did not prove its investment.",
        "Иск оставлен без удовлетворения.",
    ),
    "withdraw": (
        "The parties are negotiating directly.",
        "The dispute was resolved out of court.",
        "Стороны урегулировали спор во внесудебном порядке.",
    ),
}


def person(r: random.Random) -> tuple[str, str]:
    """(name, language) of a person: Kazakh or Russian in Cyrillic, or a Latin name."""
    if r.random() < 0.55:
        last = r.choice(RU_LAST)
        if r.random() < 0.5:
            return f"{r.choice(RU_FIRST_M)} {last}", "ru"
        return f"{r.choice(RU_FIRST_F)} {last}а", "ru"
    return f"{r.choice(EN_FIRST)} {r.choice(EN_LAST)}", "en"


def staff_name(r: random.Random) -> str:
    name, language = person(r)
    return (r.choice(TITLES) if language == "en" else "") + name


def company(r: random.Random, language: str) -> str:
    if language == "ru":
        return f"{r.choice(RU_FORM)} «{r.choice(RU_ROOT)} {r.choice(RU_TRADE)}»"
    return f"{r.choice(EN_ROOT)} {r.choice(EN_TRADE)} {r.choice(EN_FORM)}"


def amount(r: random.Random, currency: str) -> Decimal:
    usd = Decimal(int(10 ** r.uniform(5, 8.3))).quantize(Decimal("1000"))
    return (usd / USD_PER_UNIT[currency]).quantize(Decimal("0.01"))


def claim(r: random.Random, language: str, year: int) -> dict:
    """The investment and dispute sections of a claim, in its language (Kazakh claims are
    written in Russian here)."""
    ru = language != "en"
    project = r.choice(PROJECTS)
    values = {"n": r.choice((12, 20, 35, 50, 80, 120, 150, 200)), "k": r.randint(2, 4)}
    values["name"] = r.choice(ESTATES)
    title = (project[1] if ru else project[0]).format(**values)
    zone = r.randint(1, 9)
    location = f"город Алатау, зона {zone}" if ru else f"Alatau City, Zone {zone}"
    currency = r.choices([c for c, _ in CURRENCIES], [w for _, w in CURRENCIES])[0]
    invested = amount(r, currency)
    claimed = (invested * Decimal(str(round(r.uniform(0.3, 2.2), 2)))).quantize(Decimal("0.01"))
    measure = r.choice(MEASURES)[1 if ru else 0]
    basis = r.choice(BASES)
    ref = (basis[2] if ru else basis[1]).format(n=r.randint(3, 40), y=year - r.randint(1, 6))
    if ru:
        spaced = f"{invested:,.0f}".replace(",", " ")
        summary = (
            f"Истец инвестировал {spaced} {currency} в проект «{title}» ({location}). "
            f"{measure} Истец считает эту меру нарушением {basis[4]} и требует компенсации "
            "понесённых убытков и упущенной выгоды."
        )
        relief = "Признать меру незаконной и взыскать компенсацию с процентами."
    else:
        summary = (
            f"The claimant invested {currency} {invested:,.0f} in the {title[0].lower()}"
            f"{title[1:]} in {location}. {measure} The claimant considers the measure a breach "
            f"of {basis[3]} and seeks compensation for its losses and lost profits."
        )
        relief = "Declare the measure unlawful and award compensation with interest."
    return {
        "project_name": title,
        "sector": project[2],
        "location": location,
        "amount_invested": invested,
        "invested_currency": currency,
        "summary": summary,
        "measures": measure,
        "legal_basis": basis[0],
        "legal_basis_ref": ref,
        "relief_sought": relief,
        "amount_claimed": claimed,
        "claimed_currency": currency,
    }


def note(r: random.Random, action: str, n: int = 1) -> str:
    return r.choice(NOTES[action]).format(n=n)
