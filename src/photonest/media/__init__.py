"""Media: formats, probing, derivatives."""
