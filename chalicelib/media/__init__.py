"""Media work of the media function only (Pillow, ffmpeg): never imported by the API."""
