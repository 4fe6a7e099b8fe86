"""Use cases: the UI's only verbs. Each takes an `AppContext` first and runs off the
GUI thread through `app.tasks.TaskRunner` (reads with `query`, writes with `op`)."""
