"""How figures are written: the only rounding in the product, so every output agrees.

The progress module computes in full ``Decimal`` precision; the grid, the CLI, the PDF and the
Excel file show its figures through these (``progress`` re-exports them).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

from .projection import DECIMAL_CONTEXT

ONE = Decimal(1)
HUNDRED = Decimal(100)


def percent_text(d: Decimal | None, places: int = 1) -> str:
    """0.638297… → "63.8%" (half-up, as Chinese statistical tables round); None → "—"."""
    if d is None:
        return "—"
    with localcontext(DECIMAL_CONTEXT):
        q = (d * HUNDRED).quantize(ONE.scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{abs(q) if q == 0 else q}%"


def fraction(d: Decimal | None, places: int = 4) -> float | None:
    """A fraction for JSON/Excel, rounded half-up to ``places`` decimals; None stays None."""
    if d is None:
        return None
    with localcontext(DECIMAL_CONTEXT):
        return float(d.quantize(ONE.scaleb(-places), rounding=ROUND_HALF_UP))


def number_text(d: Decimal | None) -> str:
    """A value as people write it: 15.0 → "15", 33.040 → "33.04"; long quotients to 4 places."""
    if d is None:
        return "—"
    with localcontext(DECIMAL_CONTEXT):
        if d.as_tuple().exponent < -6:  # type: ignore[operator]
            d = d.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
        d = d.normalize()
        return format(abs(d) if d == 0 else d, "f")
