package dev.parley.store.presence;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.parley.protocol.presence.PresencePrivacy;
import dev.parley.store.StoreTestSupport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class UserPresenceStoreTest {

    private static CqlSession session;
    private static String keyspace;
    private static UserPresenceStore store;

    @BeforeAll
    static void setUp() {
        session = StoreTestSupport.session();
        store = new UserPresenceStore(session, (keyspace = StoreTestSupport.migratedKeyspace(session, "presence")));
    }

    @AfterAll
    static void tearDown() {
        StoreTestSupport.drop(session, keyspace);
        session.close();
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void aUserNeverRecordedHasNoLastSeenAndTheDefaultSettings() {
        assertThat(join(store.find(UUID.randomUUID()))).isEqualTo(UserPresenceStore.Row.NONE);
    }

    @Test
    void theNewestLastSeenWinsWhateverOrderTheWritesLandIn() {
        UUID user = UUID.randomUUID();
        Instant earlier = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        Instant later = earlier.plusSeconds(30);
        join(store.recordLastSeen(user, later));
        join(store.recordLastSeen(user, earlier));
        assertThat(join(store.find(user)).lastSeen()).isEqualTo(later);
        join(store.recordLastSeen(user, later.plusMillis(1)));
        assertThat(join(store.find(user)).lastSeen()).isEqualTo(later.plusMillis(1));
    }

    @Test
    void settingsAreKeptBesideTheLastSeen() {
        UUID user = UUID.randomUUID();
        Instant seen = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        join(store.recordLastSeen(user, seen));
        join(store.saveSettings(user, new PresencePrivacy(true, false), Instant.now()));
        assertThat(join(store.find(user))).isEqualTo(new UserPresenceStore.Row(seen, new PresencePrivacy(true, false)));
        join(store.saveSettings(user, new PresencePrivacy(false, false), Instant.now()));
        assertThat(join(store.find(user)).privacy()).isEqualTo(new PresencePrivacy(false, false));
        assertThat(join(store.find(user)).lastSeen()).isEqualTo(seen);
    }
}
