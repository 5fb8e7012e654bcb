"""Pure planner: desired + state + remote -> Plan. No I/O, no clock reads (now is a parameter)."""
