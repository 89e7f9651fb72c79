"""The stock the service reports, and what counts as low."""

STOCK = {"bolts": 1200, "nuts": 840, "washers": 35, "hinges": 4}
LOW = 50


def report():
    """Every item with its count, and the items running low."""
    return {
        "items": dict(sorted(STOCK.items())),
        "low": sorted(name for name, n in STOCK.items() if n < LOW),
    }
