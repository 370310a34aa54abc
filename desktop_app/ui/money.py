"""Prices as people type and read them (major units: 35.50) and as the protocol sends them
(integer minor units with an ISO 4217 code: 3550 EUR).

How many minor units a currency has is ISO 4217's exponent: 2 for most; the exceptions are listed
here (the standard's table, which Qt does not expose).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QLocale

_EXPONENTS: dict[str, int] = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}
# Offered first in the currency box; any other three-letter code may be typed.
COMMON_CURRENCIES = ("EUR", "USD", "GBP", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY")


def exponent(currency: str) -> int:
    """The number of decimal places of `currency` (ISO 4217): EUR 2, JPY 0, KWD 3."""
    return _EXPONENTS.get(currency, 2)


class PriceError(ValueError):
    """A price that cannot be read: `kind` says why ("number", "negative", "places"; the UI
    puts it into words), `places` how many decimal places the currency allows."""

    def __init__(self, kind: str, places: int = 2) -> None:
        super().__init__(kind)
        self.kind = kind
        self.places = places


def parse_price(text: str, currency: str) -> int:
    """Minor units of a price typed in major units: "35", "35.5", "35,50", "1 234,50" → 3550 …

    Raises PriceError for anything else: a negative price, letters, more decimal places than the
    currency has."""
    typed = "".join(text.split()).replace("'", "")
    if "," in typed and "." in typed:  # 1.234,50 or 1,234.50: the last one is the decimal mark
        mark = "," if typed.rfind(",") > typed.rfind(".") else "."
        typed = typed.replace("." if mark == "," else ",", "").replace(mark, ".")
    else:
        typed = typed.replace(",", ".")
    places = exponent(currency)
    try:
        amount = Decimal(typed)
    except InvalidOperation:
        raise PriceError("number", places) from None
    if not amount.is_finite():
        raise PriceError("number", places)
    if amount < 0:
        raise PriceError("negative", places)
    minor = amount.scaleb(places)
    if minor != minor.to_integral_value():
        raise PriceError("places", places)
    return int(minor)


def major_text(minor: int, currency: str) -> str:
    """The price for a field, in major units with the currency's places ("35.00"), unlocalised
    so that it reads back the same."""
    places = exponent(currency)
    return f"{Decimal(minor).scaleb(-places):.{places}f}"


def price_label(minor: int | None, currency: str | None, locale: QLocale | None = None) -> str:
    """The price as a list shows it ("35,00 EUR" in German); "" when there is none."""
    if minor is None or currency is None:
        return ""
    places = exponent(currency)
    amount = (locale or QLocale()).toString(minor / 10**places, "f", places)
    return f"{amount} {currency}"
