"""teamdrive: a team file store on managed AWS services."""

__version__ = "0.1.0"
