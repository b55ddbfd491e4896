package dev.parley.broker.messages;

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
 * Answers "does this user exist?" for recipients. Positive answers are remembered for a while (users
 * are not deleted in the middle of a chat), so a busy conversation costs no read per message; an
 * unknown id is asked again every time, so a user who just registered can be messaged at once. Also
 * used by typing indicators, which follow the same rule for whom a device may address.
 */
public final class UserDirectory {

    private static final int MAX_REMEMBERED = 100_000;

    private final UserStore users;
    private final Clock clock;
    private final Duration remember;
    private final Map<UUID, Instant> known = new ConcurrentHashMap<>();

    public UserDirectory(UserStore users, Clock clock, Duration remember) {
        this.users = users;
        this.clock = clock;
        this.remember = remember;
    }

    public CompletionStage<Boolean> exists(UUID user) {
        Instant until = known.get(user);
        if (until != null && clock.instant().isBefore(until)) {
            return CompletableFuture.completedFuture(true);
        }
        return users.find(user).thenApply(found -> {
            if (found.isPresent()) {
                if (known.size() >= MAX_REMEMBERED) {
                    known.clear();
                }
                known.put(user, clock.instant().plus(remember));
            }
            return found.isPresent();
        });
    }
}
