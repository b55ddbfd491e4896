package dev.parley.protocol.typing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The rate rule alone, on a given clock. */
@Timeout(10)
class TypingThrottleTest {

    private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    private final TypingThrottle limiter = new TypingThrottle(Duration.ofSeconds(1), 1_000);

    private boolean admit(TypingState state, long millis) {
        return limiter.admit("alice/phone", "dm:a:b", state, T0.plusMillis(millis));
    }

    @Test
    void oneIndicatorPerSecondPerDeviceAndConversation() {
        assertThat(admit(TypingState.TYPING, 0)).isTrue();
        assertThat(admit(TypingState.TYPING, 100)).isFalse();
        assertThat(admit(TypingState.TYPING, 999)).isFalse();
        assertThat(admit(TypingState.TYPING, 1_000)).isTrue();
        // Another device, another conversation: limits of their own.
        assertThat(limiter.admit("alice/laptop", "dm:a:b", TypingState.TYPING, T0.plusMillis(1_001))).isTrue();
        assertThat(limiter.admit("alice/phone", "g:c", TypingState.TYPING, T0.plusMillis(1_001))).isTrue();
    }

    @Test
    void pausedRightAfterAForwardedTypingAlwaysPassesButOnlyOnce() {
        assertThat(admit(TypingState.TYPING, 0)).isTrue();
        assertThat(admit(TypingState.PAUSED, 10)).isTrue();
        assertThat(admit(TypingState.PAUSED, 20)).isFalse();
        assertThat(admit(TypingState.TYPING, 30)).isFalse();
        assertThat(admit(TypingState.PAUSED, 40)).as("the last forwarded state is already paused").isFalse();
    }

    @Test
    void aBurstForwardsAtMostTwoPerSecond() {
        int forwarded = 0;
        for (int i = 0; i < 1_000; i++) {
            if (admit(i % 2 == 0 ? TypingState.TYPING : TypingState.PAUSED, i)) {
                forwarded++;
            }
        }
        assertThat(forwarded).isEqualTo(2);
    }

    @Test
    void oldEntriesAreForgotten() {
        admit(TypingState.TYPING, 0);
        limiter.admit("bob/phone", "dm:a:b", TypingState.TYPING, T0.plusSeconds(5));
        limiter.forgetBefore(T0.plusSeconds(4));
        assertThat(limiter.size()).isEqualTo(1);
    }

    @Test
    void memoryIsBoundedUnderAFloodOfConversations() {
        TypingThrottle small = new TypingThrottle(Duration.ofSeconds(1), 100);
        for (int i = 0; i < 10_000; i++) {
            small.admit("alice/phone", "g:" + i, TypingState.TYPING, T0.plusMillis(i * 10L));
        }
        assertThat(small.size()).isLessThanOrEqualTo(200);
    }
}
