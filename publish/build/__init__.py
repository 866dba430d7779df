"""The build: source text → annotations → figures → links → graph → catalog → SHACL gate → dumps.

`pipeline.build(settings)` runs it all or nothing. Nothing here imports `publish.query` or
`publish.server`: the build writes files, the other two read them.
"""
