"""One small function (or flow) per user action; each runs its work on the session's worker."""
