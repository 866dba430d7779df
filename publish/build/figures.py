"""Parse the number expressions of the annex ("ca. 5 mia. kr.", "godt 2/3") into exact quantities.

The annex is an official Danish text, so it follows Danish conventions, not English ones:

* "." separates thousands ("15.000" is fifteen thousand) and "," is the decimal comma
  ("1,5 mia. kr." is 1 500 000 000 kr.). A "." must therefore sit between groups of exactly three
  digits; "1.5" or "15.0000" is rejected rather than guessed at, because reading it the English
  way would silently be off by a factor of a thousand.
* A numeral directly followed by "." ("4.", "2015-18.") is an ordinal or a sentence full stop,
  never part of the number, so it is rejected: the caller should quote the expression without it.
  Only after a dotted abbreviation is one fused sentence full stop tolerated ("34 mia. kr.."),
  because the annex writes it that way and a verbatim quote may carry it along.
* Scale words multiply: "mia."/"milliard(er)" 10^9, "mio."/"million(er)" 10^6, "tusind(e)" 10^3.
  A scale without "kr." ("15 milliarder") is a plain count: the caller knows it is money.
* "kr."/"kr"/"kroner" make the unit "DKK"; "%"/"pct."/"procent" make it "percent" with the value as
  written (80 % is 80, not 0.8; `as_ratio` turns it into 0.8 for an indicator whose unit is a
  ratio); "år" after a number makes it "years".
* The qualifier is the word before the number ("ca.", "godt", …); the verb "overstige" (exceed)
  is the qualifier "over".
* Fractions ("3/4", "halvdelen", "to tredjedele") are ratios. A ratio's value is rounded to
  RATIO_PLACES (6) decimal places with ROUND_HALF_EVEN, since 2/3 has no finite decimal form;
  ratios that do have one within six places ("3/4" -> 0.75) are therefore exact.
* A range ("10-15 pct.", "10 – 15 pct.") keeps its bounds in `low`/`high` and its midpoint as
  `value`, so that a range can be used wherever a single figure is expected; the build publishes
  only the bounds (vl:lowerBound, vl:upperBound), never the midpoint (issue #15). The bounds must
  be increasing. "2015-18" is the Danish shorthand for the years 2015 to 2018: when a bare range
  runs from a four-digit number to a two-digit one, the second takes the century of the first
  (low 2015, high 2018, value 2016.5). The result must still be increasing, so "2015-12" is
  rejected rather than read as 2015-2112.
* A bare four-digit number ("2014") is just the number 2014 with unit None: only the caller knows
  whether it is a calendar year or a count.

Everything is exact: numbers are built with integer and Fraction arithmetic and only turned into
`Decimal` at the end, so no float and no decimal context (which is mutable, thread-wide state)
is ever involved. Integral values come out with exponent 0 ("152000000000", never "1.52E+11"),
other values without trailing zeros, so `str(value)` is ready to be written as xsd:decimal.

The grammar is deliberately closed: whatever is not understood raises FigureError naming the
expression and the part not understood, because a figure that is silently misread is worse
than a build that stops.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from publish.errors import FigureError

__all__ = ["RATIO_PLACES", "Quantity", "as_ratio", "parse_quantity"]

RATIO_PLACES = 6
"""Decimal places a ratio's value is rounded to (ROUND_HALF_EVEN): 2/3 -> 0.666667."""

# Longest first, so that "godt og vel" wins over "godt". Normalised spelling is the key.
_QUALIFIER = re.compile(
    r"(?P<q>godt og vel|mere end|overstige|op til|omkring|mindst|godt|knap|over|ca\.) ",
    re.IGNORECASE,
)
#: qualifier words that mean the same as another: the verb "overstige" (exceed) is "over"
_QUALIFIER_SAME = {"overstige": "over"}


def qualifier_word(word: str) -> str | None:
    """The qualifier a word is ("Ca." -> "ca.", "overstige" -> "over"), or None if it is none."""
    m = _QUALIFIER.fullmatch(" ".join(word.split()) + " ")
    if m is None:
        return None
    found = m["q"].lower()
    return _QUALIFIER_SAME.get(found, found)


# A word ends where the next character is not a letter ("år" must not match "årlige").
_END = r"(?![^\W\d_])"

