"""Tests that need no DynamoDB: fake transports, pure functions, local HTTP servers."""
