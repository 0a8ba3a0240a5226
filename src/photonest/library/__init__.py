"""The domain: rules about users, assets, albums and who may see what. No HTTP here."""
