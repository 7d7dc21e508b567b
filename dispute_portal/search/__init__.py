"""Full-text search over the cases a person may see: numbers, parties, titles, summaries."""
