"""Demo data (`flask seed-demo`): an account for every role and cases in every state.

`people` the demo accounts, `claims` the claims they file, `story` what happens to a case
after registration, and `demo.seed` puts them together. Everything is made through the same
operations the portal uses, so the demo's audit trails, numbers and files are real.
"""
