"""Command line: click commands and views. The only composition root; maps errors to exit codes."""
