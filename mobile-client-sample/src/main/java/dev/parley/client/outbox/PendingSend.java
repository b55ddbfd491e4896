package dev.parley.client.outbox;

import java.time.Instant;

/**
 * A send the server has not confirmed yet. {@code clientMsgId} is fixed when the user presses send and
 * reused on every retry, so the broker stores it once however often it is sent.
 */
public record PendingSend(String clientMsgId, Destination to, String text, Instant queuedAt) {
}
