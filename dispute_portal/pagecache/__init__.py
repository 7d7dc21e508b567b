"""The page cache: the rendered body of the main pages, kept until anything it shows changes.

A page is stored under a key made of everything that can change what its reader sees: the
code's generation, the address with its query, the reader, the language, the day in Almaty
and the data version, a random token that every transaction writing a row a page may show
replaces as it commits (tracking.py). The per-request parts (the CSRF token, one-time form
tokens, the flashes, the unread count) are holes filled at every answer (page.py). The
store is Redis in production and a bounded map in each process otherwise (store.py).
"""
