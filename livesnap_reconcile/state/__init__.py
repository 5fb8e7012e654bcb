"""State: the model (lineage, serial, entries), the backend protocol and the local file backend."""
