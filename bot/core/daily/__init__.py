"""Daily fact posts: schedules, local times, retries and the card rotation."""
