"""The ffmpeg layer for the media function, built from the imageio-ffmpeg wheel."""