_DIGIT_FRACTION = re.compile(r"(?P<num>[0-9]+)/(?P<den>[0-9]+)")

_FRACTION_NUMERATORS = {"en": 1, "to": 2, "tre": 3, "fire": 4}
_FRACTION_DENOMINATORS = {"halvdel": 2, "tredjedel": 3, "fjerdedel": 4, "femtedel": 5}
_WORD_FRACTION = re.compile(
    r"(?:(?P<num>" + "|".join(_FRACTION_NUMERATORS) + r") )?"
    r"(?P<den>" + "|".join(_FRACTION_DENOMINATORS) + r")"
    r"(?P<ending>ene|en|e)?" + _END,
    re.IGNORECASE,
)
_QUARTER = re.compile(r"(?:en )?kvart" + _END, re.IGNORECASE)

_NUMBER_WORDS = {
    "en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6, "syv": 7, "otte": 8,
    "ni": 9, "ti": 10, "elleve": 11, "tolv": 12, "tretten": 13, "fjorten": 14, "femten": 15,
    "seksten": 16, "sytten": 17, "atten": 18, "nitten": 19, "tyve": 20, "hundrede": 100,
}  # fmt: skip
# Longest first, so that "tretten" is not read as "tre" followed by "tten".
_NUMBER_WORD = re.compile(
    "(?P<word>" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")" + _END,
    re.IGNORECASE,
)

# Greedy on purpose: "1..2", "15.0000" and "4." are taken whole and then rejected whole, which
# gives a better message than parsing a prefix and complaining about the rest.
_NUMERAL_TOKEN = re.compile(r"[0-9][0-9.,]*")
_NUMERAL = re.compile(r"(?P<int>0|[1-9][0-9]{0,2}(?:\.[0-9]{3})+|[1-9][0-9]*)(?:,(?P<dec>[0-9]+))?")
_MAX_DIGITS = 30  # far beyond any figure in the annex; keeps int() away from its size limit
_DASH = re.compile(r" ?[-–] ?")

_SCALES = {
    "mia.": 10**9, "mia": 10**9, "milliarder": 10**9, "milliard": 10**9,
    "mio.": 10**6, "mio": 10**6, "millioner": 10**6, "million": 10**6,
    "tusinde": 10**3, "tusind": 10**3,
}  # fmt: skip
_SCALE = re.compile(
    r" (?P<scale>mia\.|mia|milliarder|milliard|mio\.|mio|millioner|million|tusinde|tusind)" + _END,
    re.IGNORECASE,
)
_CURRENCY = re.compile(r" (?:kroner|kr\.|kr)" + _END, re.IGNORECASE)
_PERCENT = re.compile(r"(?: ?%| (?:procent|pct\.|pct)" + _END + ")", re.IGNORECASE)
_YEARS = re.compile(r" år" + _END, re.IGNORECASE)


@dataclass(frozen=True)
class Quantity:
    """One parsed number expression.

    `value` is in base units (kroner, not millions of kroner) so that figures compare and add
    without knowing how they were written. For a range it is the midpoint and `low`/`high`
    hold the bounds; for anything else `low` and `high` are None. `unit` is None for a plain
    count, because only the caller knows what is counted (persons, jobs, companies, a year).
    """

    text: str  # the expression as given
    value: Decimal  # in base units; for a range, the midpoint
    unit: str | None  # "DKK" | "percent" | "ratio" | "years" | None (a plain count)
    qualifier: str | None  # "ca." | "omkring" | "godt" | "knap" | "over" | "mere end" | ...
    low: Decimal | None = None  # range bounds; None unless a range ("10-15 pct.")
    high: Decimal | None = None


