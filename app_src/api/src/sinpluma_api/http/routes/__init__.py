"""One blueprint per resource, all mounted at the application root (nginx strips /api)."""
