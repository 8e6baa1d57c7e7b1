"""The operators' command line, ``python -m chalicelib.admin <command>``: the ``/admin`` routes'
work and more (usage drift, the purge, thumbnails, the media dead letters) for someone at a
console with the stage's AWS credentials, without the API."""
