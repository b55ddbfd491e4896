package dev.parley.push.jobs;

import dev.parley.store.users.UserRecord;
import dev.parley.store.users.UserStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Display names for notification titles, cached: a burst of 50 messages from one sender costs one
 * Cassandra read, and a renamed user shows the new name within {@link #TTL}. A failed lookup falls
 * back to a neutral title instead of holding the notification back.
 */
final class SenderNames {

    static final Duration TTL = Duration.ofMinutes(10);
    static final String UNKNOWN = "New message";
    /** Bounds memory; when full the cache simply starts over (names are cheap to read again). */
    private static final int MAX_ENTRIES = 50_000;

    private record Cached(String name, Instant until) {
    }

    private final UserStore users;
    private final Clock clock;
    private final Map<UUID, Cached> cache = new ConcurrentHashMap<>();

    SenderNames(UserStore users, Clock clock) {
        this.users = users;
        this.clock = clock;
    }

    CompletionStage<String> of(UUID user) {
        Instant now = clock.instant();
        Cached cached = cache.get(user);
        if (cached != null && cached.until().isAfter(now)) {
            return CompletableFuture.completedFuture(cached.name());
        }
        return users.find(user).handle((found, failure) -> {
            if (failure != null) {
                return UNKNOWN;
            }
            String name = found.map(UserRecord::displayName).filter(n -> !n.isBlank()).orElse(UNKNOWN);
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(user, new Cached(name, now.plus(TTL)));
            return name;
        });
    }
}
