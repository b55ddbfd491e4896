package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.connection.Backoff;
import dev.parley.client.receipts.Tick;
import dev.parley.client.receipts.Watermarks;
import java.time.Duration;
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
    void watermarksOnlyMoveForwardAndReadImpliesDelivered() {
        Watermarks marks = new Watermarks(5, 3).merge(new Watermarks(4, 0)); // an old, late receipt
        assertThat(marks).isEqualTo(new Watermarks(5, 3));
        assertThat(marks.tickOf(2)).isEqualTo(Tick.READ);
        assertThat(marks.tickOf(5)).isEqualTo(Tick.DELIVERED);
        assertThat(marks.tickOf(6)).isEqualTo(Tick.SENT);
    }
}
