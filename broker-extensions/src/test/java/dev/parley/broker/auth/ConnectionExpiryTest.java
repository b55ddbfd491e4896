package dev.parley.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timer alone, with a recording disconnector; {@link BrokerAuthenticationTest} has the real one. */
@Timeout(30)
class ConnectionExpiryTest {

    private final List<String> disconnected = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final ConnectionExpiry expiry = new ConnectionExpiry((id, reason) -> disconnected.add(id + ": " + reason),
            Clock.systemUTC(), timer);

    @AfterEach
    void close() {
        expiry.close();
        timer.shutdownNow();
    }

    /** An expiry that, with the clock skew allowance, is {@code millis} from now. */
    private static Instant inMillis(long millis) {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(ConnectionExpiry.CLOCK_SKEW).plusMillis(millis);
    }

    @Test
    void theConnectionEndsWhenItsTokenExpiresWithAReasonSayingWhatToDo() {
        Instant expiresAt = inMillis(200);

        expiry.schedule("u/phone", expiresAt);

        await().atMost(Duration.ofSeconds(5)).until(() -> !disconnected.isEmpty());
        assertThat(disconnected).containsExactly("u/phone: access token expired at " + expiresAt
                + ": log in again (POST /v1/tokens) and reconnect with the new token");
        assertThat(expiry.pending()).isZero();
    }

    @Test
    void aReconnectWithANewTokenReplacesTheOldTimer() {
        expiry.schedule("u/phone", inMillis(200));
        expiry.schedule("u/phone", inMillis(60_000));
        expiry.schedule("u/laptop", inMillis(300));

        await().atMost(Duration.ofSeconds(5)).until(() -> !disconnected.isEmpty());
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(disconnected).singleElement().asString().startsWith("u/laptop: "));
        assertThat(expiry.pending()).isEqualTo(1);
    }

    @Test
    void aTokenAlreadyWithinTheSkewAllowanceEndsTheConnectionAtOnce() {
        expiry.schedule("u/phone", Instant.now().minus(ConnectionExpiry.CLOCK_SKEW).minusSeconds(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> disconnected.size() == 1);
    }
}
