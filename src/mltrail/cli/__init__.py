"""The ``mltrail`` command line: one module per command group."""
