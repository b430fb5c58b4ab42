// name: kinds_by_name
// description: The most specific kind of the value-chain nodes with these names, to colour dependency paths.
// param: names (list of string) = ["gallium", "GaN wafer"]
// returns: name (string), kind (string)
MATCH (n:Resource)
WHERE n.name IN $names
WITH n.name AS name, labels(n) AS labels
RETURN name,
  CASE
    WHEN 'Sector' IN labels THEN 'Sector'
    WHEN 'Product' IN labels THEN 'Product'
    WHEN 'Component' IN labels THEN 'Component'
    WHEN 'Intermediate' IN labels THEN 'Intermediate'
    WHEN 'Material' IN labels THEN 'Material'
    WHEN 'Company' IN labels THEN 'Company'
    WHEN 'Country' IN labels THEN 'Country'
    ELSE 'Other'
  END AS kind
ORDER BY name, kind
