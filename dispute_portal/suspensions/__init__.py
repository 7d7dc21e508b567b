"""Suspension of the proceeding: by agreement of the parties, during a challenge or a
vacancy, for non-payment. While a case is suspended its running deadlines pause, and the
workflow refuses every act not marked to go on during a suspension."""
