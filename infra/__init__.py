"""Infrastructure: the stage's CloudFormation (stack.yaml, functions.yaml, api-gateway.yaml),
its local twin (local/), and the packaging and deployment that join it to Chalice's template."""
