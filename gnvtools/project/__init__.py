"""Projects an analyst owns: the config file (gnv.yaml) and gnv init."""
