"""Helpers shared by the test suite: the backends, fake transports and clock, fault injection,
local HTTP servers, table helpers and the soak run (``python -m tests.support.soak``)."""
