"""Model layer: the on-disk format, its verification and the loaded predictor."""
