"""The canned reports: the exposure model, the report builders, their catalogue and the report model."""
