"""Stage 1, `gazette ingest`: seed files → records in content/.

seeds.py reads a seed (bytes → text, encoding, front matter, HTML
extraction); clean.py drops boilerplate lines (rules in boilerplate.py) and
shapes the blocks; language.py tells the language; markdown_text.py turns
blocks into Markdown, plain text and a summary; prepare.py makes one seed a
record without tags; index.py knows the records already in content/; run.py
drives the command: read, clean, tag (through enrich/), write through
records.py.
"""
