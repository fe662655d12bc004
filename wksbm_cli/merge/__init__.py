"""Merging officers' databases (SPEC section 10): identity, the merge itself, stored conflicts.

Modules: identity (who a database is, its ref code, what a copy was made from), source (opening and
checking another file), history (what each side changed, from its audit log), engine (the merge of
one file, kind by kind), report (the counts and lists), conflicts (listing and settling them).
"""
