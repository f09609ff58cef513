"""Readable generated run names such as ``clever-owl-123`` (adjective-noun-number).

Adjectives have at most 8 letters and nouns at most 7, so a name never exceeds 20 characters.
"""

from __future__ import annotations

import random

ADJECTIVES: tuple[str, ...] = (
    "able", "agile", "amber", "ample", "ancient", "awake", "bold", "brave", "bright", "brisk",
    "calm", "candid", "caring", "casual", "cheery", "civil", "classy", "clean", "clever", "cosmic",
    "crisp", "curious", "daring", "dapper", "dazzling", "deft", "eager", "earnest", "easy",
    "elegant", "epic", "fair", "fancy", "fearless", "fiery", "fluent", "fond", "frank", "free",
    "fresh", "gentle", "giddy", "glad", "golden", "grand", "great", "happy", "hardy", "honest",
    "humble", "ideal", "jolly", "joyful", "keen", "kind", "lively", "loyal", "lucid", "lucky",
    "merry", "mighty", "modest", "neat", "nimble", "noble", "patient", "peppy", "placid", "plucky",
    "polite", "proud", "quick", "quiet", "radiant", "rapid", "rare", "regal", "robust", "rosy",
    "rustic", "serene", "sharp", "shiny", "silent", "silky", "sleek", "smart", "snappy", "solid",
    "spry", "steady", "stellar", "sturdy", "sunny", "swift", "tender", "thrifty", "tidy",
    "tranquil",
    "trusty", "upbeat", "valiant", "vast", "vivid", "warm", "wise", "witty", "zany", "zealous",
    "zesty",
)  # fmt: skip

NOUNS: tuple[str, ...] = (
    "ant", "ape", "auk", "badger", "bass", "bat", "bear", "beaver", "bee", "bison", "boar",
    "bobcat", "carp", "cat", "cod", "colt", "crab", "crane", "crow", "cub", "deer", "dingo", "doe",
    "dog", "dove", "duck", "eagle", "eel", "elk", "emu", "falcon", "fawn", "ferret", "finch",
    "fish", "foal", "fox", "frog", "gnu", "goat", "goose", "gull", "hare", "hawk", "hen", "heron",
    "horse", "hound", "ibex", "ibis", "jackal", "jay", "kite", "kiwi", "koala", "lamb", "lark",
    "lemur", "lion", "llama", "lynx", "mink", "mole", "moose", "moth", "mouse", "mule", "newt",
    "okapi", "orca", "otter", "owl", "ox", "panda", "parrot", "perch", "pig", "pike", "pony",
    "puma", "quail", "rabbit", "ram", "raven", "robin", "seal", "shark", "sheep", "shrew",
    "skink", "sloth", "slug", "snail", "snake", "sparrow", "squid", "stag", "stork", "swan",
    "tapir", "tern", "tiger", "toad", "trout", "tuna", "turtle", "viper", "vole", "wasp",
    "whale", "wolf", "worm", "wren", "yak", "zebra",
)  # fmt: skip

_random = random.SystemRandom()


def generate_run_name() -> str:
    """A random name ``<adjective>-<noun>-<0..999>``, e.g. ``clever-owl-123``."""
    return f"{_random.choice(ADJECTIVES)}-{_random.choice(NOUNS)}-{_random.randrange(1000)}"
