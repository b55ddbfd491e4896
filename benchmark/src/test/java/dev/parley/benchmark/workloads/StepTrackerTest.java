package dev.parley.benchmark.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How arrivals are matched and counted: the loss and duplicate numbers every point's verdict rests on. */
class StepTrackerTest {

    private static final long START = 1_000_000_000L;

    /** Three messages at 1,000/s: 0 → 1, 1 → 0, 2 → 3 (devices by index). */
    private final StepTracker tracker = new StepTracker(4, START, 1000, new int[] {0, 1, 2}, new int[] {1, 0, 3});

    @Test
    void latencyCountsFromTheScheduledTimeNotFromTheSend() {
        assertThat(tracker.dueNanos(2)).isEqualTo(START + 2_000_000);
        tracker.arrived(2, 3, START + 2_000_000 + 7_000_000); // 7 ms after it was due
        assertThat(tracker.latency().p50Ms()).isEqualTo(7.0);
    }

    @Test
    void aMessageThatNeverArrivesIsLostAndASecondCopyIsADuplicate() {
        tracker.arrived(0, 1, START + 1_000_000);
        tracker.arrived(0, 1, START + 2_000_000);
        tracker.arrived(1, 0, START + 3_000_000);
        assertThat(tracker.delivered()).isEqualTo(2);
        assertThat(tracker.duplicates()).isEqualTo(1);
        assertThat(tracker.lost()).isEqualTo(1);
    }

    @Test
    void theSendersOwnCopyIsAnEchoAndAnyOtherDeviceIsMisrouted() {
        tracker.arrived(2, 2, START + 3_000_000); // Parley's copy to the sender's device
        tracker.arrived(2, 0, START + 3_000_000); // a device that is neither
        tracker.arrived(7, 0, START + 3_000_000); // a message this step never sent
        assertThat(tracker.echoes()).isEqualTo(1);
        assertThat(tracker.misrouted()).isEqualTo(2);
        assertThat(tracker.delivered()).isZero();
        assertThat(tracker.lost()).isEqualTo(3);
    }

    @Test
    void errorAcknowledgementsAreCountedNotTimed() {
        tracker.acknowledged(0, START + 5_000_000, false);
        tracker.acknowledged(1, START + 5_000_000, true);
        assertThat(tracker.ackErrors()).isEqualTo(1);
        assertThat(tracker.ack().count()).isEqualTo(1);
        assertThat(tracker.ack().p50Ms()).isEqualTo(5.0);
    }

    @Test
    void idsSurviveTheRoundTripThroughAPlainPayloadAndAParleyEnvelope() {
        byte[] sent = MessageIds.payload(12, 3456, MessageIds.text(300));
        assertThat(MessageIds.parse(ByteBuffer.wrap(sent))).containsExactly(12, 3456);
        String envelope = "{\"id\":\"x\",\"conversationId\":\"dm:a:b\",\"seq\":9,\"clientMsgId\":\"b12-3456\",\"text\":\"t\"}";
        assertThat(MessageIds.parse(ByteBuffer.wrap(envelope.getBytes(StandardCharsets.UTF_8)))).containsExactly(12, 3456);
        assertThat(MessageIds.parse(ByteBuffer.wrap("{\"clientMsgId\":\"phone-1\"}".getBytes(StandardCharsets.UTF_8)))).isNull();
        assertThat(MessageIds.text(300)).hasSize(300);
    }
}
