"""HTTP: Chalice blueprints per resource, and the one wrapper that shapes every error.

The only package that imports Chalice.
"""
