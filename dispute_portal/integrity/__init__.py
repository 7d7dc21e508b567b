"""The transparency log: an append-only Merkle tree over every audit event and issued
ruling, signed checkpoints kept outside the database, and the proofs that tie the two."""
