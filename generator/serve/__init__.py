"""Stage 4, `gazette serve`: the local preview.

preview.py runs it (build, watch, rebuild); watch.py turns file events into
changes; http.py serves the built site within the bounds of limits.py
(connections, request heads, event streams); livereload.py tells open tabs
to reload.
"""
