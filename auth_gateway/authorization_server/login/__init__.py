"""Owner (and user) login: the password check, the page, its signed form tokens."""
