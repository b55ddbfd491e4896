package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.connection.Backoff;
import dev.parley.client.connection.ReconnectDelays;
import dev.parley.client.receipts.Tick;
import dev.parley.client.receipts.Watermarks;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffAndWatermarksTest {

    @Test
    void delaysDoubleUpToTheCapWithJitterInTheUpperHalf() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        Random random = new Random(7);
        for (int attempt = 0; attempt < 40; attempt++) {
            long ceiling = Math.min(2_000, 100L << Math.min(attempt, 20));
            long delay = backoff.delay(attempt, random).toMillis();
            assertThat(delay).as("attempt " + attempt).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void aLinkThatDropsAtOnceKeepsBackingOffAndOnlyAStableConnectionStartsAgain() {
        Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
        ReconnectDelays delays = new ReconnectDelays(backoff, Duration.ofSeconds(10));
        Random random = new Random(11);
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        // Connects, subscribes, drops a second later, twelve times over: each drop counts.
        for (int drop = 0; drop < 12; drop++) {
            delays.connected(now);
            now = now.plusSeconds(1);
            long ceiling = Math.min(30_000, 500L << drop);
            assertThat(delays.next(now, random).toMillis()).as("drop " + drop).isBetween(ceiling / 2, ceiling);
        }
        assertThat(delays.failures()).isEqualTo(12);
        // Failed attempts without any connection keep counting too.
        assertThat(delays.next(now, random).toMillis()).isBetween(15_000L, 30_000L);

        // A connection that stayed up 10 s: the next drop starts from the first delay again.
        delays.connected(now);
        now = now.plusSeconds(10);
        assertThat(delays.next(now, random).toMillis()).isBetween(250L, 500L);
        assertThat(delays.next(now, random).toMillis()).as("then doubles again").isBetween(500L, 1_000L);
    }

    @Test
    void aConnectionJustShortOfStableStillCounts() {
        ReconnectDelays delays = new ReconnectDelays(new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30)),
                Duration.ofSeconds(10));
        Random random = new Random(3);
        Instant now = Instant.parse("2026-11-26T10:00:00Z");
        delays.next(now, random);
        delays.next(now, random);
        delays.connected(now);
        assertThat(delays.next(now.plusMillis(9_999), random).toMillis()).isBetween(1_000L, 2_000L);
    }

    @Test
    void watermarksOnlyMoveForwardAndReadImpliesDelivered() {
        Watermarks marks = new Watermarks(5, 3).merge(new Watermarks(4, 0)); // an old, late receipt
        assertThat(marks).isEqualTo(new Watermarks(5, 3));
        assertThat(marks.tickOf(2)).isEqualTo(Tick.READ);
        assertThat(marks.tickOf(5)).isEqualTo(Tick.DELIVERED);
        assertThat(marks.tickOf(6)).isEqualTo(Tick.SENT);
    }
}
