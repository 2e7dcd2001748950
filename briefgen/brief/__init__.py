"""The brief: its model, its loading from YAML and its inline markup."""
