"""Stage 3, `gazette build` and `gazette check`: content/ → a static site.

library.py loads every record into the Library; related.py finds related
articles; views.py plans every page (pure); render.py renders them with the
theme; search.py indexes article pages with Pagefind; output.py owns the
output folder; build.py drives the build; check.py validates a built site.
"""
