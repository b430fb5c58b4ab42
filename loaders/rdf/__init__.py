"""RDF in and out: files found and parsed (`source`, streaming with pyoxigraph), checked against the SHACL shapes
(`validation`), mapped and written (`load`), the three in that order for each file (`pipeline`); and the graph back
out as RDF (`export`)."""

DEFAULT_BATCH_SIZE = 20_000  # statements per write batch of an RDF load
