"""Gazette: a static archival site generator for news."""

__version__ = "0.1.0"
