package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.broker.testing.TestStack;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.ConversationLeases;
import dev.parley.store.messages.MessageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sequencer against the real store, with a clock the test moves: leases, takeover, forgetting. */
@Timeout(60)
class ConversationSequencerTest {

    private static String keyspace;
    private static CqlSession session;
    private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(2);

    private final MovableClock clock = new MovableClock(Instant.now());
    private final String conversation = "dm:" + UUID.randomUUID() + ":" + UUID.randomUUID();
    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();

    @BeforeAll
    static void schema() {
        keyspace = TestStack.migratedKeyspace("sequencer");
        session = TestStack.session(keyspace);
    }

    @AfterAll
    static void drop() {
        EXECUTOR.shutdownNow();
        TestStack.dropKeyspace(session, keyspace);
        session.close();
    }

    private ConversationSequencer node(String id) {
        return new ConversationSequencer(new MessageStore(session, keyspace), new ConversationLeases(session, keyspace),
                new ConversationIndex(session, keyspace), new SequencerSettings(id, Messaging.LEASE_TTL,
                Messaging.RENEW_BEFORE, Messaging.WRITE_MARGIN), clock, EXECUTOR);
    }

    private SequencerResult send(ConversationSequencer node, String clientMsgId) throws Exception {
        return node.submit(new Submission(conversation, alice, bob, null, clientMsgId, "text " + clientMsgId, null),
                s -> Admission.admitted(m -> { }))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static long seqOf(SequencerResult result) {
        assertThat(result).isInstanceOf(SequencerResult.Stored.class);
        return ((SequencerResult.Stored) result).message().seq();
    }

    @Test
    void anotherNodeIsToldWhoOwnsTheConversationAndTakesOverOnlyAfterTheLeaseEnds() throws Exception {
        ConversationSequencer nodeA = node("node-a");
        ConversationSequencer nodeB = node("node-b");
        assertThat(seqOf(send(nodeA, "1"))).isEqualTo(1);

        assertThat(send(nodeB, "2")).isEqualTo(new SequencerResult.OwnedBy("node-a"));

        clock.advance(Messaging.LEASE_TTL.plusSeconds(1));
        assertThat(seqOf(send(nodeB, "2"))).isEqualTo(2);
        // Node A's lease is gone: it learns that node B owns the conversation now.
        assertThat(send(nodeA, "3")).isEqualTo(new SequencerResult.OwnedBy("node-b"));
    }

    @Test
    void aForgottenConversationContinuesGaplessly() throws Exception {
        ConversationSequencer nodeA = node("node-a");
        assertThat(seqOf(send(nodeA, "1"))).isEqualTo(1);
        assertThat(seqOf(send(nodeA, "2"))).isEqualTo(2);
        assertThat(nodeA.forgetIdle()).as("nothing forgotten while the lease runs").isZero();

        clock.advance(Messaging.LEASE_TTL.plusSeconds(1));
        // The lane marks itself idle just after handing out its last result: the sweep may need a second go.
        await("the idle conversation forgotten").atMost(Duration.ofSeconds(5)).until(() -> {
            nodeA.forgetIdle();
            return nodeA.conversationsInMemory() == 0;
        });

        assertThat(seqOf(send(nodeA, "3"))).isEqualTo(3);
        assertThat(send(nodeA, "1")).isInstanceOf(SequencerResult.Duplicate.class);
    }

    /** A clock the test moves forward, to let leases run out without waiting for them. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
