"""Content as data: wording, rules, phrases and exercise scripts, in TOML files read at load."""
