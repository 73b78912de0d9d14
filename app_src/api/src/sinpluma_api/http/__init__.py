"""HTTP layer: blueprints, request/response schemas, error rendering, the OpenAPI document."""
