package dev.parley.client.receipts;

/** The ticks of one's own message, as a chat app shows them. Each state includes the ones before it. */
public enum Tick {
    /** In the outbox: not confirmed by the server yet (shown as a clock). */
    QUEUED,
    /** Stored by the server (PUBACK): one tick. */
    SENT,
    /** Reached a device of the recipient: two ticks. */
    DELIVERED,
    /** Read by the recipient: two blue ticks. */
    READ
}
