package dev.parley.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.devstack.testing.FakeFcm;
import dev.parley.protocol.presence.PresenceKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push notifications end to end: real MQTT clients send through a HiveMQ JVM with the packaged Parley
 * extension, which hands push jobs to push-service processes over Redis; presence comes from
 * presence-bridge, users and push tokens from persistence-service's REST API; push-service sends with
 * the real Firebase Admin SDK to a local FCM v1 endpoint. Each test starts its own push-service process
 * (they share the stream, and each leaves it fully acknowledged).
 */
@Timeout(600)
class PushEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;
    private static PushTestStack stack;
    private static RestClient rest;
    private static RestClient.Account alice;
    private static Device alicePhone;

    @BeforeAll
    static void startStack() throws Exception {
        stack = PushTestStack.start(dir);
        rest = new RestClient(stack.restUrl());
        alice = rest.register("Alice", "phone");
        alicePhone = Device.connect(stack.mqttUri(), alice);
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (alicePhone != null) {
            alicePhone.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void answerNormallyAgain() {
        stack.fcm.answer(FakeFcm::byToken);
        stack.fcm.start();
    }

    @Test
    void aliceToOfflineBobReachesEachOfHisTwoPhonesOnceAndNothingIsPushedWhileHeIsOnline() throws Exception {
        RestClient.Account bobPixel = rest.register("Bob", "pixel");
        RestClient.Account bobIphone = rest.login(bobPixel.handle(), "iphone");
        String pixelToken = "bob-pixel-" + UUID.randomUUID();
        String iphoneToken = "bob-iphone-" + UUID.randomUUID();
        rest.registerPushToken(bobPixel, "android", pixelToken);
        rest.registerPushToken(bobIphone, "ios", iphoneToken);

        try (PushTestStack.PushService push = stack.startPushService(Map.of())) {
            JsonNode offline = send(bobPixel.userId(), "Dinner at 8?");

            await().atMost(WAIT).until(() -> push.counter("parley_push_jobs_total", "outcome=\"done\"") >= 1
                    && stack.allJobsAcknowledged());
            List<FakeFcm.Request> pushed = requestsFor(offline);
            assertThat(pushed).extracting(FakeFcm.Request::token).containsExactlyInAnyOrder(pixelToken, iphoneToken);
            for (FakeFcm.Request request : pushed) {
                assertThat(request.path()).isEqualTo("/v1/projects/" + FakeFcm.PROJECT + "/messages:send");
                assertThat(request.authorization()).isEqualTo("Bearer " + FakeFcm.ACCESS_TOKEN);
                assertThat(request.message().at("/notification/title").asText()).isEqualTo("Alice");
                assertThat(request.message().at("/notification/body").asText()).isEqualTo("Dinner at 8?");
                assertThat(request.data()).containsEntry("conversationId", offline.get("conversationId").asText())
                        .containsEntry("seq", offline.get("seq").asText())
                        .containsEntry("from", alice.userId().toString())
                        .containsEntry("messageId", offline.get("id").asText())
                        .containsEntry("unread", offline.get("seq").asText());
                assertThat(request.message().at("/android/collapse_key").asText())
                        .isEqualTo(offline.get("conversationId").asText());
                assertThat(request.message().at("/apns/payload/aps/thread-id").asText())
                        .isEqualTo(offline.get("conversationId").asText());
            }

            // Bob comes online on one phone: presence-bridge records it, push-service skips him.
            try (Device bobOnline = Device.connect(stack.mqttUri(), bobPixel)) {
                assertThat(bobOnline.announceOnline()).isZero();
                await().atMost(WAIT).until(() -> PresenceKeys.ONLINE.equals(
                        stack.redis.sync().hget(PresenceKeys.key(bobPixel.userId()), PresenceKeys.STATUS)));
                int requestsBefore = stack.fcm.requests.size();

                JsonNode online = send(bobPixel.userId(), "On my way");

                await().atMost(WAIT).until(() -> push.counter("parley_push_jobs_total", "outcome=\"done\"") >= 2
                        && stack.allJobsAcknowledged());
                await().atMost(WAIT).until(() -> bobOnline.received(online.get("clientMsgId").asText()));
                assertThat(push.counter("parley_push_recipients_online_total", "")).isEqualTo(1);
                assertThat(requestsFor(online)).isEmpty();
                assertThat(stack.fcm.requests).hasSize(requestsBefore);
            }
        }
    }

    @Test
    void killMinus9MidBatchLosesNoPushAndSendsNoneTwice() throws Exception {
        Map<UUID, List<String>> tokensByUser = new HashMap<>();
        List<UUID> recipients = new ArrayList<>();
        for (String name : List.of("Carol", "Dave", "Erin")) {
            RestClient.Account phone = rest.register(name, "phone");
            List<String> tokens = new ArrayList<>(List.of(name.toLowerCase() + "-phone-" + UUID.randomUUID()));
            rest.registerPushToken(phone, "android", tokens.get(0));
            if (name.equals("Carol")) {
                RestClient.Account tablet = rest.login(phone.handle(), "tablet");
                tokens.add("carol-tablet-" + UUID.randomUUID());
                rest.registerPushToken(tablet, "android", tokens.get(1));
            }
            tokensByUser.put(phone.userId(), tokens);
            recipients.add(phone.userId());
        }
        // FCM takes every push and answers none until the first instance is dead: the instance holds
        // all of its 100 send slots (the most it ever has on the wire) when it is killed.
        CountDownLatch killed = new CountDownLatch(1);
        stack.fcm.answer(request -> {
            try {
                killed.await(5, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeFcm.Reply.accepted();
        });
        int requestsBefore = stack.fcm.requests.size();
        Set<String> expected = new HashSet<>();

        PushTestStack.PushService first = stack.startPushService(Map.of());
        try {
            for (int i = 0; i < 300; i++) {
                UUID to = recipients.get(i % recipients.size());
                JsonNode envelope = send(to, "batch message " + i);
                tokensByUser.get(to).forEach(token -> expected.add(envelope.get("id").asText() + "/" + token));
            }
            assertThat(expected).hasSize(400);
            await().atMost(WAIT).until(() -> stack.fcm.requests.size() - requestsBefore >= 100);

            first.kill();
        } finally {
            killed.countDown();
            first.close();
        }
        int sentByTheKilledInstance = stack.fcm.requests.size() - requestsBefore;
        assertThat(sentByTheKilledInstance).isEqualTo(100);
        assertThat(stack.pendingJobs()).as("jobs the killed instance had taken and not acknowledged").isPositive();

        // The production default is 60 s / 10 s; short here so that the take-over happens within seconds.
        Instant restart = Instant.now();
        try (PushTestStack.PushService second = stack.startPushService(Map.of(
                "parley.push.jobs.claim-idle", "5s", "parley.push.jobs.claim-interval", "1s"))) {
            await().atMost(Duration.ofMinutes(3)).until(() -> stack.allJobsAcknowledged()
                    && stack.fcm.requests.size() - requestsBefore >= expected.size());
            System.out.printf("PUSH KILL -9: %d of %d pushes sent before the kill, the rest %.1f s after the restart "
                            + "(take-over after claim-idle 5 s); %.0f jobs taken over%n", sentByTheKilledInstance,
                    expected.size(), Duration.between(restart, Instant.now()).toMillis() / 1000.0,
                    second.counter("parley_push_jobs_total", "outcome=\"reclaimed\""));
            assertThat(second.counter("parley_push_jobs_total", "outcome=\"reclaimed\"")).isPositive();
            assertThat(second.counter("parley_push_notifications_total", "outcome=\"duplicate\"")).isEqualTo(100);
        }
        List<String> pushed = stack.fcm.requests.subList(requestsBefore, stack.fcm.requests.size()).stream()
                .map(r -> r.data().get("messageId") + "/" + r.token()).toList();
        assertThat(pushed).hasSize(expected.size()).doesNotHaveDuplicates();
        assertThat(new HashSet<>(pushed)).isEqualTo(expected);
    }

    @Test
    void fcmDownForAMinuteAtProductionBackoffDeliversEverythingOnceAfterwards() throws Exception {
        RestClient.Account frank = rest.register("Frank", "pixel");
        RestClient.Account frankIphone = rest.login(frank.handle(), "iphone");
        rest.registerPushToken(frank, "android", "frank-pixel-" + UUID.randomUUID());
        rest.registerPushToken(frankIphone, "ios", "frank-iphone-" + UUID.randomUUID());
        int requestsBefore = stack.fcm.requests.size();
        ScheduledExecutorService outage = Executors.newSingleThreadScheduledExecutor();
        AtomicLong pendingWhenBack = new AtomicLong(-1);

        // Production settings: the first refused connection pauses every send; one push probes FCM after
        // 1, 2, 4 … s, at most every 60 s, until it answers.
        try (PushTestStack.PushService push = stack.startPushService(Map.of())) {
            stack.fcm.stop();
            Instant down = Instant.now();
            List<String> messageIds = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                messageIds.add(send(frank.userId(), "while FCM is down " + i).get("id").asText());
            }
            await().atMost(WAIT).until(() -> push.counter("parley_push_fcm_paused", "") == 1);
            outage.schedule(() -> {
                pendingWhenBack.set(stack.pendingJobs());
                stack.fcm.start();
            }, Duration.ofSeconds(60).minus(Duration.between(down, Instant.now())).toMillis(), TimeUnit.MILLISECONDS);

            // Up to 60 s down, then the next probe at most 60 s later (max-backoff), plus slack for this machine.
            await().atMost(Duration.ofSeconds(180)).until(() -> stack.allJobsAcknowledged()
                    && stack.fcm.requests.size() - requestsBefore >= 20);
            System.out.printf("PUSH OUTAGE: FCM down 60 s, all 20 pushes delivered %.1f s after it went down%n",
                    Duration.between(down, Instant.now()).toMillis() / 1000.0);
            assertThat(pendingWhenBack.get()).as("jobs waiting, unacknowledged, when FCM came back").isEqualTo(10);
            List<String> pushed = stack.fcm.requests.subList(requestsBefore, stack.fcm.requests.size()).stream()
                    .map(r -> r.data().get("messageId") + "/" + r.token()).toList();
            assertThat(pushed).hasSize(20).doesNotHaveDuplicates();
            assertThat(pushed.stream().map(p -> p.substring(0, p.indexOf('/'))).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(messageIds);
            assertThat(push.counter("parley_push_dead_letters_total", "")).isZero();
            assertThat(push.counter("parley_push_fcm_pauses_total", "")).isEqualTo(1);
            assertThat(push.counter("parley_push_fcm_paused", "")).isZero();
            // Probes, not a retry per push: at most each push once before the pause began, then one probe
            // per pause (1 + 2 + 4 + 8 + 16 + 32 s: 6 fit into the minute), plus 2 for this machine's timing.
            double refused = push.counter("parley_push_notifications_total", "outcome=\"fcm_unreachable\"");
            System.out.printf("PUSH OUTAGE: %.0f sends refused while FCM was down%n", refused);
            assertThat(refused).isLessThanOrEqualTo(20 + 6 + 2);
        } finally {
            outage.shutdownNow();
        }
    }

    /** Alice sends {@code text} to {@code to}; returns the stored envelope her own phone receives. */
    private static JsonNode send(UUID to, String text) throws Exception {
        String clientMsgId = UUID.randomUUID().toString();
        assertThat(alicePhone.publish("users/" + to + "/messages",
                "{\"clientMsgId\":\"" + clientMsgId + "\",\"text\":\"" + text + "\"}")).isZero();
        await().atMost(WAIT).until(() -> alicePhone.received(clientMsgId));
        return alicePhone.messages().stream().filter(m -> m.path("clientMsgId").asText().equals(clientMsgId))
                .findFirst().orElseThrow();
    }

    private static List<FakeFcm.Request> requestsFor(JsonNode envelope) {
        return stack.fcm.requests.stream()
                .filter(r -> envelope.get("id").asText().equals(r.data().get("messageId"))).toList();
    }
}
