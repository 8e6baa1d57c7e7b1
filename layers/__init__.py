"""Lambda layers and the scripts that build them."""
