"""Judging claims against the fact base: match → stance → verdict."""
