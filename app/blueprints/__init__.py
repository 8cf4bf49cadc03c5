"""One package per audience, each with a blueprint ``bp`` and its routes."""
