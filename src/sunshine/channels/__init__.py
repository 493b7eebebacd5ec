"""Channels (发布渠道): Atom/RSS feeds per category and per project, e-mail subscriptions with a digest,
and the kiosk view of the on-site query terminals — all reading one interface of published items."""
