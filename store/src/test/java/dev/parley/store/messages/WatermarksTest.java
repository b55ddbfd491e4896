package dev.parley.store.messages;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.store.StoreTestSupport;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class WatermarksTest {

    private static CqlSession session;
    private static String keyspace;
    private static Watermarks watermarks;

    @BeforeAll
    static void setUp() {
        session = StoreTestSupport.session();
        watermarks = new Watermarks(session, (keyspace = StoreTestSupport.migratedKeyspace(session, "watermarks")));
    }

    @AfterAll
    static void tearDown() {
        StoreTestSupport.drop(session, keyspace);
        session.close();
    }

    @Test
    void aWatermarkNeverMovesBackwards() {
        String conversation = "dm:" + UUID.randomUUID();
        UUID bob = UUID.randomUUID();
        watermarks.advance(Watermarks.Kind.READ, conversation, bob, 7).toCompletableFuture().join();
        watermarks.advance(Watermarks.Kind.READ, conversation, bob, 3).toCompletableFuture().join();
        watermarks.advance(Watermarks.Kind.DELIVERED, conversation, bob, 9).toCompletableFuture().join();

        assertThat(watermarks.of(Watermarks.Kind.READ, conversation).toCompletableFuture().join()).isEqualTo(Map.of(bob, 7L));
        assertThat(watermarks.of(Watermarks.Kind.DELIVERED, conversation).toCompletableFuture().join()).isEqualTo(Map.of(bob, 9L));
    }
}
