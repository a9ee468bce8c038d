"""The rounds that stop a service every request may need: PostgreSQL, then Redis."""

POSTGRESQL = "PostgreSQL"
REDIS = "Redis"


def service_rounds(stack):
    """(name, fail, restore) of each round."""
    # Without a redis-server the cache was down all along: the round still runs its load.
    redis = (stack.redis.stop, stack.redis.start) if stack.redis else (lambda: None, lambda: None)
    return [
        (POSTGRESQL, stack.postgres.stop, stack.postgres.start),
        (REDIS, *redis),
    ]
