"""Document readers: bytes of HTML, PDF or text in, the corpus's plain text format out.

Pure parsing, no files or network (those are in :mod:`bot.fetching` and the
``import`` command). Each reader returns a :class:`~bot.readers.blocks.Reading`.
"""
