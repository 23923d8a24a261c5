"""Quotations written inside a discussion: finding them in a message or a text
(``[[…]]``, long quoted sentences, ``> `` lines), the compact answer to them, and the
cooldown that keeps a busy channel quiet. Pure: no discord, no clock, no files."""
