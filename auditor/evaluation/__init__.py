"""Measuring the auditor: the annotated article set and its scores."""
