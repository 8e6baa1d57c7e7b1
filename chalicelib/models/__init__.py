"""PynamoDB models, one module per aggregate; the only package that knows tables."""

from chalicelib.models.base import connection
from chalicelib.models.nodes import NodeModel
from chalicelib.models.shares import ShareModel
from chalicelib.models.teams import TeamModel
from chalicelib.models.tokens import TokenModel
from chalicelib.models.uniques import UniqueModel
from chalicelib.models.users import UserModel

ALL = (UserModel, UniqueModel, TokenModel, NodeModel, TeamModel, ShareModel)


def reset_connections() -> None:
    """Forget cached connections (tests switch endpoints between runs)."""
    for model in ALL:
        model._connection = None
    connection.cache_clear()
