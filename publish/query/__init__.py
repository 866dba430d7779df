"""Querying the published data: the `Store` protocol and its backends (embedded pyoxigraph, a
remote SPARQL 1.1 store), killable query workers, query screening and the choice of backend.

Nothing here imports `publish.build` or `publish.server`: `vestlod query` runs without the web
stack, and the server never reaches into the build.
"""
