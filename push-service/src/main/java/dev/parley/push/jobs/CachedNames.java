package dev.parley.push.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Names for notification titles (users' display names, group names), cached: a burst of 50 messages
 * in one conversation costs one Cassandra read, and a rename shows within the cache's time to live.
 * A failed lookup yields no name and is not cached, so the notification goes out with a neutral title
 * instead of being held back, and the next one asks again.
 */
final class CachedNames {

    /** Users rename themselves rarely and nobody sees the old name next to the new one. */
    static final Duration USER_TTL = Duration.ofMinutes(10);
    /** A group rename is announced in the group's history, so the titles follow it within a minute. */
    static final Duration GROUP_TTL = Duration.ofMinutes(1);
    /** Bounds memory; when full the cache simply starts over (names are cheap to read again). */
    private static final int MAX_ENTRIES = 50_000;

    private record Cached(Optional<String> name, Instant until) {
    }

    private final Function<UUID, CompletionStage<Optional<String>>> lookup;
    private final Duration ttl;
    private final Clock clock;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    /** @param lookup the name of an id, empty when it has none (or does not exist) */
    CachedNames(Function<UUID, CompletionStage<Optional<String>>> lookup, Duration ttl, Clock clock) {
        this.lookup = lookup;
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The non-blank name of {@code id}, or empty (unknown, blank, or the store did not answer). */
    CompletionStage<Optional<String>> of(UUID id) {
        Instant now = clock.instant();
        Cached cached = cache.get(id);
        if (cached != null && cached.until().isAfter(now)) {
            return CompletableFuture.completedFuture(cached.name());
        }
        return lookup.apply(id).handle((found, failure) -> {
            if (failure != null) {
                return Optional.<String>empty();
            }
            Optional<String> name = found.map(String::strip).filter(n -> !n.isEmpty());
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(id, new Cached(name, now.plus(ttl)));
            return name;
        });
    }
}
