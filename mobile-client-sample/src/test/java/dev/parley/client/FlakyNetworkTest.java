package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.client.connection.Backoff;
import dev.parley.client.outbox.Destination;
import dev.parley.client.session.Credentials;
import dev.parley.devstack.testing.TcpProxy;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Envelope;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A phone on a bad network: its connection to the broker runs through a proxy that this test cuts at
 * random moments, while it sends 500 messages and its peer sends it 500. Every one of the 1000 must be
 * held exactly once, in the conversation's order, and the outbox must end empty.
 */
@Timeout(600)
class FlakyNetworkTest {

    private static final int EACH = 500;
    private static final int MAX_CUTS = 12;
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    @TempDir
    Path dataDirs;

    @Test
    void thousandMessagesArriveExactlyOnceInOrderAcrossRandomCuts() throws Exception {
        ChatStack stack = ChatStack.shared();
        Credentials ada = stack.newUser("ada", "phone");
        Credentials bob = stack.newUser("bob", "laptop");
        String conversation = ConversationId.direct(ada.userId(), bob.userId()).value();
        long seed = System.nanoTime();
        Random random = new Random(seed);
        RecordingListener adaSees = new RecordingListener();
        RecordingListener bobSees = new RecordingListener();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger cuts = new AtomicInteger();
        try (TcpProxy proxy = TcpProxy.to(stack.mqttEndpoint().host(), stack.mqttEndpoint().port());
             ParleyClient adaClient = ParleyClient.open(ClientConfig.of(URI.create("tcp://" + proxy.endpoint()),
                     dataDirs.resolve("ada")).withBackoff(QUICK), ada, adaSees);
             ParleyClient bobClient = ParleyClient.open(ClientConfig.of(stack.mqtt(), dataDirs.resolve("bob"))
                     .withBackoff(QUICK), bob, bobSees)) {
            adaClient.start();
            bobClient.start();
            await("both online").atMost(Duration.ofSeconds(60)).until(() -> adaClient.isCaughtUp() && bobClient.isCaughtUp());

            ScheduledExecutorService chaos = Executors.newSingleThreadScheduledExecutor();
            scheduleCut(chaos, proxy, random, done, cuts);
            Thread bobSends = new Thread(() -> IntStream.range(0, EACH)
                    .forEach(i -> bobClient.send(Destination.user(ada.userId()), "bob " + i)), "bob-sends");
            bobSends.start();
            for (int i = 0; i < EACH; i++) {
                adaClient.send(Destination.user(bob.userId()), "ada " + i);
            }
            bobSends.join();

            try {
                await("all 1000 on Ada's phone, outboxes empty (seed " + seed + ")").atMost(Duration.ofMinutes(6))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> adaClient.outboxSize() == 0 && bobClient.outboxSize() == 0
                                && adaClient.messages(conversation).size() == 2 * EACH
                                && adaClient.isCaughtUp());
            } finally {
                done.set(true);
                chaos.shutdownNow();
                chaos.awaitTermination(10, TimeUnit.SECONDS);
                proxy.restore();
            }

            List<Envelope> held = adaClient.messages(conversation);
            assertThat(held).extracting(Envelope::seq)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 2 * EACH).mapToObj(Long::valueOf).toList());
            assertThat(held).extracting(Envelope::clientMsgId).doesNotHaveDuplicates();
            assertThat(texts(held, "ada ")).containsExactlyElementsOf(expected("ada "));
            assertThat(texts(held, "bob ")).containsExactlyElementsOf(expected("bob "));
            // The app was told of each message once, whatever came twice over the wire.
            assertThat(adaSees.messages).hasSize(2 * EACH);
            assertThat(adaSees.messages).extracting(Envelope::seq).doesNotHaveDuplicates();
            assertThat(adaSees.failures).isEmpty();
            assertThat(cuts.get()).as("connection cuts (seed " + seed + ")").isPositive();
            assertThat(adaSees.states.stream().filter(s -> s == ConnectionState.CONNECTING).count())
                    .as("Ada's reconnects").isGreaterThan(1);
        }
    }

    /**
     * The chaos schedule: a cut 0.3–1.5 s from now, lasting 0.1–0.6 s, then the next one, at most
     * MAX_CUTS in all, until told to stop.
     */
    private static void scheduleCut(ScheduledExecutorService chaos, TcpProxy proxy, Random random, AtomicBoolean done,
                                    AtomicInteger cuts) {
        if (done.get() || cuts.get() >= MAX_CUTS) {
            return;
        }
        chaos.schedule(() -> {
            if (done.get()) {
                return;
            }
            proxy.cut();
            cuts.incrementAndGet();
            chaos.schedule(() -> {
                proxy.restore();
                scheduleCut(chaos, proxy, random, done, cuts);
            }, 100 + random.nextInt(500), TimeUnit.MILLISECONDS);
        }, 300 + random.nextInt(1200), TimeUnit.MILLISECONDS);
    }

    private static List<String> texts(List<Envelope> held, String prefix) {
        return held.stream().map(Envelope::text).filter(t -> t.startsWith(prefix)).toList();
    }

    private static List<String> expected(String prefix) {
        return IntStream.range(0, EACH).mapToObj(i -> prefix + i).toList();
    }
}
