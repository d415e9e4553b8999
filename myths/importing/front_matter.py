"""What may stand around a release's title: an embargo line above it ("EMBARGOED UNTIL 00:01
GMT, 14 March 2024") and a dateline opening the lede ("LONDON, 12 March 2024 – …").

Both are read as data (an aware publish time; a place and a date) and taken out of the text, so
neither becomes the title nor stays in the lede.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone

# Month names as releases write them, in the office's languages (lower case).
_ENGLISH = "january february march april may june july august september october november december"
_FRENCH = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
MONTHS = {
    **{name: n for n, name in enumerate(_ENGLISH.split(), start=1)},
    **{name[:3]: n for n, name in enumerate(_ENGLISH.split(), start=1)},
    **{name: n for n, name in enumerate(_FRENCH.split(), start=1)},
}
# Time-zone abbreviations an embargo line may give → hours from UTC.
ZONES = {"gmt": 0, "utc": 0, "z": 0, "bst": 1, "cet": 1, "cest": 2, "eet": 2, "eest": 3, "msk": 3}

EMBARGO_RE = re.compile(
    r"^\W*(?:embargoed|embargo|under embargo|sous embargo)\b(?:\s+(?:until|till|jusqu['’]au))?"
    r"\s*[:.–—-]?\s*(?P<when>.*?)\W*$",
    re.IGNORECASE,
)
_DATE = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er)?\s+(?P<month>[^\W\d_]+)\.?,?\s+(?P<year>\d{4})"
_TIME = (
    r"(?P<hour>\d{1,2})[:.h](?P<minute>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<zone>[A-Za-z]{1,4})?"
)
DATE_RE = re.compile(_DATE, re.IGNORECASE)
TIME_RE = re.compile(_TIME, re.IGNORECASE)
_CAPITAL = r"[^\W\d_a-zà-ÿа-яёіїєґ]"  # a letter that is not lower case
# "LONDON, 12 March 2024 – The …": a place in capitals, a date, a dash, then the text.
DATELINE_RE = re.compile(
    rf"^\W*(?P<place>{_CAPITAL}(?:{_CAPITAL}|[ .’'-]){{1,60}}),\s*{_DATE}\s*[–—-]+\s*"
    r"(?P<rest>.*)$",
    re.DOTALL,
)


def read_date(text: str) -> date | None:
    """The first "14 March 2024" in `text`, or None when there is none or it is no date."""
    match = DATE_RE.search(text)
    month = MONTHS.get(match.group("month").lower()) if match else None
    if not month:
        return None
    try:
        return date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None


def read_embargo(line: str) -> tuple[bool, datetime | None]:
    """(is an embargo line, the aware time it lifts or None when it gives no readable time).

    A time without a zone is read as UTC, the usual convention of embargo lines."""
    match = EMBARGO_RE.match(line)
    if not match:
        return False, None
    when = match.group("when")
    day = read_date(when)
    if day is None:
        return True, None
    hour = minute = 0
    zone = UTC
    if clock := TIME_RE.search(DATE_RE.sub(" ", when)):
        hour, minute = int(clock.group("hour")), int(clock.group("minute"))
        if (clock.group("ampm") or "").lower().startswith("p") and hour < 12:
            hour += 12
        offset = ZONES.get((clock.group("zone") or "").lower())
        if offset:
            zone = timezone(timedelta(hours=offset))
    if hour > 23 or minute > 59:
        return True, None
    return True, datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def read_dateline(text: str) -> tuple[str, date | None, str]:
    """(place, date, the text after the dateline), or ("", None, text) when it has none."""
    match = DATELINE_RE.match(text)
    if not match:
        return "", None, text
    day = read_date(text[: match.start("rest")])
    if day is None:
        return "", None, text
    return match.group("place").strip(), day, match.group("rest").strip()
