"""Lightstick: a Discord bot for fan communities."""

__version__ = "0.1.0"
