"""Annotation sets out and in: one module per format, all reading the same record stream."""
