package dev.parley.broker.receipts;

import dev.parley.broker.groups.Rosters;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Receipt;
import dev.parley.protocol.groups.GroupReceipts;
import dev.parley.store.groups.GroupStore;
import dev.parley.store.messages.Watermarks;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group receipts, coalesced per group and kind over {@link #WINDOW}: the watermarks that moved in the
 * window are written (delivered; read marks are written before their PUBACK) and then published to
 * every member as one {@link GroupReceipts}. Per member that is at most one delivered and one read
 * publish per group per window, however many members read along, and at most one watermark write per
 * member per window instead of one per message.
 */
final class GroupReceiptDigest implements AutoCloseable {

    static final Duration WINDOW = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(GroupReceiptDigest.class);

    private record Key(ConversationId conversation, Receipt.Type type) {
    }

    private final Watermarks watermarks;
    private final Rosters rosters;
    private final ReceiptPublisher publisher;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Map<Key, Map<UUID, Long>> pending = new ConcurrentHashMap<>();

    GroupReceiptDigest(Watermarks watermarks, Rosters rosters, ReceiptPublisher publisher, Clock clock,
                       ScheduledExecutorService timer) {
        this.watermarks = watermarks;
        this.rosters = rosters;
        this.publisher = publisher;
        this.clock = clock;
        this.timer = timer;
    }

    /** A member's device acknowledged the group's messages up to {@code seq}; written with the next digest. */
    void delivered(ConversationId group, UUID member, long seq) {
        note(new Key(group, Receipt.Type.delivered), member, seq);
    }

    /** A member read up to {@code seq}; the caller has stored the watermark already. */
    void read(ConversationId group, UUID member, long seq) {
        note(new Key(group, Receipt.Type.read), member, seq);
    }

    private void note(Key key, UUID member, long seq) {
        boolean[] opened = {false};
        pending.compute(key, (k, marks) -> {
            Map<UUID, Long> window = marks;
            if (window == null) {
                window = new ConcurrentHashMap<>();
                opened[0] = true;
            }
            window.merge(member, seq, Math::max);
            return window;
        });
        if (opened[0]) {
            timer.schedule(() -> flush(key), WINDOW.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void flush(Key key) {
        Map<UUID, Long> marks = pending.remove(key);
        if (marks == null || marks.isEmpty()) {
            return;
        }
        UUID groupId = key.conversation().groupId().orElseThrow();
        store(key, marks)
                .thenCompose(v -> rosters.current(groupId))
                .thenAccept(roster -> roster.ifPresent(r -> {
                    GroupReceipts digest = new GroupReceipts(key.conversation().value(), key.type(), marks, clock.instant());
                    publisher.publish(r.members().stream().map(GroupStore.Member::userId).toList(), digest);
                }))
                .whenComplete((v, error) -> {
                    if (error != null) {
                        LOG.warn("{} receipts of group {} for {} members not stored or published: {}", key.type(),
                                groupId, marks.size(), error.toString());
                    }
                });
    }

    private CompletionStage<Void> store(Key key, Map<UUID, Long> marks) {
        if (key.type() != Receipt.Type.delivered) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.allOf(marks.entrySet().stream()
                .map(e -> watermarks.advance(Watermarks.Kind.DELIVERED, key.conversation().value(), e.getKey(), e.getValue())
                        .toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    @Override
    public void close() {
        timer.shutdown();
    }
}
