# Bluebook Bot: slim image, non-root, state on a volume.
#   docker build -t bluebook-bot .
#   docker run -d --name bluebook -e DISCORD_TOKEN=... -v bluebook-data:/app/data bluebook-bot
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BLUEBOOK_CACHE_DIR=/app/data/cache

WORKDIR /app
# Exact versions from the lock first (regenerate with `bash .ci/lock`): a
# rebuild gets the same libraries, and this layer is cached until the lock changes.
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY corpus ./corpus
COPY facts ./facts
# The default set of `bluebook-bot eval`, installed as package data.
COPY tests/eval/seed_quotes.yaml ./tests/eval/seed_quotes.yaml
RUN pip install --no-deps . \
    && useradd --create-home --uid 10001 bluebook \
    && mkdir -p /app/data \
    && chown bluebook:bluebook /app/data

USER bluebook
# The SQLite state (daily-post ledger, rotation decks, schedules) and the index cache.
VOLUME ["/app/data"]

# Healthy while the bot's gateway heartbeat file is fresh (written by `run`).
HEALTHCHECK --interval=60s --timeout=10s --start-period=60s --retries=3 \
    CMD ["bluebook-bot", "health"]

CMD ["bluebook-bot", "run"]
