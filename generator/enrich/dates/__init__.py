"""Dates an article mentions, resolved to ISO days and months.

find.py resolves phrases to dates; dateline.py reads the dateline that
opens an article (publication and update dates); grammar.py and words.py hold each
language's patterns and word tables; tense.py reads the tense of a sentence
(for "mardi", "hier"); spans.py keeps matches from overlapping.
"""
from generator.enrich.dates.dateline import Dateline, read_dateline
from generator.enrich.dates.find import DateMention, find_date_mentions, find_dateline, find_dates

__all__ = ["Dateline", "DateMention", "read_dateline", "find_date_mentions", "find_dateline", "find_dates"]
