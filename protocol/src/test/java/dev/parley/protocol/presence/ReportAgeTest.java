package dev.parley.protocol.presence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReportAgeTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-26T10:00:00Z");
    private static final long FULL = ReportAge.EXPIRY.toSeconds();

    @Test
    void aReportThatWaitedIsDatedWhenItWasMade() {
        assertThat(ReportAge.madeAt(RECEIVED, OptionalLong.of(FULL - 600))).isEqualTo(RECEIVED.minusSeconds(600));
        assertThat(ReportAge.madeAt(RECEIVED, OptionalLong.of(FULL - 2))).isEqualTo(RECEIVED.minusSeconds(2));
    }

    @Test
    void aLiveReportIsDatedWhenItArrived() {
        assertThat(ReportAge.madeAt(RECEIVED, OptionalLong.of(FULL))).isEqualTo(RECEIVED);
        assertThat(ReportAge.madeAt(RECEIVED, OptionalLong.of(FULL - 1))).as("the countdown's rounding").isEqualTo(RECEIVED);
    }

    @Test
    void aReportWithoutTheBrokersExpiryIsDatedWhenItArrived() {
        assertThat(ReportAge.madeAt(RECEIVED, OptionalLong.empty())).isEqualTo(RECEIVED);
        assertThat(ReportAge.madeAt(RECEIVED, OptionalLong.of(FULL + 100))).as("not the broker's interval").isEqualTo(RECEIVED);
    }
}
