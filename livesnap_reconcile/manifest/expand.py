"""Pure expansion: validated manifest + now -> DesiredState. No I/O, no clock reads."""
