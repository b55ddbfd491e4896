package dev.parley.protocol.typing;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The typing rate rule, shared by the broker (which enforces it, PUBACK 0x97) and the client library
 * (which keeps to it, so its updates are not refused). How often one device's typing indicators for one conversation are forwarded: at most one per
 * {@code interval}, except that a {@code paused} right after a forwarded {@code typing} always passes, so
 * recipients never keep showing "typing…" for someone who stopped. So at most two per interval per
 * (device, conversation). What counts is what was forwarded, not what was published.
 *
 * <p>Memory: one small entry per (device, conversation) that typed within the last interval or so;
 * {@link #forgetBefore} (run periodically) drops the rest, and a map that reaches {@code maxEntries} (a
 * flood of conversations) is swept at once, and emptied if that is not enough: never more than
 * {@code maxEntries} entries (~100 bytes each).
 */
public final class TypingThrottle {

    private record Key(String clientId, String conversationId) {
    }

    private record Forwarded(Instant at, TypingState state) {
    }

    private final Duration interval;
    private final int maxEntries;
    private final Map<Key, Forwarded> last = new ConcurrentHashMap<>();

    public TypingThrottle(Duration interval, int maxEntries) {
        this.interval = interval;
        this.maxEntries = maxEntries;
    }

    public Duration interval() {
        return interval;
    }

    /** True when this update is to be forwarded (and is then remembered as the last one forwarded). */
    public boolean admit(String clientId, String conversationId, TypingState state, Instant now) {
        if (last.size() >= maxEntries) {
            forgetBefore(now.minus(interval));
            if (last.size() >= maxEntries) {
                // All recent: a flood. Forgetting lets at most one more indicator per pair through; growing
                // without bound would not be better.
                last.clear();
            }
        }
        boolean[] admitted = {false};
        last.compute(new Key(clientId, conversationId), (key, previous) -> {
            if (previous == null || !now.isBefore(previous.at().plus(interval))
                    || state == TypingState.PAUSED && previous.state() == TypingState.TYPING) {
                admitted[0] = true;
                return new Forwarded(now, state);
            }
            return previous;
        });
        return admitted[0];
    }

    /** Drops what can no longer limit anything: entries forwarded before {@code cutoff}. */
    public void forgetBefore(Instant cutoff) {
        last.values().removeIf(forwarded -> forwarded.at().isBefore(cutoff));
    }

    public int size() {
        return last.size();
    }
}
