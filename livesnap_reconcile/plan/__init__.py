"""Planning: the plan model, the pure planner, and renderers (text, json, markdown)."""
