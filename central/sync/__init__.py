"""The central service's sync endpoints: change feed, scope, exactly-once push, paged pull."""
