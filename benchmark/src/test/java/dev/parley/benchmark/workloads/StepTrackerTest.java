package dev.parley.benchmark.workloads;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How arrivals are matched and counted: the loss and duplicate numbers every point's verdict rests on. */
class StepTrackerTest {

    private static final long START = 1_000_000_000L;

    /** Three messages at 1,000/s: 0 → 1, 1 → 0, 2 → 3 (devices by index). */
    private final StepTracker tracker = new StepTracker(4, START, 1000, new int[] {0, 1, 2},
            Audience.oneEach(new int[] {1, 0, 3}));

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
    void aGroupMessageIsDueOnceAtEveryMemberTheSenderIncludedAndNowhereElse() {
        // Two groups of three: devices 0-2 and 3-5. Message 0 from device 1 to group 0, message 1 from 4 to group 1.
        StepTracker groups = new StepTracker(5, START, 1000, new int[] {1, 4}, Audience.groups(new int[] {0, 1}, 3));
        assertThat(groups.expected()).isEqualTo(6);
        for (int device = 0; device < 3; device++) {
            groups.arrived(0, device, START + 4_000_000);
        }
        groups.arrived(0, 2, START + 5_000_000); // a second copy at one member
        groups.arrived(0, 3, START + 5_000_000); // a member of the other group
        groups.arrived(1, 4, START + 6_000_000); // the sender's own copy is one of its deliveries
        assertThat(groups.delivered()).isEqualTo(4);
        assertThat(groups.duplicates()).isEqualTo(1);
        assertThat(groups.misrouted()).isEqualTo(1);
        assertThat(groups.echoes()).isZero();
        assertThat(groups.lost()).as("devices 3 and 5 never got message 1").isEqualTo(2);
        assertThat(groups.latency().count()).isEqualTo(4);
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
        String system = "{\"id\":\"x\",\"conversationId\":\"g:x\",\"seq\":1,\"clientMsgId\":\"b1-2\",\"text\":\"\","
                + "\"event\":{\"kind\":\"created\"}}";
        assertThat(MessageIds.parse(ByteBuffer.wrap(system.getBytes(StandardCharsets.UTF_8))))
                .as("a group system message is never a benchmark message").isNull();
    }
}
