"""The Merkle tree hash of RFC 9162 (Certificate Transparency 2.0), its proofs and their checks.

Pure functions over hashes, no database: a tree is read through a `NodeReader`, which returns
the hash of a complete, aligned subtree (the 2**level leaves starting at index * 2**level).
The portal stores those subtrees as it appends (integrity.log), so a root or a proof of a tree
of any size costs a few dozen look-ups, never a pass over the leaves.

    leaf hash  = SHA-256(0x00 || leaf data)
    node hash  = SHA-256(0x01 || left || right)
    MTH(D[n])  = the root: the left subtree is the largest power of two smaller than n.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

NodeReader = Callable[[int, int], bytes]  # (level, index) -> hash of a complete subtree

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_hash(read: NodeReader, start: int, end: int) -> bytes:
    """MTH of the leaves [start, end), from the stored complete subtrees."""
    n = end - start
    if n <= 0:
        return EMPTY_ROOT
    if n & (n - 1) == 0 and start % n == 0:
        return read(n.bit_length() - 1, start // n)
    k = _split(n)
    return node_hash(subtree_hash(read, start, start + k), subtree_hash(read, start + k, end))


def root(read: NodeReader, size: int) -> bytes:
    return subtree_hash(read, 0, size)


def inclusion_proof(read: NodeReader, index: int, size: int) -> list[bytes]:
    """PATH(index, D[size]) of RFC 9162 section 2.1.3.1, leaf side first."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    return _path(read, index, 0, size)


def _path(read: NodeReader, m: int, start: int, end: int) -> list[bytes]:
    n = end - start
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return [*_path(read, m, start, start + k), subtree_hash(read, start + k, end)]
    return [*_path(read, m - k, start + k, end), subtree_hash(read, start, start + k)]


def consistency_proof(read: NodeReader, old_size: int, size: int) -> list[bytes]:
    """PROOF(old_size, D[size]) of RFC 9162 section 2.1.4.1."""
    if not 0 <= old_size <= size:
        raise ValueError(f"no consistency proof from {old_size} to {size}")
    if old_size in (0, size):
        return []
    return _subproof(read, old_size, 0, size, True)


def _subproof(read: NodeReader, m: int, start: int, end: int, whole: bool) -> list[bytes]:
    n = end - start
    if m == n:
        return [] if whole else [subtree_hash(read, start, end)]
    k = _split(n)
    if m <= k:
        return [*_subproof(read, m, start, start + k, whole), subtree_hash(read, start + k, end)]
    return [*_subproof(read, m - k, start + k, end, False), subtree_hash(read, start, start + k)]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Iterable[bytes], expected_root: bytes
) -> bool:
    """RFC 9162 section 2.1.3.2: does `proof` put `leaf` at `index` of the tree `expected_root`?"""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == expected_root


def verify_consistency(
    old_size: int, size: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> bool:
    """RFC 9162 section 2.1.4.2: is the tree `new_root` of `size` an append-only extension of
    the tree `old_root` of `old_size`?"""
    if not 0 <= old_size <= size:
        return False
    if old_size == size:
        return not proof and old_root == new_root
    if old_size == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root starts the path
        path.insert(0, old_root)
    fn, sn = old_size - 1, size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


class Frontier:
    """The right edge of a tree being built leaf by leaf: the roots of its complete subtrees.

    `append` returns the subtrees each new leaf completes ((level, index, hash), level >= 1),
    which is what the log stores; `root()` is the tree's root at its current size.
    """

    def __init__(self, size: int = 0, hashes: Iterable[bytes] = ()) -> None:
        self.size = size
        # One hash per set bit of size, largest subtree first.
        self.hashes = list(hashes)
        if len(self.hashes) != size.bit_count():
            raise ValueError("a frontier has one subtree per set bit of its size")

    @staticmethod
    def keys(size: int) -> list[tuple[int, int]]:
        """(level, index) of the complete subtrees on the right edge of a tree of `size`."""
        out = []
        start = 0
        for level in range(size.bit_length() - 1, -1, -1):
            if size >> level & 1:
                out.append((level, start >> level))
                start += 1 << level
        return out

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        made = []
        index, h, level = self.size, leaf, 0
        while index >> level & 1:
            h = node_hash(self.hashes.pop(), h)
            level += 1
            made.append((level, index >> level, h))
        self.hashes.append(h)
        self.size += 1
        return made

    def root(self) -> bytes:
        if not self.hashes:
            return EMPTY_ROOT
        h = self.hashes[-1]
        for left in reversed(self.hashes[:-1]):
            h = node_hash(left, h)
        return h
