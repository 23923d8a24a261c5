"""A polite HTTP client for ``bluebook-bot import``.

A clear User-Agent; one request at a time with :data:`DELAY` seconds between
requests to a host; robots.txt honoured; every response kept in an on-disk cache
so an interrupted import resumes without fetching the same page twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import urllib.error
import urllib.request
import urllib.robotparser
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot import __version__
from bot.core.errors import ContentError, Problem
from bot.storage.files import write_atomically

log = logging.getLogger(__name__)

USER_AGENT = (f"bluebook-bot/{__version__} (Diplomatic Bluebook corpus import; "
              "one request at a time)")
DELAY = 2.0  # seconds between two requests to the network
TIMEOUT = 30.0
MAX_BYTES = 64 << 20


@dataclass(frozen=True, slots=True)
class Fetched:
    url: str
    content_type: str
    charset: str | None
    data: bytes
    cached: bool


def _fail(url: str, message: str) -> ContentError:
    return ContentError([Problem(url, None, "", message)])


class Fetcher:
    def __init__(self, cache_dir: Path, delay: float | None = None) -> None:
        self.cache_dir = Path(cache_dir)
        self.delay = DELAY if delay is None else delay
        self._last = 0.0
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()[:32]
        return self.cache_dir / f"{key}.json", self.cache_dir / f"{key}.body"

    def _download(self, url: str) -> tuple[int, str, str | None, bytes]:
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                data = response.read(MAX_BYTES + 1)
                status = response.status
                ctype = response.headers.get_content_type()
                charset = response.headers.get_content_charset()
        except urllib.error.HTTPError as exc:
            return exc.code, "", None, b""
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise _fail(url, f"cannot fetch: {getattr(exc, 'reason', exc)}") from exc
        finally:
            self._last = time.monotonic()
        if len(data) > MAX_BYTES:
            raise _fail(url, f"over the size limit of {MAX_BYTES >> 20} MB")
        return status, ctype, charset, data

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        root = f"{parts.scheme}://{parts.netloc}"
        robots = self._robots.get(root)
        if robots is None:
            robots = urllib.robotparser.RobotFileParser()
            try:
                fetched = self._get(f"{root}/robots.txt", allow_missing=True)
                robots.parse(fetched.data.decode("utf-8", "replace").splitlines())
            except ContentError:
                robots.parse([])  # no robots.txt (or unreachable): nothing is disallowed
            self._robots[root] = robots
        return robots.can_fetch(USER_AGENT, url)

    def get(self, url: str) -> Fetched:
        """*url*'s body, from the cache if it was fetched before; :class:`ContentError`
        naming the URL if it cannot be had or robots.txt disallows it."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise _fail(url, "only http and https URLs can be imported")
        if not self._allowed(url):
            raise _fail(url, "robots.txt disallows fetching this page")
        return self._get(url)

    def _get(self, url: str, allow_missing: bool = False) -> Fetched:
        meta_path, body_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            return Fetched(url, meta["type"], meta["charset"], body_path.read_bytes(), True)
        except (OSError, ValueError, KeyError):
            pass
        log.info("fetching %s", url)
        status, ctype, charset, data = self._download(url)
        if status != 200:
            if allow_missing and 400 <= status < 500:
                return Fetched(url, "text/plain", None, b"", False)
            raise _fail(url, f"HTTP status {status}")
        write_atomically(body_path, lambda fh: fh.write(data))
        write_atomically(meta_path, lambda fh: fh.write(json.dumps(
            {"url": url, "type": ctype, "charset": charset}).encode()))
        return Fetched(url, ctype, charset, data, False)
