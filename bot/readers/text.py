"""Read a plain text file: it is already the corpus's format, once it is UTF-8."""

from __future__ import annotations

from bot.readers.blocks import Reading, describe


def read_text(data: bytes) -> tuple[str, Reading]:
    """The text of *data* (UTF-8, UTF-16 with a BOM, else Windows-1252, logged), with
    what its first lines say about the document."""
    reading = Reading()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16")
        reading.clean("encoding", "UTF-16", "decoded from UTF-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
            reading.clean("encoding", "Windows-1252", "not UTF-8: decoded as Windows-1252")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\0", "")
    describe(reading, "\n".join(text.splitlines()[:12]))
    return text if text.endswith("\n") else text + "\n", reading
