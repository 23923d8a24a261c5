"""The neutral reply model and its builders: what every front end shows."""
