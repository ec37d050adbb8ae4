"""Hostile input on every form and JSON endpoint: wrong types, lists, empty and missing
fields, very long strings, huge and negative numbers, NUL characters, foreign and unknown ids.

Each request answers a clean 4xx, or the form again with its error (200 for HTML forms, a
redirect with a message for the no-JavaScript exam forms); never a 500, and it writes
nothing: every test compares a snapshot of the database before and after. Control tests
show that the good request behind each table does work, so that a case fails for its
hostile part alone. One module per app (exam, accounts, cohorts, admin), and test_sessions
plays a hostile user's session: replays, doctored forms, two tabs.

conftest.py builds the world every table attacks; helpers.py says what "writes nothing"
means and names the attempt URLs the tables aim at.
"""
