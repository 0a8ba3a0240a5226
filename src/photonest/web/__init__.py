"""The browser UI: static files, no build step."""
