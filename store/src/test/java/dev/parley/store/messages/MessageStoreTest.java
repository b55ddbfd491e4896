package dev.parley.store.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.store.StoreTestSupport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class MessageStoreTest {

    private static CqlSession session;
    private static String keyspace;
    private static MessageStore store;
    private final UUID alice = UUID.randomUUID();
    private final UUID bob = UUID.randomUUID();

    @BeforeAll
    static void setUp() {
        session = StoreTestSupport.session();
        store = new MessageStore(session, (keyspace = StoreTestSupport.migratedKeyspace(session, "messages")));
    }

    @AfterAll
    static void tearDown() {
        StoreTestSupport.drop(session, keyspace);
        session.close();
    }

    private StoredMessage message(String conversation, long seq) {
        return new StoredMessage(UUID.randomUUID(), conversation, seq, alice, bob, null, "message " + seq,
                "c-" + seq, Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** In windows of 100 sends (300 writes): the driver allows 1024 requests in flight per connection. */
    private void appendAll(String conversation, long from, long to) {
        for (long start = from; start <= to; start += 100) {
            CompletableFuture.allOf(LongStream.rangeClosed(start, Math.min(to, start + 99))
                    .mapToObj(seq -> store.append(message(conversation, seq), 1).toCompletableFuture())
                    .toArray(CompletableFuture[]::new)).join();
        }
    }

    @Test
    void catchUpAcrossBucketBoundariesReturnsExactlyWhatFollows() {
        String conversation = "dm:" + UUID.randomUUID();
        appendAll(conversation, 1, 2_050);

        List<StoredMessage> page = store.after(conversation, 990, 500).toCompletableFuture().join();
        assertThat(page).extracting(StoredMessage::seq).isEqualTo(LongStream.rangeClosed(991, 1490).boxed().toList());

        List<StoredMessage> tail = store.after(conversation, 1_990, 500).toCompletableFuture().join();
        assertThat(tail).extracting(StoredMessage::seq).isEqualTo(LongStream.rangeClosed(1991, 2050).boxed().toList());

        assertThat(store.after(conversation, 2_050, 10).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void historyPagesBackwardsAcrossBuckets() {
        String conversation = "dm:" + UUID.randomUUID();
        appendAll(conversation, 1, 1_010);
        assertThat(store.before(conversation, 1_005, 10).toCompletableFuture().join())
                .extracting(StoredMessage::seq).containsExactly(1004L, 1003L, 1002L, 1001L, 1000L, 999L, 998L, 997L, 996L, 995L);
        assertThat(store.before(conversation, 1, 10).toCompletableFuture().join()).isEmpty();
    }

    @Test
    void lastSeqIsZeroForANewConversationAndFollowsAppends() {
        String conversation = "dm:" + UUID.randomUUID();
        assertThat(store.lastSeq(conversation).toCompletableFuture().join()).isZero();
        appendAll(conversation, 1, 3);
        assertThat(store.lastSeq(conversation).toCompletableFuture().join()).isEqualTo(3);
    }

    @Test
    void aSendIsFoundByItsSenderAndClientMsgId() {
        String conversation = "dm:" + UUID.randomUUID();
        StoredMessage m = message(conversation, 1);
        store.append(m, 1).toCompletableFuture().join();
        assertThat(store.findSend(alice, m.clientMsgId()).toCompletableFuture().join())
                .contains(new SendRecord(conversation, 1, m.messageId()));
        assertThat(store.at(conversation, 1).toCompletableFuture().join()).contains(m);
    }

    @Test
    void aFormerOwnersLateWriteLosesToTheNewEpoch() {
        String conversation = "dm:" + UUID.randomUUID();
        StoredMessage current = message(conversation, 1);
        StoredMessage stale = message(conversation, 1);
        store.append(current, 2).toCompletableFuture().join();
        store.append(stale, 1).toCompletableFuture().join();
        assertThat(store.at(conversation, 1).toCompletableFuture().join()).contains(current);
    }
}
