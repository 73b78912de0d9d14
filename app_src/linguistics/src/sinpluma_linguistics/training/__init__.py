"""Training pipeline, run by the artifact build (never by the service): corpora → model directory."""
