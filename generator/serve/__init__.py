"""Stage 4, `gazette serve`: the local preview.

preview.py runs it (build, watch, rebuild); watch.py turns file events into
changes; http.py serves the pages of a PageSource (pages.py: the built
folder, or pages over it) within the bounds of limits.py (connections,
request heads, event streams); livereload.py tells open tabs the build
status, history.py remembers which site paths each generation changed and
tabs.py decides which tabs reload (only those whose page changed).
"""
