"""Quote lookup: the corpus as citable passages, ingestion, the index, matching and verdicts."""
