package dev.parley.push.sender;

import java.time.Duration;
import java.util.Optional;

/** What became of one notification; the caller decides on retries and token clean-up from it. */
public sealed interface PushOutcome {

    /** FCM accepted it for delivery. */
    record Accepted(String messageId) implements PushOutcome {
    }

    /** Log-only mode: written to the log, not sent. */
    record Logged() implements PushOutcome {
    }

    /** The token no longer reaches a device (app uninstalled, token rotated): delete it, never retry. */
    record TokenInvalid(String reason) implements PushOutcome {
    }

    /**
     * FCM answered, and did not take it. {@code retryable}: FCM was overloaded or unavailable (429,
     * 500, 503), and the same notification may succeed later, not before {@code retryAfter} when FCM
     * said so; otherwise the notification itself was refused and retrying it cannot help.
     */
    record Failed(String reason, boolean retryable, Optional<Duration> retryAfter) implements PushOutcome {

        public Failed(String reason, boolean retryable) {
            this(reason, retryable, Optional.empty());
        }
    }

    /**
     * FCM could not be reached at all (connection refused, DNS, timeout): an outage of the path to
     * FCM, not a property of this notification, so it is retried without an attempt limit.
     */
    record Unreachable(String reason) implements PushOutcome {
    }
}
