package dev.parley.client;

import dev.parley.client.outbox.PendingSend;
import dev.parley.protocol.Envelope;
import dev.parley.protocol.groups.GroupReceipts;
import dev.parley.protocol.typing.TypingState;
import java.time.Instant;
import java.util.UUID;

/**
 * What the client tells the app. Called on the client's own thread, one call at a time: return quickly
 * (hand long work to the app's own threads). Every method has a no-op default.
 */
public interface ChatListener {

    /** A message this device did not hold before (mine from another device, or my own send's stored copy, included). */
    default void onMessage(Envelope envelope) {
    }

    /** One of my messages: queued → sent → delivered → read. */
    default void onTick(TickUpdate update) {
    }

    /** The server refused a send for good (it left the outbox); retries of transient failures are not reported. */
    default void onSendFailed(PendingSend send, ParleyException error) {
    }

    default void onGroupChanged(GroupEvent event) {
    }

    /** Coalesced receipts of a group's members (at most one per group and kind per second). */
    default void onGroupReceipts(GroupReceipts receipts) {
    }

    /** The connection changed; {@code cause} says why a STOPPED client stopped (null when closed by the app). */
    default void onConnectionChanged(ConnectionState state, ParleyException cause) {
    }

    /** The access token was refreshed; an app keeps the new one (the old one cannot be refreshed again). */
    default void onCredentialsRefreshed(dev.parley.client.session.Credentials fresh) {
    }

    /**
     * A watched user's presence ({@link ParleyClient#watchPresence}): {@code lastSeen} is when their last device
     * went offline (null while online, or if never seen). The current state comes at once after each
     * (re)connect (the broker keeps it retained), then every change (at most one per user per second).
     */
    default void onPresenceChanged(UUID userId, PresenceStatus status, Instant lastSeen) {
    }

    /**
     * Someone is typing in a conversation of mine ({@code TYPING}), or stopped ({@code PAUSED}). Show it until a
     * {@code PAUSED}, a message from them, or about {@link ParleyClient#TYPING_SHOWN_FOR} without a new
     * {@code TYPING} (a typist's client repeats it while typing goes on; indicators are never stored).
     */
    default void onTyping(String conversationId, UUID from, TypingState state) {
    }

    /**
     * A catch-up page was asked for, with these cursors (conversation → the last seq up to which this device
     * holds every message; conversations not listed are caught up from their start). For diagnostics.
     */
    default void onCatchUpRequested(java.util.Map<String, Long> cursors) {
    }

    /** A catch-up after (re)connecting finished: this device holds everything the server had for it. */
    default void onCaughtUp() {
    }
}
