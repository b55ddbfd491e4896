package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.outbox.Destination;
import dev.parley.client.outbox.Outbox;
import dev.parley.client.outbox.PendingSend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {

    @TempDir
    Path dir;

    @Test
    void pendingSendsSurviveReopeningInOrderAndDoneOnesDoNot() throws Exception {
        Path file = dir.resolve("outbox.jsonl");
        Destination to = Destination.user(UUID.randomUUID());
        try (Outbox outbox = Outbox.open(file)) {
            for (int i = 0; i < 5; i++) {
                outbox.add(new PendingSend("m" + i, to, "text " + i, Instant.now()));
            }
            outbox.done("m0");
            outbox.done("m2");
        }
        // A crash mid-append leaves half a line: it is skipped, not fatal.
        Files.writeString(file, "{\"op\":\"add\",\"clientMs", java.nio.file.StandardOpenOption.APPEND);

        try (Outbox reopened = Outbox.open(file)) {
            assertThat(reopened.pending()).extracting(PendingSend::clientMsgId).containsExactly("m1", "m3", "m4");
            assertThat(reopened.head()).map(PendingSend::text).contains("text 1");
            assertThat(reopened.pending().get(0).to()).isEqualTo(to);
        }
        assertThat(Files.readAllLines(file)).as("compacted on open").hasSize(3);
    }

    @Test
    void addingTheSameClientMsgIdTwiceKeepsOne() {
        try (Outbox outbox = Outbox.open(dir.resolve("o.jsonl"))) {
            PendingSend send = new PendingSend("same", Destination.group(UUID.randomUUID()), "hi", Instant.now());
            outbox.add(send);
            outbox.add(send);
            assertThat(outbox.size()).isEqualTo(1);
        }
    }
}
