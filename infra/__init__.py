"""Infrastructure: the CloudFormation stack of the stateful resources and its local twin."""
