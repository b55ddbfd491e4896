package dev.parley.push.sender;

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
     * Not sent. {@code retryable}: FCM was unavailable, overloaded or unreachable, and the same
     * notification may succeed later; otherwise the notification itself was refused and retrying it
     * cannot help.
     */
    record Failed(String reason, boolean retryable) implements PushOutcome {
    }
}
