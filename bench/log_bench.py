"""The transparency log at scale: log every event of the bench database (build_data.py), sign
a checkpoint, time 200 inclusion proofs and one `integrity verify`; prints the numbers.

    export BENCH_DIR="$(mktemp -d)"
.venv/bin/python bench/build_data.py --scale 0.1 --rebuild
    .venv/bin/python bench/log_bench.py "sqlite:///$BENCH_DIR/sqlite/portal.db"

The bench database is written by bulk inserts, which no session hook sees: the first run
appends its events to the log in one transaction (timed), later runs reuse that log.
"""

from __future__ import annotations

import sys
import time

from sqlalchemy import func, select

from dispute_portal import create_app
from dispute_portal.config import DevelopmentConfig, TestingConfig
from dispute_portal.db import db
from dispute_portal.integrity.checkpoints import checkpoint_notes, sign_checkpoint, signer_from
from dispute_portal.integrity.log import append
from dispute_portal.integrity.models import LogLeaf
from dispute_portal.integrity.proofs import inclusion, latest_checkpoint
from dispute_portal.integrity.verify import verify
from dispute_portal.workflow.models import CaseEvent

PROOFS = 200


def main(url: str) -> None:
    class Config(DevelopmentConfig):
        DATABASE_URL = url
        INTEGRITY_KEY = TestingConfig.INTEGRITY_KEY  # a fixed key: a bench signs nothing real
        INTEGRITY_KEY_FILE = None

    app = create_app(Config)
    with app.app_context():
        session = db.session()
        if not session.scalar(select(func.count()).select_from(LogLeaf)):
            start = time.perf_counter()
            events = list(session.scalars(select(CaseEvent).order_by(CaseEvent.id)))
            append(session, events)
            session.commit()
            print(f"logged {len(events)} events in {time.perf_counter() - start:.1f} s")
        signer = signer_from(app.config)
        assert signer is not None
        sign_checkpoint(session, signer)
        session.commit()
        checkpoint = latest_checkpoint(session)
        assert checkpoint is not None
        leaves = session.scalars(select(LogLeaf).order_by(LogLeaf.idx).limit(PROOFS)).all()
        start = time.perf_counter()
        for leaf in leaves:
            proof = inclusion(session, leaf, checkpoint)
            assert proof is not None and proof.holds
        each = (time.perf_counter() - start) / len(leaves) * 1000
        print(f"inclusion proof in a tree of {checkpoint.size}: {each:.2f} ms each")
        start = time.perf_counter()
        report = verify(
            session, signer.verifier, checkpoint_notes(session), app.config["RULINGS_DIR"]
        )
        took = time.perf_counter() - start
        print(f"integrity verify over {report.leaves} leaves: {took:.1f} s, "
              f"{len(report.findings)} findings")  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1])
