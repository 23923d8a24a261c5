"""Fact cards: the deck model, its validation against the corpus, and search."""
