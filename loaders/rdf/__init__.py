"""RDF in and out: files found and parsed (`source`, streaming with pyoxigraph), checked against the SHACL shapes
(`validation`), mapped and written (`load`), the three in that order for each file (`pipeline`); and the graph back
out as RDF (`export`)."""
