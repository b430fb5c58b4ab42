"""crm-kg: a knowledge graph of critical-raw-materials value chains."""

__version__ = "0.1.0"
