"""The drill's rounds, by what they fail: each a (name, fail, restore) under load."""
