"""Fetching documents over HTTP politely: one request at a time, robots.txt, a cache."""
