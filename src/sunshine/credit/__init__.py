"""Credit (信用): good and bad behaviour records about organisations and persons, bans from taking part, and the
check other domains call before letting an organisation take part (registration now; draws and awards later)."""
