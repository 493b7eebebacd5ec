"""The message gateway: a person's own inbox of platform messages, and SMS / voice calls handed to the
configured gateway once the unit of work that asked for them has committed (docs/messaging.md)."""
