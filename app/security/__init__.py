"""Security building blocks: keys, passwords, access decorators, headers."""
