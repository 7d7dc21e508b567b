"""Webhooks (issue 18, docs/api.md): a caller of the API subscribes a URL to the events of
the cases it may see; each event it may read is signed (Standard Webhooks) and delivered
through an outbox table and the job queue, retried with backoff, then marked failed."""
