"""inventory: stock levels over HTTP, standard library only."""

__version__ = "0.4.0"
