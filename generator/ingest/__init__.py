"""Stage 1, `gazette ingest`: seed files → records in content/.

seeds.py reads a seed (bytes → text, encoding, front matter, HTML
extraction, what the extractor left out; html_dates.py a page's update
date); clean.py drops boilerplate lines (rules in boilerplate.py) and shapes
the blocks; title.py decides whether a first line is a title and derives
one when it is not; language.py tells the language; markdown_text.py turns
blocks into Markdown, plain text and a summary; prepare.py makes one seed a
record without tags; kept_dates.py keeps a --date or a hand-corrected date;
near_duplicates.py and copies.py group wire copies into one record;
index.py knows the records already in content/; run.py drives the command:
read, clean, tag (through enrich/), group, write through records.py.
"""
