"""Persistence layer: SQLAlchemy models, engines and queries."""
