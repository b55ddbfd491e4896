package dev.parley.store.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.store.StoreTestSupport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ConversationLeasesTest {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static CqlSession session;
    private static String keyspace;
    private static ConversationLeases leases;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private final String conversation = "dm:" + UUID.randomUUID();

    @BeforeAll
    static void setUp() {
        session = StoreTestSupport.session();
        leases = new ConversationLeases(session, (keyspace = StoreTestSupport.migratedKeyspace(session, "leases")));
    }

    @AfterAll
    static void tearDown() {
        StoreTestSupport.drop(session, keyspace);
        session.close();
    }

    @Test
    void exactlyOneOfManyConcurrentClaimantsGetsAFreeConversation() {
        List<Optional<Lease>> results = IntStream.range(0, 8)
                .mapToObj(i -> leases.acquire(conversation, "node-" + i, now, TTL).toCompletableFuture())
                .map(CompletableFuture::join)
                .toList();
        assertThat(results.stream().filter(Optional::isPresent)).hasSize(1);
    }

    @Test
    void aRunningLeaseIsNotTakenAndAnExpiredOneIsTakenWithTheNextEpoch() {
        Lease first = leases.acquire(conversation, "node-a", now, TTL).toCompletableFuture().join().orElseThrow();
        assertThat(first.epoch()).isEqualTo(1);

        assertThat(leases.acquire(conversation, "node-b", now.plusSeconds(10), TTL).toCompletableFuture().join()).isEmpty();

        Lease second = leases.acquire(conversation, "node-b", now.plus(TTL).plusSeconds(1), TTL)
                .toCompletableFuture().join().orElseThrow();
        assertThat(second.epoch()).isEqualTo(2);
        assertThat(leases.renew(first, now.plusSeconds(40), TTL).toCompletableFuture().join()).isEmpty();
        assertThat(leases.renew(second, now.plusSeconds(40), TTL).toCompletableFuture().join())
                .hasValueSatisfying(l -> assertThat(l.expiresAt()).isEqualTo(now.plusSeconds(40).plus(TTL)));
    }
}
