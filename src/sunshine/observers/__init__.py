"""Observer seats (观察席): a person the centre admits to watch one session of some kind, read-only."""
