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
     * FCM answered, and did not take this notification. {@code retryable}: an error of this send (500
     * INTERNAL) that may not recur, tried again a limited number of times, not before {@code retryAfter}
     * when FCM said so; otherwise the notification itself was refused and retrying it cannot help.
     */
    record Failed(String reason, boolean retryable, Optional<Duration> retryAfter) implements PushOutcome {

        public Failed(String reason, boolean retryable) {
            this(reason, retryable, Optional.empty());
        }
    }

    /**
     * FCM answered that it takes no message now (503 UNAVAILABLE, 429 QUOTA_EXCEEDED, 504): the endpoint
     * is unavailable or throttling the project, which says nothing about this notification. Sending
     * pauses for every notification, at least for {@code retryAfter} when FCM said so.
     */
    record Unavailable(String reason, Optional<Duration> retryAfter) implements PushOutcome {
    }

    /**
     * FCM could not be reached at all (connection refused, DNS, timeout): an outage of the path to
     * FCM, not a property of this notification: sending pauses as for {@link Unavailable}.
     */
    record Unreachable(String reason) implements PushOutcome {
    }
}
