"""The sans-IO sync engine: a pure state machine fed with inputs, returning commands."""
