"""Terminology: medical vocabularies and the detection of made-up terms nobody listed."""
