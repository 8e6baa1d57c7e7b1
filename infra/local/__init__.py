"""Local mode: the stack of infra/stack.yaml in moto, with the app, site and event handlers."""
