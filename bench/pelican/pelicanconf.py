"""Pelican settings for the benchmark (bench/run.py passes the content folder
and the output folder on the command line).

The same page set as the Gazette and Hugo builds, as far as Pelican goes:
article pages, paginated index, one page per tag (the entities), year,
month and day archives, the Atom feed of the site and of every tag. No
search: Pelican has none built in. Caches off, so every run is a cold build.
"""
AUTHOR = "Rédaction"
SITENAME = "Archives synthétiques"
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
DEFAULT_DATE_FORMAT = "%d/%m/%Y"

DEFAULT_PAGINATION = 20
ARTICLE_URL = "articles/{slug}/"
ARTICLE_SAVE_AS = "articles/{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
YEAR_ARCHIVE_SAVE_AS = "archive/{date:%Y}/index.html"
MONTH_ARCHIVE_SAVE_AS = "archive/{date:%Y}/{date:%m}/index.html"
DAY_ARCHIVE_SAVE_AS = "dates/{date:%Y}-{date:%m}-{date:%d}/index.html"

FEED_DOMAIN = "https://example.org"
FEED_ALL_ATOM = "feed.xml"
TAG_FEED_ATOM = "tags/{slug}/feed.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

LOAD_CONTENT_CACHE = False
CACHE_CONTENT = False
DELETE_OUTPUT_DIRECTORY = False

# one author for every article: its pages would only repeat the index. The
# default theme links every article to its category, so the (single) category
# keeps its pages.
AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
DEFAULT_CATEGORY = "archives"
