"""Getting text in: files, stdin (and, later, URLs)."""
