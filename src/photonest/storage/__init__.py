"""Where bytes live. `local` is the folder backend; an S3 backend implements the same Storage protocol."""