def parse_quantity(text: str) -> Quantity:
    """Parse one Danish number expression, e.g. "ca. 5 mia. kr.", "godt 2/3" or "2015-18".

    The expression is [qualifier] magnitude [scale] [unit]; see the module docstring for the
    conventions. Raises FigureError, naming the expression and the part not understood, for
    anything outside that grammar, including non-strings: YAML turns an unquoted `15.000` into
    the float 15.0, and that must fail loudly rather than become fifteen.
    """
    if not isinstance(text, str):
        raise FigureError(
            f"number expression {text!r} is a {type(text).__name__}, not a string; "
            "quote it in the YAML so that '15.000' is not read as 15.0"
        )
    s = " ".join(text.split())  # any run of whitespace (newlines, no-break spaces) is one space
    if not s:
        raise FigureError(f"empty number expression {text!r}")

    pos = 0
    qualifier = None
    if m := _QUALIFIER.match(s):
        qualifier = m["q"].lower()
        qualifier = _QUALIFIER_SAME.get(qualifier, qualifier)
        pos = m.end()

    ratio = _match_fraction(text, s, pos)
    if ratio is not None:
        return Quantity(text, _ratio_decimal(ratio), "ratio", qualifier)

    low, high, low_token, high_token, pos = _match_magnitude(text, s, pos)

    scale = 1
    unit = None
    if m := _SCALE.match(s, pos):
        scale = _SCALES[m["scale"].lower()]
        pos = m.end()
    if m := _CURRENCY.match(s, pos):
        unit = "DKK"
        pos = m.end()
    elif scale == 1 and (m := _PERCENT.match(s, pos)):
        unit = "percent"
        pos = m.end()
    elif scale == 1 and (m := _YEARS.match(s, pos)):
        unit = "years"
        pos = m.end()
    if s.endswith("..") and pos == len(s) - 1:
        pos += 1  # a sentence full stop fused to the abbreviation: "34 mia. kr.."
    if pos != len(s):
        raise _not_understood(
            text,
            s[pos:].strip(),
            "expected a scale (mio., mia., tusind) or a unit (kr., %, pct., procent, år)",
        )

    if high is None:
        return Quantity(text, _exact_decimal(low * scale), unit, qualifier)

    # "2015-18": the second year takes the first's century. A four-digit-to-two-digit range
    # could never increase otherwise, so this reading shadows no other valid one.
    if unit is None and scale == 1 and _is_year_shorthand(low_token, high_token):
        high = low - low % 100 + high
    if not low < high:
        raise FigureError(
            f"cannot parse number expression {text!r}: the range {low_token}-{high_token} "
            "does not increase"
        )
    low, high = low * scale, high * scale
    return Quantity(
        text,
        _exact_decimal((low + high) / 2),
        unit,
        qualifier,
        low=_exact_decimal(low),
        high=_exact_decimal(high),
    )


def as_ratio(q: Quantity) -> Quantity:
    """A percentage as the ratio it states ("Ca. 80 %" -> 0.8, "10-15 pct." -> 0.1 … 0.15).

    One unit per indicator: a share is a ratio even where the annex writes "%" (issue #15).
    Exact: the value is divided by 100 in Fraction arithmetic. Anything but a percentage is
    returned unchanged.
    """
    if q.unit != "percent":
        return q

    def ratio(d: Decimal | None) -> Decimal | None:
        return None if d is None else _exact_decimal(Fraction(d) / 100)

    value = ratio(q.value)
    assert value is not None
    return Quantity(q.text, value, "ratio", q.qualifier, ratio(q.low), ratio(q.high))


def _match_fraction(text: str, s: str, pos: int) -> Fraction | None:
    """A fraction ("3/4", "en tredjedel", "kvart") at `pos`, which must end the expression.

    Nothing may follow a fraction: "2/3 kr." has no meaning, so it is an error, not a ratio.
    """
    if m := _DIGIT_FRACTION.match(s, pos):
        num, den = m["num"], m["den"]
        if len(num) > _MAX_DIGITS or len(den) > _MAX_DIGITS:
            raise _not_understood(text, m[0], "too many digits")
        if int(den) == 0:
            raise _not_understood(text, m[0], "division by zero")
        fraction = Fraction(int(num), int(den))
    elif m := _WORD_FRACTION.match(s, pos):
        num = _FRACTION_NUMERATORS[m["num"].lower()] if m["num"] else 1
        den = _FRACTION_DENOMINATORS[m["den"].lower()]
        ending = (m["ending"] or "").lower()
        # Danish agreement: "en tredjedel"/"tredjedelen" (one), "to tredjedele(ne)" (several);
        # "en halvdelen" or "tre halvdele" are not Danish and are more likely typos than intent.
        singular_ok = num == 1 and ending in ("", "en") and not (m["num"] and ending == "en")
        plural_ok = num > 1 and ending in ("e", "ene")
        if not (singular_ok or plural_ok) or num >= den:
            raise _not_understood(text, m[0], "not a Danish fraction")
        fraction = Fraction(num, den)
    elif m := _QUARTER.match(s, pos):
        fraction = Fraction(1, 4)
    else:
        return None
    if m.end() != len(s):
        raise _not_understood(text, s[m.end() :].strip(), "nothing may follow a fraction")
    return fraction


