// name: crma_benchmarks
// description: The quantitative benchmarks set by regulations (the CRMA's Article 5), with stage, threshold and target year.
// returns: regulation (string), article (string), kind (string), stage (string), threshold (float), target_year (integer)
// question: What capacity and diversification benchmarks has the EU set for strategic raw materials, and by when?
// stage is the last segment of the stage's uri, null for a benchmark that applies at any stage (the 65%
// single-third-country ceiling). threshold is a fraction of EU annual consumption.
MATCH (b:Benchmark)
OPTIONAL MATCH (b)-[:SET_BY]->(r:Regulation)
OPTIONAL MATCH (b)-[:STAGE]->(st:Stage)
RETURN r.name AS regulation,
       b.article AS article,
       b.kind AS kind,
       last(split(st.uri, '/')) AS stage,
       toFloat(b.threshold) AS threshold,
       b.targetYear AS target_year
ORDER BY regulation, article, kind, stage
