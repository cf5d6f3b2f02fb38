"""Rule patterns, dictionaries and the pure functions that apply them to text.

Every extractor here is a pure function of text (plus a loaded RuleSet) that returns matches
with character offsets relative to the text it was given; pipeline stages shift them to
document offsets. Patterns and vocabularies live in data/ as YAML/TSV with examples.
"""
