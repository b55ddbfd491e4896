package dev.parley.broker.messages;

import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.ConversationLeases;
import dev.parley.store.messages.Lease;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.StoredMessage;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each message its place in its conversation and stores it, before anyone acknowledges it.
 *
 * <p>One node at a time owns a conversation (a lease in Cassandra, claimed with a lightweight
 * transaction only when ownership changes or is renewed). The owner keeps the conversation's last
 * seq in memory and gives the next message last + 1, one message after another, so seqs are gapless
 * and in one order; each message then costs plain inserts. The lease epoch is the write timestamp of
 * the rows, so a former owner's late write loses against the current owner's.
 *
 * <p>A write that fails leaves its seq "unresolved": nothing else is numbered in that conversation
 * until the same message is written again at the same seq (a timed-out write may still have landed,
 * so the seq can be neither skipped nor reused for another message).
 */
final class ConversationSequencer {

    private static final Logger LOG = LoggerFactory.getLogger(ConversationSequencer.class);

    private final MessageStore messages;
    private final ConversationLeases leases;
    private final ConversationIndex index;
    private final SequencerSettings settings;
    private final Clock clock;
    private final Executor executor;
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();

    ConversationSequencer(MessageStore messages, ConversationLeases leases, ConversationIndex index,
                          SequencerSettings settings, Clock clock, Executor executor) {
        this.messages = messages;
        this.leases = leases;
        this.index = index;
        this.settings = settings;
        this.clock = clock;
        this.executor = executor;
    }

    /**
     * Sequences and stores a send that {@code admission} lets in. Its delivery runs for a newly stored
     * message before the next message of the conversation is processed, so deliveries leave in seq order.
     */
    CompletionStage<SequencerResult> submit(Submission submission, Admission admission) {
        while (true) {
            Conversation conversation = conversations.computeIfAbsent(submission.conversationId(),
                    id -> new Conversation(id, new SerialLane(executor)));
            Optional<CompletionStage<SequencerResult>> queued =
                    conversation.lane.submit(() -> process(conversation, submission, admission));
            if (queued.isPresent()) {
                return queued.get();
            }
            conversations.remove(conversation.id, conversation); // retired meanwhile: take a fresh one
        }
    }

    /**
     * Forgets conversations this node no longer orders (lease ended) and nobody is sending to, so that
     * memory follows the active conversations, not every conversation ever seen. A lane is retired only
     * when idle, so no two lanes of one conversation ever run at once on this node.
     */
    int forgetIdle() {
        Instant now = clock.instant();
        int forgotten = 0;
        for (Conversation c : conversations.values()) {
            boolean leaseOver = c.lease == null || now.isAfter(c.lease.expiresAt());
            if (leaseOver && c.unresolved == null && c.lane.retireIfIdle() && conversations.remove(c.id, c)) {
                forgotten++;
            }
        }
        return forgotten;
    }

    int conversationsInMemory() {
        return conversations.size();
    }

    private CompletionStage<SequencerResult> process(Conversation c, Submission s, Admission admission) {
        return ensureLease(c).thenCompose(owned -> {
            if (!owned) {
                return CompletableFuture.completedFuture(new SequencerResult.OwnedBy(c.foreign.owner()));
            }
            return ensureLoaded(c)
                    .thenCompose(v -> resolvePending(c))
                    .thenCompose(v -> findOriginal(s))
                    .thenCompose(original -> {
                        if (original.isPresent()) {
                            return CompletableFuture.completedFuture(original.get());
                        }
                        return admission.admit(s).thenCompose(verdict -> verdict instanceof Admission.Admitted admitted
                                ? store(c, s, admitted.deliver())
                                : CompletableFuture.completedFuture(((Admission.Refused) verdict).failure()));
                    });
        }).exceptionally(error -> {
            LOG.warn("Message {} from user {} in conversation {} not stored: {}", s.clientMsgId(), s.sender(), c.id,
                    rootMessage(error));
            return new SequencerResult.Failed(SequencerResult.Kind.STORE_UNAVAILABLE,
                    "message not stored: the store did not confirm the write in time; retry the send");
        });
    }

