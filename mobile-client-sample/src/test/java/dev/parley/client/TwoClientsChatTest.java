package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.outbox.Destination;
import dev.parley.client.receipts.Tick;
import dev.parley.client.session.Credentials;
import dev.parley.protocol.Envelope;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Two library clients on the real broker: a message goes across and the sender's ticks follow it. */
@Timeout(300)
class TwoClientsChatTest {

    @TempDir
    Path dataDirs;

    @Test
    void theSendersTicksGoSentDeliveredRead() {
        ChatStack stack = ChatStack.shared();
        Credentials ada = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "laptop");
        RecordingListener adaSees = new RecordingListener();
        RecordingListener bobSees = new RecordingListener();
        try (ParleyClient adaClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("ada")), ada, adaSees);
             ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob")), bob, bobSees)) {
            adaClient.start();
            bobClient.start();
            await("both online and caught up").atMost(Duration.ofSeconds(60))
                    .until(() -> adaClient.isCaughtUp() && bobClient.isCaughtUp());

            String clientMsgId = adaClient.send(Destination.user(bob.userId()), "hello Bob");

            await("Bob gets the message").atMost(Duration.ofSeconds(30)).until(() -> !bobSees.from(ada.userId()).isEmpty());
            Envelope received = bobSees.from(ada.userId()).get(0);
            assertThat(received.text()).isEqualTo("hello Bob");
            assertThat(received.clientMsgId()).isEqualTo(clientMsgId);
            await("delivered on Ada's side").atMost(Duration.ofSeconds(30))
                    .until(() -> adaSees.ticksOf(clientMsgId).contains(Tick.DELIVERED));

            bobClient.markRead(received.conversationId(), received.seq());

            await("read on Ada's side").atMost(Duration.ofSeconds(30))
                    .until(() -> adaSees.ticksOf(clientMsgId).contains(Tick.READ));
            assertThat(adaSees.ticksOf(clientMsgId)).containsSubsequence(Tick.QUEUED, Tick.SENT, Tick.DELIVERED, Tick.READ);
            Envelope mine = adaClient.messages(received.conversationId()).get(0);
            assertThat(adaClient.tickOf(mine)).isEqualTo(Tick.READ);
            assertThat(adaClient.outboxSize()).isZero();
            assertThat(bobClient.conversations()).singleElement()
                    .satisfies(c -> assertThat(c.conversationId()).isEqualTo(received.conversationId()));
        }
    }
}
