"""The bottom layer: small grammars and helpers every other layer shares (only `atomic` touches files)."""
