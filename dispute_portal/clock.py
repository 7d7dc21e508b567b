"""The Centre's clock: Alatau City keeps Almaty time, UTC+5 since 1 March 2024 (UTC+6
before). Deadlines count in its days; pages, rulings and notices show its hours. Pure, with
no Flask and no database, so the procedural calendar can use it too."""

from zoneinfo import ZoneInfo

ALMATY = ZoneInfo("Asia/Almaty")
