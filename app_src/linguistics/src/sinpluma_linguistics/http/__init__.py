"""HTTP layer: app factory, routes, request validation and error rendering."""
