// name: agreements_list
// description: Every agreement with its kind, parties, signing date and the materials it names.
// returns: agreement (string), kind (string), parties (list of string), signed (string), materials (list of string)
// question: Which raw-materials agreements and partnerships exist, between whom, since when, and on which materials?
// kind: the agreement's subclasses (CriticalMineralsAgreement, MemorandumOfUnderstanding, StrategicPartnership,
// TradeAgreement) that apply, in that order, joined with ", "; "Agreement" when none does. parties and
// materials are names, sorted; materials is empty when the agreement names none.
MATCH (a:Agreement)
CALL (a) {
  OPTIONAL MATCH (a)-[:PARTY]->(party)
  WITH party.name AS party_name
  ORDER BY party_name
  RETURN collect(party_name) AS parties
}
CALL (a) {
  OPTIONAL MATCH (a)-[:COVERS_MATERIAL]->(m:Material)
  WITH m.name AS material_name
  ORDER BY material_name
  RETURN collect(material_name) AS materials
}
WITH a, parties, materials,
     [k IN ['CriticalMineralsAgreement', 'MemorandumOfUnderstanding', 'StrategicPartnership', 'TradeAgreement']
      WHERE k IN labels(a)] AS kinds
RETURN a.name AS agreement,
       CASE size(kinds) WHEN 0 THEN 'Agreement'
       ELSE reduce(joined = head(kinds), k IN tail(kinds) | joined + ', ' + k) END AS kind,
       parties,
       toString(a.signedOn) AS signed,
       materials
ORDER BY signed, agreement