def _match_magnitude(
    text: str, s: str, pos: int
) -> tuple[Fraction, Fraction | None, str, str | None, int]:
    """A number word, a numeral or a numeral range at `pos`.

    Returns (low, high, low_token, high_token, end); `high` and `high_token` are None unless
    it is a range. The tokens are kept because the year shorthand depends on how the bounds
    were written, not only on their values.
    """
    if m := _NUMBER_WORD.match(s, pos):
        return Fraction(_NUMBER_WORDS[m["word"].lower()]), None, m[0], None, m.end()
    if not (m := _NUMERAL_TOKEN.match(s, pos)):
        raise _not_understood(text, s[pos:], "expected a number")
    low_token, pos = m[0], m.end()
    low = _numeral(text, low_token)
    if (dash := _DASH.match(s, pos)) and (m := _NUMERAL_TOKEN.match(s, dash.end())):
        high_token = m[0]
        return low, _numeral(text, high_token), low_token, high_token, m.end()
    return low, None, low_token, None, pos


def _numeral(text: str, token: str) -> Fraction:
    """The exact value of a Danish numeral: "." groups thousands, "," is the decimal comma."""
    m = _NUMERAL.fullmatch(token)
    if m is None:
        reason = (
            "a number followed by '.' is an ordinal or a full stop; leave the '.' out"
            if token.endswith(".") and _NUMERAL.fullmatch(token[:-1])
            else "not a Danish numeral ('.' groups thousands in threes, ',' is the decimal comma)"
        )
        raise _not_understood(text, token, reason)
    digits = m["int"].replace(".", "")
    decimals = m["dec"] or ""
    if len(digits) + len(decimals) > _MAX_DIGITS:
        raise _not_understood(text, token, "too many digits")
    return Fraction(int(digits + decimals), 10 ** len(decimals))


def _is_year_shorthand(low_token: str, high_token: str | None) -> bool:
    """Whether a range is written like "2015-18": four plain digits, then two."""
    return (
        high_token is not None
        and len(low_token) == 4
        and low_token.isdigit()
        and len(high_token) == 2
        and high_token.isdigit()
    )


def _exact_decimal(q: Fraction) -> Decimal:
    """`q` as a Decimal, exactly; `q` must have a finite decimal expansion.

    Everything that reaches here is built from finite decimals by scaling and halving, so the
    denominator has no prime factors other than 2 and 5, and the conversion is exact.
    """
    den = q.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:  # pragma: no cover - would be a bug in this module, not in the input
        raise AssertionError(f"{q} has no finite decimal expansion")
    places = max(twos, fives)
    return _decimal(q.numerator * 10**places // q.denominator, -places)


def _ratio_decimal(q: Fraction) -> Decimal:
    """`q` rounded to RATIO_PLACES decimal places, halves to even (Fraction's round does that)."""
    return _decimal(round(q * 10**RATIO_PLACES), -RATIO_PLACES)


def _decimal(mantissa: int, exponent: int) -> Decimal:
    """mantissa * 10**exponent in canonical form: exponent 0 if integral, else no trailing zeros.

    Canonical so that str() gives "152000000000" and "0.75", not "1.52E+11" or "0.750000".
    """
    while exponent < 0 and mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    if exponent >= 0:
        return Decimal(mantissa * 10**exponent)
    sign = 0 if mantissa >= 0 else 1
    return Decimal((sign, tuple(int(d) for d in str(abs(mantissa))), exponent))


def _not_understood(text: str, part: str, reason: str) -> FigureError:
    """The one error shape: which expression, which part of it, and why."""
    return FigureError(
        f"cannot parse number expression {text!r}: {part!r} not understood ({reason})"
    )
