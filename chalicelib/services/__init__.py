"""Domain logic. Services take and return plain values and raise chalicelib.errors."""
