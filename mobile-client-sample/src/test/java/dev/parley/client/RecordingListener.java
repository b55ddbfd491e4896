package dev.parley.client;

import dev.parley.client.outbox.PendingSend;
import dev.parley.client.receipts.Tick;
import dev.parley.protocol.Envelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers everything a client told the app, for tests to wait on and inspect. */
final class RecordingListener implements ChatListener {

    record Failure(PendingSend send, ParleyException error) {
    }

    final List<Envelope> messages = new CopyOnWriteArrayList<>();
    final List<TickUpdate> ticks = new CopyOnWriteArrayList<>();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    final List<GroupEvent> groupEvents = new CopyOnWriteArrayList<>();
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<ParleyException> stopCauses = new CopyOnWriteArrayList<>();
    final List<dev.parley.client.session.Credentials> refreshed = new CopyOnWriteArrayList<>();
    final List<Presence> presence = new CopyOnWriteArrayList<>();
    final List<dev.parley.protocol.groups.GroupReceipts> groupReceipts = new CopyOnWriteArrayList<>();

    @Override
    public void onGroupReceipts(dev.parley.protocol.groups.GroupReceipts receipts) {
        groupReceipts.add(receipts);
    }

    /** Whether a group receipt digest said {@code member} read up to at least {@code seq}. */
    boolean heardRead(java.util.UUID member, long seq) {
        return groupReceipts.stream().anyMatch(r -> r.type() == dev.parley.protocol.Receipt.Type.read
                && r.marks().getOrDefault(member, 0L) >= seq);
    }
    final List<Typing> typing = new CopyOnWriteArrayList<>();
    /** The cursors of every catch-up page asked for, in order. */
    final List<java.util.Map<String, Long>> catchUpRequests = new CopyOnWriteArrayList<>();

    @Override
    public void onCatchUpRequested(java.util.Map<String, Long> cursors) {
        catchUpRequests.add(cursors);
    }

    record Presence(java.util.UUID userId, PresenceStatus status, java.time.Instant lastSeen, java.time.Instant reportedAt) {
    }

    record Typing(String conversationId, java.util.UUID from, dev.parley.protocol.typing.TypingState state) {
    }

    @Override
    public void onPresenceChanged(java.util.UUID userId, PresenceStatus status, java.time.Instant lastSeen) {
        presence.add(new Presence(userId, status, lastSeen, java.time.Instant.now()));
    }

    @Override
    public void onTyping(String conversationId, java.util.UUID from, dev.parley.protocol.typing.TypingState state) {
        typing.add(new Typing(conversationId, from, state));
    }

    /** The last presence reported for {@code user}, or null. */
    Presence lastPresenceOf(java.util.UUID user) {
        List<Presence> of = presence.stream().filter(p -> p.userId().equals(user)).toList();
        return of.isEmpty() ? null : of.get(of.size() - 1);
    }

    @Override
    public void onCredentialsRefreshed(dev.parley.client.session.Credentials fresh) {
        refreshed.add(fresh);
    }

    @Override
    public void onMessage(Envelope envelope) {
        messages.add(envelope);
    }

    @Override
    public void onTick(TickUpdate update) {
        ticks.add(update);
    }

    @Override
    public void onSendFailed(PendingSend send, ParleyException error) {
        failures.add(new Failure(send, error));
    }

    @Override
    public void onGroupChanged(GroupEvent event) {
        groupEvents.add(event);
    }

    @Override
    public void onConnectionChanged(ConnectionState state, ParleyException cause) {
        states.add(state);
        if (cause != null) {
            stopCauses.add(cause);
        }
    }

    /** The ticks one message went through, in the order they were reported, repeats removed. */
    List<Tick> ticksOf(String clientMsgId) {
        List<Tick> seen = new ArrayList<>();
        for (TickUpdate update : ticks) {
            if (update.clientMsgId().equals(clientMsgId) && (seen.isEmpty() || seen.get(seen.size() - 1) != update.tick())) {
                seen.add(update.tick());
            }
        }
        return seen;
    }

    /** Messages received from someone else, in arrival order. */
    List<Envelope> from(java.util.UUID sender) {
        return messages.stream().filter(m -> sender.equals(m.from())).toList();
    }
}
