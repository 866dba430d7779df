"""Specification of publish.build.figures: how the annex's Danish number expressions are read.

The table below is the contract with the curated YAML (`expression:` fields): each row is an
expression as it appears in the annex and the quantity the build must record for it. The
properties after it pin the conventions down for inputs nobody thought of.
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from publish.build.figures import RATIO_PLACES, Quantity, parse_quantity
from publish.errors import BuildError, FigureError

D = Decimal
UNITS = {"DKK", "percent", "ratio", "years", None}
QUALIFIERS = [
    "ca.",
    "omkring",
    "godt",
    "knap",
    "over",
    "mere end",
    "mindst",
    "godt og vel",
    "op til",
]


def row(text, value, unit=None, qualifier=None, low=None, high=None):
    """One row of the table, with the expression itself as the test id."""
    return pytest.param(text, D(value), unit, qualifier, low, high, id=repr(text))


# text, value, unit, qualifier, low, high
EXPRESSIONS = [
    # money: scale words multiply, "kr." makes it DKK, value in kroner
    row("152 mia. kr.", "152000000000", "DKK"),
    row("366 mia. kr.", "366000000000", "DKK"),
    row("40 mio. kr.", "40000000", "DKK"),
    row("ca. 5 mia. kr.", "5000000000", "DKK", "ca."),
    row("1,5 mia. kr.", "1500000000", "DKK"),  # decimal comma
    row("34 mia. kr..", "34000000000", "DKK"),  # sentence full stop fused to "kr."
    row("15 milliarder", "15000000000"),  # no "kr.": a count, the caller knows it is money
    row("15 tusinde kr", "15000", "DKK"),
    row("2 millioner kroner", "2000000", "DKK"),
    # counts: "." groups thousands
    row("15.000", "15000"),
    row("9.500", "9500"),
    row("35", "35"),
    row("ca. 200", "200", qualifier="ca."),
    row("ca. 46.000", "46000", qualifier="ca."),
    row("over 30.000", "30000", qualifier="over"),
    row("omkring 15.000", "15000", qualifier="omkring"),
    row("godt 8.500", "8500", qualifier="godt"),
    row("knap 175.000", "175000", qualifier="knap"),
    row("op til 1.000.000", "1000000", qualifier="op til"),
    row("0", "0"),
    # number words are counts too
    row("to", "2"),
    row("To", "2"),
    row("tolv", "12"),
    row("tretten", "13"),
    row("hundrede", "100"),
    # percentages keep the value as written
    row("ca. 80 %", "80", "percent", "ca."),
    row("Ca. 80 %", "80", "percent", "ca."),
    row("80%", "80", "percent"),
    row("2,5 procent", "2.5", "percent"),
    row("10-15 pct.", "12.5", "percent", low=D(10), high=D(15)),
    row("10 – 15 pct.", "12.5", "percent", low=D(10), high=D(15)),  # en dash, spaced
    # fractions are ratios, rounded to 6 places half-even
    row("3/4", "0.75", "ratio"),
    row("Ca. 3/4", "0.75", "ratio", "ca."),
    row("godt 2/3", "0.666667", "ratio", "godt"),
    row("Knap 2/3", "0.666667", "ratio", "knap"),
    row("godt og vel halvdelen", "0.5", "ratio", "godt og vel"),
    row("en halvdel", "0.5", "ratio"),
    row("mere end en tredjedel", "0.333333", "ratio", "mere end"),
    row("tredjedel", "0.333333", "ratio"),
    row("en fjerdedel", "0.25", "ratio"),
    row("kvart", "0.25", "ratio"),
    row("to tredjedele", "0.666667", "ratio"),
    row("tre fjerdedele", "0.75", "ratio"),
    # years: "år" is a duration; a bare year is a plain number the caller interprets
    row("6 år", "6", "years"),
    row("mindst 10 år", "10", "years", "mindst"),
    row("to år", "2", "years"),
    row("2014", "2014"),
    row("2015-18", "2016.5", low=D(2015), high=D(2018)),  # Danish shorthand for 2015-2018
    row("2015-2018", "2016.5", low=D(2015), high=D(2018)),
    # whitespace: any run of spaces, newlines or no-break spaces is one space
    row("ca.\n  5\u00a0mia.   kr.", "5000000000", "DKK", "ca."),
    row("  godt\tog\nvel  halvdelen ", "0.5", "ratio", "godt og vel"),
]


@pytest.mark.parametrize(("text", "value", "unit", "qualifier", "low", "high"), EXPRESSIONS)
def test_expression_parses_to_quantity(text, value, unit, qualifier, low, high):
    assert parse_quantity(text) == Quantity(text, value, unit, qualifier, low, high)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("152 mia. kr.", "152000000000"),  # never "1.52E+11": str() is valid xsd:decimal
        ("1,5 mia. kr.", "1500000000"),
        ("3/4", "0.75"),  # never "0.750000"
        ("2,50 %", "2.5"),
        ("2015-18", "2016.5"),
    ],
)
def test_values_are_canonical_decimals(text, written):
    assert str(parse_quantity(text).value) == written


def test_ratio_rounding_is_half_even():
    # 1/128 = 0.0078125 exactly: a true half at the seventh place goes to the even digit 2
    assert parse_quantity("1/128").value == D("0.007812")
    assert parse_quantity("3/128").value == D("0.023438")  # 0.0234375 -> ...38 (8 is even)


# text, a part of it the message must name
NOT_EXPRESSIONS = [
    ("", ""),
    ("   \n ", ""),
    ("abc", "abc"),
    ("1..2", "1..2"),
    ("3/0", "3/0"),
    ("1.5", "1.5"),  # English decimal point: would be off by a thousand if guessed
    ("15.0000", "15.0000"),  # thousands groups have three digits
    ("007", "007"),
    ("4.", "4."),  # ordinal ("den 4. industrielle revolution")
    ("2015-18.", "18."),  # full stop after a numeral: quote without it
    ("-5", "-5"),
    ("\u0663", "\u0663"),  # ARABIC-INDIC DIGIT THREE: int() would accept it, we do not
    ("ca.", "ca."),  # a qualifier alone
    ("ca. godt 5", "godt 5"),
    ("ca. 130 aktive medlemmer", "aktive medlemmer"),  # callers pass only the expression
    ("15-10 pct.", "15-10"),  # ranges increase
    ("10-10", "10-10"),
    ("2015-12", "2015-12"),  # not 2015-2112
    ("10-", "-"),
    ("to-tre", "-tre"),
    ("80 % kr.", "kr."),
    ("5 mio. år", "år"),
    ("5 mio. %", "%"),
    ("15 år.", "."),  # the fused full stop is only tolerated after an abbreviation
    ("15 kr. .", "."),
    ("15 årlige", "årlige"),
    ("2/3 kr.", "kr."),
    ("en halvdelen", "en halvdelen"),
    ("tre halvdele", "tre halvdele"),
    ("to tredjedel", "to tredjedel"),
    ("1" * 40, "1" * 40),
]


@pytest.mark.parametrize(
    ("text", "part"), NOT_EXPRESSIONS, ids=[repr(t) for t, _ in NOT_EXPRESSIONS]
)
def test_not_an_expression_raises_figure_error_naming_it(text, part):
    with pytest.raises(FigureError) as caught:
        parse_quantity(text)
    assert repr(text) in str(caught.value)
    assert part in str(caught.value)


@pytest.mark.parametrize("value", [15.0, 2014, None, b"15"])
def test_non_string_is_refused(value):
    # YAML reads an unquoted `expression: 15.000` as the float 15.0: that must not become 15
    with pytest.raises(FigureError, match="string"):
        parse_quantity(value)


def test_figure_error_is_a_build_error_and_a_value_error():
    with pytest.raises(BuildError):
        parse_quantity("abc")
    with pytest.raises(ValueError):
        parse_quantity("abc")


def test_quantity_is_immutable():
    quantity = parse_quantity("35")
    with pytest.raises(AttributeError):
        quantity.value = D(36)  # type: ignore[misc]


# --- properties ---------------------------------------------------------------------------


def danish(number: Decimal | int) -> str:
    """Write a number the Danish way: "." between thousands, "," before decimals."""
    return f"{number:,}".translate(str.maketrans(",.", ".,"))


def assert_well_formed(quantity: Quantity) -> None:
    """What every successful parse promises, whatever the input."""
    value = quantity.value
    assert isinstance(value, Decimal) and value.is_finite() and value >= 0
    assert quantity.unit in UNITS
    assert quantity.qualifier is None or quantity.qualifier in QUALIFIERS
    assert (quantity.low is None) == (quantity.high is None)
    if quantity.low is not None:
        assert quantity.low < value < quantity.high
        assert value == (quantity.low + quantity.high) / 2
    if value == value.to_integral_value():
        assert value.as_tuple().exponent == 0
    if quantity.unit == "ratio":
        assert value.as_tuple().exponent >= -RATIO_PLACES


@given(st.integers(min_value=0, max_value=10**12 - 1))
@example(0)
@example(999)
@example(1000)
@example(10**12 - 1)
def test_thousands_separated_integers_round_trip(n):
    assert parse_quantity(danish(n)) == Quantity(danish(n), D(n), None, None)


@given(st.decimals(min_value=0, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_decimal_comma_numbers_round_trip(number):
    text = f"{number:,.3f}".translate(str.maketrans(",.", ".,"))  # 1234.5 -> "1.234,500"
    assert parse_quantity(text).value == number


@given(
    st.integers(min_value=0, max_value=10**6),
    st.sampled_from(
        [("mio.", 6), ("mio", 6), ("millioner", 6), ("mia.", 9), ("mia", 9), ("milliarder", 9)]
    ),
    st.booleans(),
)
def test_scaled_kroner_are_base_units(n, scale, thousands_separated):
    word, power = scale
    written = danish(n) if thousands_separated else str(n)
    quantity = parse_quantity(f"{written} {word} kr.")
    assert (quantity.value, quantity.unit) == (n * 10**power, "DKK")
    assert quantity.value.as_tuple().exponent == 0


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=10**9))
def test_percent_range_has_bounds_and_midpoint(a, width):
    b = a + width
    quantity = parse_quantity(f"{a}-{b} pct.")
    assert (quantity.low, quantity.high, quantity.unit) == (a, b, "percent")
    assert quantity.value == D(a + b) / 2
    assert quantity.low <= quantity.value <= quantity.high


QUALIFIABLE = ["152 mia. kr.", "15.000", "80 %", "10-15 pct.", "2/3", "halvdelen", "to", "6 år"]


@given(
    st.sampled_from(QUALIFIERS),
    st.sampled_from(QUALIFIABLE),
    st.lists(st.booleans(), min_size=11, max_size=11),
)
def test_qualifier_in_any_case_changes_only_the_qualifier(qualifier, expression, upper):
    written = "".join(c.upper() if up else c for c, up in zip(qualifier, upper, strict=False))
    plain = parse_quantity(expression)
    qualified = parse_quantity(f"{written} {expression}")
    assert (qualified.value, qualified.unit) == (plain.value, plain.unit)
    assert (qualified.low, qualified.high) == (plain.low, plain.high)
    assert qualified.qualifier == qualifier


@given(
    st.sampled_from(["godt og vel 1,5 mia. kr.", "ca. 10-15 pct.", "mere end en tredjedel"]),
    st.lists(st.text(" \t\n\r\u00a0", min_size=1, max_size=3), min_size=8, max_size=8),
)
def test_any_whitespace_run_is_one_space(expression, gaps):
    words = expression.split(" ")
    spaced = gaps[0] + "".join(w + g for w, g in zip(words, gaps[1:], strict=False))
    quantity = parse_quantity(spaced)
    assert quantity == Quantity(spaced, *_fields(parse_quantity(expression)))


def _fields(quantity: Quantity) -> tuple:
    return quantity.value, quantity.unit, quantity.qualifier, quantity.low, quantity.high


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_fraction_is_ratio_rounded_half_even(num, den):
    with localcontext() as context:
        context.prec = 60  # enough that the oracle rounds only once
        expected = (D(num) / D(den)).quantize(D(1).scaleb(-RATIO_PLACES), ROUND_HALF_EVEN)
    quantity = parse_quantity(f"{num}/{den}")
    assert (quantity.value, quantity.unit) == (expected, "ratio")


def _parses_or_figure_error(text: str) -> None:
    try:
        quantity = parse_quantity(text)
    except FigureError:
        return
    assert quantity.text == text
    assert_well_formed(quantity)


@given(st.text())
def test_arbitrary_text_parses_or_raises_figure_error(text):
    _parses_or_figure_error(text)


TOKENS = ["ca.", "godt", "og", "vel", "mere", "end", "en", "to", "tredjedel", "halvdelen", "1",
          "15", "2015", "18", "15.000", "1,5", "3/4", "0", "-", "–", ".", ",", "/", "%", "pct.",
          "mia.", "mio.", "kr.", "kr", "år", "milliarder", "tusind", " ", "\n"]  # fmt: skip


@given(st.lists(st.sampled_from(TOKENS), max_size=8), st.sampled_from(["", " "]))
def test_near_miss_text_parses_or_raises_figure_error(tokens, joiner):
    # st.text() rarely hits the grammar; gluing its own words together does, often
    _parses_or_figure_error(joiner.join(tokens))
