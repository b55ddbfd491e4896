package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.outbox.Destination;
import dev.parley.client.session.Credentials;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app is stopped while its outbox is half sent, and a new client opens the same data folder: the
 * rest goes out, nothing is lost and nothing arrives twice (a send that was stored but whose PUBACK never
 * reached the old instance is sent again and answered by the broker's dedupe).
 */
@Timeout(300)
class RestartMidOutboxTest {

    private static final int COUNT = 150;

    @TempDir
    Path dataDirs;

    @Test
    void aNewInstanceOnTheSameFolderSendsTheRestExactlyOnce() {
        ChatStack stack = ChatStack.shared();
        Credentials ada = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "laptop");
        String conversation = ConversationId.direct(ada.userId(), bob.userId()).value();
        Path adaData = dataDirs.resolve("ada");
        RecordingListener bobSees = new RecordingListener();
        try (ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob, bobSees)) {
            bobClient.start();

            ParleyClient first = ParleyClient.open(ClientConfig.of(stack.mqtt(), adaData), ada, new RecordingListener());
            for (int i = 0; i < COUNT; i++) {
                first.send(Destination.user(bob.userId()), "message " + i);
            }
            first.start();
            await("some of the outbox sent").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                    .until(() -> first.outboxSize() < COUNT - 20);
            first.close();
            int left = first.outboxSize();
            assertThat(left).as("still queued when the app stopped").isPositive();

            RecordingListener secondSees = new RecordingListener();
            try (ParleyClient second = ParleyClient.open(ClientConfig.of(stack.mqtt(), adaData), ada, secondSees)) {
                assertThat(second.outboxSize()).as("the outbox survived the restart").isEqualTo(left);
                second.start();
                await("the rest sent and Bob has all").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200))
                        .until(() -> second.outboxSize() == 0 && bobClient.messages(conversation).size() == COUNT
                                && second.messages(conversation).size() == COUNT);
                List<String> expected = IntStream.range(0, COUNT).mapToObj(i -> "message " + i).toList();
                assertThat(bobClient.messages(conversation)).extracting(Envelope::text).containsExactlyElementsOf(expected);
                assertThat(second.messages(conversation)).extracting(Envelope::text).containsExactlyElementsOf(expected);
                assertThat(bobSees.from(ada.userId())).extracting(Envelope::text).containsExactlyElementsOf(expected);
            }
        }
    }
}