    private CompletionStage<Boolean> ensureLease(Conversation c) {
        Instant now = clock.instant();
        if (c.foreign != null && now.isBefore(c.foreign.expiresAt())) {
            return CompletableFuture.completedFuture(false);
        }
        Lease lease = c.lease;
        if (lease != null && now.isBefore(lease.expiresAt().minus(settings.renewBefore()))) {
            return CompletableFuture.completedFuture(true);
        }
        CompletionStage<Optional<Lease>> renewed = lease != null && now.isBefore(lease.expiresAt().minus(settings.writeMargin()))
                ? leases.renew(lease, now, settings.leaseTtl())
                : CompletableFuture.completedFuture(Optional.empty());
        return renewed.thenCompose(r -> {
            if (r.isPresent()) {
                c.lease = r.get();
                return CompletableFuture.completedFuture(true);
            }
            return leases.acquire(c.id, settings.nodeId(), clock.instant(), settings.leaseTtl()).thenCompose(acquired -> {
                if (acquired.isEmpty()) {
                    c.lease = null;
                    // Remember who owns it until its lease ends, so forwarding costs no read per message.
                    return leases.current(c.id).thenApply(current -> {
                        c.foreign = current.filter(l -> !l.owner().equals(settings.nodeId())).orElse(null);
                        return false;
                    }).thenCompose(notOwned -> c.foreign == null
                            ? CompletableFuture.failedFuture(new IllegalStateException("lease of " + c.id + " changed hands while claiming it"))
                            : CompletableFuture.completedFuture(false));
                }
                c.foreign = null;
                if (c.lease == null || c.lease.epoch() != acquired.get().epoch()) {
                    // A new epoch: someone else may have written since; what we knew is stale.
                    c.lastSeq = -1;
                    c.unresolved = null;
                    c.unresolvedDelivery = null;
                }
                c.lease = acquired.get();
                return CompletableFuture.completedFuture(true);
            });
        });
    }

    private CompletionStage<Void> ensureLoaded(Conversation c) {
        if (c.lastSeq >= 0) {
            return CompletableFuture.completedFuture(null);
        }
        return messages.lastSeq(c.id).thenAccept(last -> c.lastSeq = last);
    }

    private CompletionStage<Void> resolvePending(Conversation c) {
        StoredMessage pending = c.unresolved;
        Consumer<StoredMessage> deliver = c.unresolvedDelivery;
        if (pending == null) {
            return CompletableFuture.completedFuture(null);
        }
        return write(c, pending).thenAccept(v -> {
            c.unresolved = null;
            c.unresolvedDelivery = null;
            c.lastSeq = pending.seq();
            LOG.info("Message {} of user {} stored at seq {} of {} on a later attempt", pending.messageId(),
                    pending.sender(), pending.seq(), c.id);
            deliver.accept(pending);
        });
    }

    private CompletionStage<Optional<SequencerResult>> findOriginal(Submission s) {
        return messages.findSend(s.sender(), s.clientMsgId()).thenCompose(send -> {
            if (send.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            if (!send.get().conversationId().equals(s.conversationId())) {
                return CompletableFuture.completedFuture(Optional.of(new SequencerResult.Failed(
                        SequencerResult.Kind.CLIENT_MSG_ID_REUSED, "clientMsgId " + s.clientMsgId()
                        + " was already used for a message in another conversation; use a new id per message")));
            }
            return messages.at(s.conversationId(), send.get().seq()).thenApply(stored -> stored
                    // The record may point at a seq a failed attempt never filled, or that a newer owner
                    // filled with another message: then this send is new after all.
                    .filter(m -> m.messageId().equals(send.get().messageId()))
                    .map(SequencerResult.Duplicate::new));
        });
    }

    private CompletionStage<SequencerResult> store(Conversation c, Submission s, Consumer<StoredMessage> deliver) {
        // Millisecond precision, as Cassandra keeps it: a live envelope must equal the stored one.
        StoredMessage message = new StoredMessage(UUID.randomUUID(), s.conversationId(), c.lastSeq + 1, s.sender(),
                s.recipient(), s.groupId(), s.text(), s.clientMsgId(), clock.instant().truncatedTo(ChronoUnit.MILLIS),
                s.event());
        c.unresolved = message;
        c.unresolvedDelivery = deliver;
        return write(c, message).thenApply(v -> {
            c.unresolved = null;
            c.unresolvedDelivery = null;
            c.lastSeq = message.seq();
            deliver.accept(message);
            return new SequencerResult.Stored(message);
        });
    }

    private CompletionStage<Void> write(Conversation c, StoredMessage message) {
        if (clock.instant().isAfter(c.lease.expiresAt().minus(settings.writeMargin()))) {
            return CompletableFuture.failedFuture(new IllegalStateException("lease of " + c.id + " too close to its end"));
        }
        CompletionStage<Void> first = message.seq() == 1
                ? index.recordStart(message)
                : CompletableFuture.completedFuture(null);
        return first.thenCompose(v -> messages.append(message, c.lease.epoch()));
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Per-conversation state; touched only by steps of its lane, one at a time. */
    private static final class Conversation {
        final String id;
        final SerialLane lane;
        Lease lease;
        Lease foreign;
        long lastSeq = -1;
        StoredMessage unresolved;
        /** Who gets {@link #unresolved} once it is stored: the audience admitted with it. */
        Consumer<StoredMessage> unresolvedDelivery;

        Conversation(String id, SerialLane lane) {
            this.id = id;
            this.lane = lane;
        }
    }
}
