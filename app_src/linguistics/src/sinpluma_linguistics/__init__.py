"""Sin Pluma linguistics service: sentence-level sentiment from a verified scikit-learn model."""

__version__ = "1.0.0"
