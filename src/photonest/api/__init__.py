"""HTTP only: translate requests into library calls and results into Immich-shaped responses."""
