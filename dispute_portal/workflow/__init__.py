"""The life of a case: states and roles, the transition table, the engine, the audit chain.

No Flask here: the workflow is plain Python over the models, so views, the CLI and the seed
all drive cases the same way. Import what you need from its modules: the package itself
loads nothing, so reading `CaseState` does not load the engine.
"""
