package dev.parley.push.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.devstack.testing.FakeFcm;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.Payloads;
import dev.parley.protocol.presence.PresenceKeys;
import dev.parley.protocol.push.PushChannels;
import dev.parley.protocol.push.PushJob;
import dev.parley.push.sender.FirebasePushSender;
import dev.parley.push.targets.CassandraPushTargets;
import dev.parley.push.testing.FakeFcmApps;
import dev.parley.push.testing.MovableClock;
import dev.parley.push.testing.PushTestSchema;
import dev.parley.push.testing.TestConfigs;
import dev.parley.store.messages.Watermarks;
import dev.parley.store.users.UserStore;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The job consumer end to end on real Redis and Cassandra, sending with the real Firebase Admin SDK
 * to a local endpoint that answers as FCM's HTTP v1 API does. Jobs are XADDed here as the broker
 * does (its side is tested in broker-extensions' PushHandoffTest).
 */
@Timeout(90)
class PushJobsTest {

    private static final AtomicInteger RUNS = new AtomicInteger();
    private static PushTestSchema schema;
    private static RedisClient redisClient;
    private static StatefulRedisConnection<String, String> connection;
    private static RedisCommands<String, String> redis;

    private FakeFcm fcm;
    private FirebasePushSender sender;
    private SimpleMeterRegistry metrics;
    private PushJobConsumer consumer;
    /** Each test has a stream of its own: the keyspace names it, so a per-test suffix isolates them. */
    private String streamKeyspace;
    private String stream;

    @BeforeAll
    static void connect() {
        schema = PushTestSchema.create("pushjobs");
        redisClient = RedisClient.create("redis://" + TestDependencies.redis());
        connection = redisClient.connect();
        redis = connection.sync();
    }

    @AfterAll
    static void disconnect() {
        if (connection != null) {
            connection.close();
            redisClient.shutdown();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @BeforeEach
    void startFcm() {
        int run = RUNS.incrementAndGet();
        fcm = new FakeFcm();
        sender = new FirebasePushSender(FakeFcmApps.app(fcm, "push-jobs-test-" + run));
        metrics = new SimpleMeterRegistry();
        streamKeyspace = schema.keyspace + "_" + run;
        stream = PushChannels.jobsStream(streamKeyspace);
    }

    @AfterEach
    void stop() {
        if (consumer != null) {
            consumer.close();
        }
        sender.close();
        fcm.close();
    }

    // --- who is notified, with what ------------------------------------------------------------------

    @Test
    void anOfflineRecipientGetsExactlyOnePushPerRegisteredPhone() {
        UUID ada = schema.user("Ada Lovelace");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "bob-pixel-token");
        schema.registerDevice(bob, "iphone", "ios", "bob-iphone-token");
        String conversation = "dm:" + ada + ":" + bob;
        schema.markRead(conversation, bob, 4);
        startConsumer(Map.of());

        PushJob job = queue(ada, conversation, 7, List.of(bob), "Are you coming tonight?");

        awaitAllJobsAcknowledged(1);
        assertThat(fcm.requests).hasSize(2);
        assertThat(fcm.requestsTo("bob-pixel-token")).hasSize(1);
        assertThat(fcm.requestsTo("bob-iphone-token")).hasSize(1);
        for (FakeFcm.Request request : fcm.requests) {
            assertThat(request.path()).isEqualTo("/v1/projects/" + FakeFcm.PROJECT + "/messages:send");
            assertThat(request.message().at("/notification/title").asText()).isEqualTo("Ada Lovelace");
            assertThat(request.message().at("/notification/body").asText()).isEqualTo("Are you coming tonight?");
            assertThat(request.data()).containsEntry("conversationId", conversation)
                    .containsEntry("seq", "7")
                    .containsEntry("from", ada.toString())
                    .containsEntry("messageId", job.messageId().toString())
                    .containsEntry("unread", "3");
            assertThat(request.message().at("/android/collapse_key").asText()).isEqualTo(conversation);
            assertThat(request.message().at("/apns/payload/aps/thread-id").asText()).isEqualTo(conversation);
            assertThat(request.message().at("/apns/payload/aps/badge").asInt()).isEqualTo(3);
        }
        assertThat(counter("parley.push.notifications", "sent")).isEqualTo(2);
    }

    @Test
    void aRecipientWithADeviceOnlineGetsNoPush() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "online-bob-token");
        redis.hset(PresenceKeys.key(bob), PresenceKeys.STATUS, PresenceKeys.ONLINE);
        startConsumer(Map.of());

        queue(ada, "dm:" + ada + ":" + bob, 1, List.of(bob), "hi");

        awaitAllJobsAcknowledged(1);
        assertThat(fcm.requests).isEmpty();
        assertThat(metrics.counter("parley.push.recipients.online").count()).isEqualTo(1);
    }

    @Test
    void withPreviewsOffTheTextStaysOutOfTheNotification() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "private-bob-token");
        startConsumer(Map.of("parley.push.notification.preview", "false"));

        queue(ada, "dm:" + ada + ":" + bob, 1, List.of(bob), "my secret");

        awaitAllJobsAcknowledged(1);
        assertThat(fcm.requests).singleElement().satisfies(request -> {
            assertThat(request.message().at("/notification/body").asText()).isEqualTo("New message");
            assertThat(request.body()).doesNotContain("my secret");
        });
    }

    @Test
    void aBurstOf50SharesOneCollapseKeyWithARisingBadge() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "burst-bob-token");
        String conversation = "dm:" + ada + ":" + bob;
        startConsumer(Map.of());

        for (int seq = 1; seq <= 50; seq++) {
            queue(ada, conversation, seq, List.of(bob), "message " + seq);
        }

        awaitAllJobsAcknowledged(50);
        assertThat(fcm.requests).hasSize(50);
        assertThat(fcm.requests).allSatisfy(request -> {
            assertThat(request.message().at("/android/collapse_key").asText()).isEqualTo(conversation);
            assertThat(request.message().at("/android/notification/tag").asText()).isEqualTo(conversation);
            assertThat(request.message().at("/apns/payload/aps/thread-id").asText()).isEqualTo(conversation);
            // Nothing read yet: the badge of message n is n.
            assertThat(request.message().at("/apns/payload/aps/badge").asText()).isEqualTo(request.data().get("seq"));
        });
        assertThat(fcm.requests.stream().map(r -> r.data().get("seq")).distinct()).hasSize(50);
    }

    @Test
    void aGroupMessageReachesEveryOfflineMemberAndNoOnlineOne() {
        UUID ada = schema.user("Ada");
        UUID groupId = UUID.randomUUID();
        List<UUID> members = new ArrayList<>();
        List<UUID> offline = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            UUID member = schema.user("Member " + i);
            schema.registerDevice(member, "phone", "android", "group-token-" + member);
            members.add(member);
            if (i < 150) {
                offline.add(member);
            } else {
                redis.hset(PresenceKeys.key(member), PresenceKeys.STATUS, PresenceKeys.ONLINE);
            }
        }
        startConsumer(Map.of());

        queueJob(new PushJob(UUID.randomUUID(), "g:" + groupId, 12, ada, groupId, members, "team lunch?", Instant.now()));

        awaitAllJobsAcknowledged(1);
        assertThat(fcm.requests.stream().map(FakeFcm.Request::token).collect(Collectors.toSet()))
                .hasSize(150)
                .isEqualTo(offline.stream().map(m -> "group-token-" + m).collect(Collectors.toSet()));
        assertThat(fcm.requests).hasSize(150);
        assertThat(fcm.requests.get(0).data()).containsEntry("groupId", groupId.toString());
    }

    @Test
    void aGroupMessageIsTitledWithTheGroupsNameAndARenameShowsOnceTheCachedNameExpires() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "hiker-bob-token");
        UUID group = schema.group("Hiking club", ada, bob);
        String conversation = "g:" + group;
        MovableClock clock = new MovableClock();
        startConsumer(Map.of(), clock);

        queueJob(new PushJob(UUID.randomUUID(), conversation, 3, ada, group, List.of(bob), "see you at 8", Instant.now()));
        awaitAllJobsAcknowledged(1);
        assertThat(fcm.requests).singleElement().satisfies(request -> {
            assertThat(request.message().at("/notification/title").asText()).isEqualTo("Hiking club");
            assertThat(request.message().at("/notification/body").asText()).isEqualTo("Ada: see you at 8");
            assertThat(request.message().at("/android/collapse_key").asText()).isEqualTo(conversation);
            assertThat(request.message().at("/android/notification/tag").asText()).isEqualTo(conversation);
            assertThat(request.message().at("/apns/payload/aps/thread-id").asText()).isEqualTo(conversation);
            assertThat(request.data()).containsEntry("groupId", group.toString()).containsEntry("unread", "3");
        });

        schema.renameGroup(group, "Hiking club 2026");
        // Within the cache's minute the old name still shows (one read per group per minute, not per message).
        queueJob(new PushJob(UUID.randomUUID(), conversation, 4, ada, group, List.of(bob), "bring water", Instant.now()));
        awaitAllJobsAcknowledged(2);
        clock.advance(CachedNames.GROUP_TTL.plusSeconds(1));
        queueJob(new PushJob(UUID.randomUUID(), conversation, 5, ada, group, List.of(bob), "and a hat", Instant.now()));
        awaitAllJobsAcknowledged(3);

        assertThat(fcm.requests).extracting(request -> request.message().at("/notification/title").asText())
                .containsExactly("Hiking club", "Hiking club", "Hiking club 2026");
        assertThat(fcm.requests.get(2).message().at("/notification/body").asText()).isEqualTo("Ada: and a hat");
    }

    @Test
    void aGroupMessageOfAnUnknownGroupIsTitledWithTheSender() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "nameless-group-bob-token");
        UUID group = UUID.randomUUID();
        startConsumer(Map.of());

        queueJob(new PushJob(UUID.randomUUID(), "g:" + group, 1, ada, group, List.of(bob), "hello", Instant.now()));

        awaitAllJobsAcknowledged(1);
        assertThat(fcm.requests).singleElement().satisfies(request -> {
            assertThat(request.message().at("/notification/title").asText()).isEqualTo("Ada");
            assertThat(request.message().at("/notification/body").asText()).isEqualTo("hello");
        });
    }

    // --- failures ---------------------------------------------------------------------------------

    @Test
    void anUnregisteredTokenIsRemovedAndTheOtherPhoneStillNotified() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "old-phone", "android", FakeFcm.GONE);
        schema.registerDevice(bob, "new-phone", "android", "bob-new-phone-token");
        startConsumer(Map.of());

        queue(ada, "dm:" + ada + ":" + bob, 1, List.of(bob), "hello");

        awaitAllJobsAcknowledged(1);
        assertThat(schema.tokenOf(bob, "old-phone")).isNull();
        assertThat(schema.tokenOf(bob, "new-phone")).isEqualTo("bob-new-phone-token");
        assertThat(fcm.requestsTo("bob-new-phone-token")).hasSize(1);
        assertThat(counter("parley.push.notifications", "token_removed")).isEqualTo(1);
    }

    @Test
    void serviceUnavailableWithRetryAfterIsRetriedAfterItAndDeliveredOnce() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "busy-bob-token");
        fcm.answer(firstThen(FakeFcm.Reply.unavailable(2)));
        startConsumer(Map.of());

        queue(ada, "dm:" + ada + ":" + bob, 1, List.of(bob), "hello");

        awaitAllJobsAcknowledged(1);
        List<FakeFcm.Request> requests = fcm.requestsTo("busy-bob-token");
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(counter("parley.push.notifications", "sent")).isEqualTo(1);
    }

    @Test
    void quotaExceededPausesSendingForFcmsRetryAfterWithoutUsingAnAttempt() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "quota-bob-token");
        fcm.answer(firstThen(FakeFcm.Reply.quotaExceeded(2)));
        // Our own backoff would retry after 100 ms; FCM asked for 2 s.
        startConsumer(Map.of());

        queue(ada, "dm:" + ada + ":" + bob, 1, List.of(bob), "hello");

        awaitAllJobsAcknowledged(1);
        List<FakeFcm.Request> requests = fcm.requestsTo("quota-bob-token");
        assertThat(requests).hasSize(2);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
        assertThat(counter("parley.push.notifications", "fcm_unavailable")).isEqualTo(1);
        assertThat(counter("parley.push.notifications", "retried")).isZero();
        assertThat(counter("parley.push.notifications", "sent")).isEqualTo(1);
        assertThat(fcmPauses()).isEqualTo(1);
        assertThat(fcmPaused()).isZero();
    }

    @Test
    void aNotificationThatFailsOnItsOwnIsDeadLetteredAfterItsLastAttemptWhileOthersAreSent() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        UUID cy = schema.user("Cy");
        schema.registerDevice(bob, "pixel", "android", "doomed-bob-token");
        schema.registerDevice(cy, "pixel", "android", "fine-cy-token");
        // FCM works; only this one message fails on its side, every time.
        fcm.answer(request -> request.token().equals("doomed-bob-token") ? FakeFcm.Reply.internal()
                : FakeFcm.Reply.accepted());
        startConsumer(Map.of("parley.push.retry.max-attempts", "3"));

        PushJob job = queue(ada, "dm:" + ada + ":" + bob, 1, List.of(bob), "hello");
        for (int seq = 1; seq <= 5; seq++) {
            queue(ada, "dm:" + ada + ":" + cy, seq, List.of(cy), "hello " + seq);
        }

        awaitAllJobsAcknowledged(6);
        assertThat(fcm.requestsTo("doomed-bob-token")).hasSize(3);
        assertThat(fcm.requestsTo("fine-cy-token")).hasSize(5);
        assertThat(deadLetters()).singleElement().satisfies(entry -> {
            assertThat(entry.getBody()).containsEntry("recipient", bob.toString())
                    .containsEntry("deviceId", "pixel")
                    .containsEntry("attempts", "3")
                    .doesNotContainValue("doomed-bob-token");
            assertThat(entry.getBody().get("reason")).startsWith("INTERNAL");
            assertThat(jobOf(entry).messageId()).isEqualTo(job.messageId());
        });
        assertThat(metrics.counter("parley.push.dead.letters").count()).isEqualTo(1);
        assertThat(counter("parley.push.notifications", "retried")).isEqualTo(2);
        assertThat(counter("parley.push.notifications", "sent")).isEqualTo(5);
        // One message's failure is not an outage: nothing else was held back.
        assertThat(fcmPauses()).isZero();
        redis.del(Deliveries.deadLetterStream(streamKeyspace));
    }

    /**
     * The outage of issue #8 at the production pause settings (1 s doubled per failed probe, at most 60 s,
     * FCM's Retry-After when longer): FCM answers every request 503 with Retry-After 1 s for a minute of
     * wall time. Before push-service sees a 503 the Admin SDK has retried it 4 times itself, after
     * Retry-After each (5 requests in 4 s per send). Counting each such answer as an attempt (5, waits of
     * 1 + 2 + 4 + 8 s) dead-lettered every notification after about 35 s, before FCM was back.
     */
    @Test
    @Timeout(240)
    void fcmAnsweringUnavailableForAMinutePausesEverySendThenDeliversEachOnceAndDeadLettersNone() {
        UUID ada = schema.user("Ada");
        List<UUID> readers = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            UUID reader = schema.user("Reader " + i);
            schema.registerDevice(reader, "phone", "android", "outage-token-" + reader);
            readers.add(reader);
        }
        Instant back = Instant.now().plus(Duration.ofSeconds(60));
        fcm.answer(request -> request.at().isBefore(back) ? FakeFcm.Reply.unavailable(1) : FakeFcm.Reply.accepted());
        startConsumer(Map.of("parley.push.retry.initial-backoff", "1s", "parley.push.retry.max-backoff", "60s"));

        Map<UUID, PushJob> jobs = new HashMap<>();
        for (UUID reader : readers.subList(0, 10)) {
            jobs.put(reader, queue(ada, "dm:" + ada + ":" + reader, 1, List.of(reader), "before the pause"));
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> fcmPaused() == 1);
        int beforeThePause = fcm.requests.size();
        // Twenty more arrive while paused: they wait with the others, unacknowledged, without a request each.
        for (UUID reader : readers.subList(10, 30)) {
            jobs.put(reader, queue(ada, "dm:" + ada + ":" + reader, 1, List.of(reader), "during the pause"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> pendingJobs() == 30);
        assertThat(fcmPaused()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(180)).until(() -> counter("parley.push.jobs", "done") >= 30
                && pendingJobs() == 0);
        List<FakeFcm.Request> refused = fcm.requests.stream().filter(r -> r.at().isBefore(back)).toList();
        Set<String> queuedWhilePaused = readers.subList(10, 30).stream().map(r -> "outage-token-" + r)
                .collect(Collectors.toSet());
        long refusedQueuedWhilePaused = refused.stream().filter(r -> queuedWhilePaused.contains(r.token())).count();
        List<FakeFcm.Request> accepted = fcm.requests.stream().filter(r -> !r.at().isBefore(back)).toList();
        System.out.printf("FCM 503 FOR A MINUTE: %d requests refused (%d when the pause was seen, %d to the 20 "
                        + "queued while paused), %d accepted; all delivered %.1f s after FCM came back%n", refused.size(),
                beforeThePause, refusedQueuedWhilePaused, accepted.size(), Duration.between(back, accepted.get(accepted.size() - 1).at())
                        .toMillis() / 1000.0);
        // Every (message, token) exactly once, none dead-lettered.
        assertThat(accepted).hasSize(30);
        assertThat(accepted.stream().map(r -> r.data().get("messageId") + "/" + r.token()).collect(Collectors.toSet()))
                .isEqualTo(readers.stream().map(r -> jobs.get(r).messageId() + "/outage-token-" + r)
                        .collect(Collectors.toSet()));
        assertThat(counter("parley.push.notifications", "sent")).isEqualTo(30);
        assertThat(metrics.counter("parley.push.dead.letters").count()).isZero();
        assertThat(redis.exists(Deliveries.deadLetterStream(streamKeyspace))).isZero();
        assertThat(fcmPauses()).isEqualTo(1);
        assertThat(fcmPaused()).isZero();
        // Probes, not a storm. The 10 sends on the wire when FCM went down make at most 5 requests each
        // (the SDK's retries). Then one probe at a time, after pauses of 1, 2, 4, 8, 16, 32 s: at most 6
        // begin within the minute, 5 requests each (the SDK's own 4 s per probe make it fewer). Without
        // the pause all 30 would have made 5 attempts × 5 requests (750) and been dead-lettered.
        assertThat(refused.size()).isLessThanOrEqualTo(10 * 5 + 6 * 5);
        // The 20 queued while paused were only ever sent as probes.
        assertThat(refusedQueuedWhilePaused).isLessThanOrEqualTo(6 * 5);
    }

    @Test
    void whileFcmIsDownJobsWaitThenAllAreDeliveredNoneTwice() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "patient-pixel-token");
        schema.registerDevice(bob, "iphone", "ios", "patient-iphone-token");
        String conversation = "dm:" + ada + ":" + bob;
        fcm.stop();
        startConsumer(Map.of());

        for (int seq = 1; seq <= 10; seq++) {
            queue(ada, conversation, seq, List.of(bob), "message " + seq);
        }
        // More tries than 20 notifications × 5 attempts: one of them at least was tried over its limit
        // (the probes go round the waiting ones), and none is dead-lettered: unreachable uses up no attempt.
        await().atMost(Duration.ofSeconds(60)).until(() -> counter("parley.push.notifications", "fcm_unreachable") > 100);
        assertThat(pendingJobs()).isEqualTo(10);
        assertThat(fcmPaused()).isEqualTo(1);
        fcm.start();

        awaitAllJobsAcknowledged(10);
        assertThat(fcm.requests).hasSize(20);
        Map<String, Long> perMessageAndToken = fcm.requests.stream()
                .collect(Collectors.groupingBy(r -> r.data().get("messageId") + "/" + r.token(), Collectors.counting()));
        assertThat(perMessageAndToken).hasSize(20).allSatisfy((pair, count) -> assertThat(count).isEqualTo(1));
        assertThat(metrics.counter("parley.push.dead.letters").count()).isZero();
        assertThat(fcmPauses()).isEqualTo(1);
        assertThat(fcmPaused()).isZero();
    }

    @Test
    void aNotificationStillWaitingForFcmWhenItsMessageReachesMaxAgeIsDeadLettered() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "never-bob-token");
        fcm.answer(request -> FakeFcm.Reply.quotaExceeded(0));
        MovableClock clock = new MovableClock();
        startConsumer(Map.of("parley.push.jobs.max-age", "1h"), clock);

        PushJob job = queue(ada, "dm:" + ada + ":" + bob, 1, List.of(bob), "hello");
        // Probed again and again past the attempt limit (5): waiting for FCM uses up no attempt.
        await().atMost(Duration.ofSeconds(30)).until(() -> fcm.requests.size() > 5);
        assertThat(pendingJobs()).isEqualTo(1);
        assertThat(metrics.counter("parley.push.dead.letters").count()).isZero();
        clock.advance(Duration.ofHours(1).plusSeconds(1));

        awaitAllJobsAcknowledged(1);
        assertThat(deadLetters()).singleElement().satisfies(entry -> {
            assertThat(entry.getBody()).containsEntry("recipient", bob.toString()).containsEntry("attempts", "0");
            assertThat(entry.getBody().get("reason")).contains("max-age").contains("QUOTA_EXCEEDED");
            assertThat(jobOf(entry).messageId()).isEqualTo(job.messageId());
        });
        assertThat(metrics.counter("parley.push.dead.letters").count()).isEqualTo(1);
        redis.del(Deliveries.deadLetterStream(streamKeyspace));
    }

    @Test
    void jobsOfAConsumerThatDiedAreTakenOverWithoutNotifyingAnyDeviceTwice() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        schema.registerDevice(bob, "pixel", "android", "taken-over-pixel-token");
        schema.registerDevice(bob, "iphone", "ios", "taken-over-iphone-token");
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), PushChannels.PUSH_SERVICE_GROUP,
                XGroupCreateArgs.Builder.mkstream());
        PushJob job = queue(ada, "dm:" + ada + ":" + bob, 1, List.of(bob), "hello");
        // Another instance took the job, notified the pixel, and was killed before it acknowledged.
        List<StreamMessage<String, String>> taken = redis.xreadgroup(
                Consumer.from(PushChannels.PUSH_SERVICE_GROUP, "killed-instance"), XReadArgs.StreamOffset.lastConsumed(stream));
        assertThat(taken).hasSize(1);
        redis.set(Deliveries.claimKey(job.messageId(), "taken-over-pixel-token"), Deliveries.DONE);

        startConsumer(Map.of());

        awaitAllJobsAcknowledged(1);
        assertThat(fcm.requestsTo("taken-over-iphone-token")).hasSize(1);
        assertThat(fcm.requestsTo("taken-over-pixel-token")).isEmpty();
        assertThat(counter("parley.push.jobs", "reclaimed")).isEqualTo(1);
        assertThat(counter("parley.push.notifications", "duplicate")).isEqualTo(1);
    }

    @Test
    void anInstanceCutOffMidBatchLosesNoJobAndTheNextNotifiesEveryDeviceOnce() {
        UUID ada = schema.user("Ada");
        List<String> tokens = new ArrayList<>();
        List<UUID> readers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            UUID reader = schema.user("Reader " + i);
            schema.registerDevice(reader, "phone", "android", "cut-off-token-" + reader);
            readers.add(reader);
            tokens.add("cut-off-token-" + reader);
        }
        // FCM holds every push until the first instance is cut off, so it is mid-batch then by construction.
        CountDownLatch cutOff = new CountDownLatch(1);
        fcm.answer(request -> {
            try {
                cutOff.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeFcm.Reply.accepted();
        });
        for (UUID reader : readers) {
            queue(ada, "dm:" + ada + ":" + reader, 1, List.of(reader), "hello");
        }
        RedisClient firstClient = RedisClient.create("redis://" + TestDependencies.redis());
        StatefulRedisConnection<String, String> firstConnection = firstClient.connect();
        FirebasePushSender firstSender = new FirebasePushSender(FakeFcmApps.app(fcm, "push-jobs-first-" + RUNS.get()));
        PushJobConsumer first = PushPipeline.assemble(TestConfigs.push(Map.of(
                        "parley.push.jobs.consumer-name", "first-" + RUNS.get())), streamKeyspace, firstClient,
                firstConnection, firstSender, new CassandraPushTargets(schema.session, schema.keyspace),
                new UserStore(schema.session, schema.keyspace), schema.groups(),
                new Watermarks(schema.session, schema.keyspace), new SimpleMeterRegistry(), Clock.systemUTC());
        try {
            first.start();
            // Every push of the first instance is on the wire and none is answered: no job can be
            // acknowledged, and no (message, token) claim is between being taken and its request leaving.
            await().atMost(Duration.ofSeconds(30)).until(() -> fcm.requests.size() >= 40);
            // As kill -9 leaves it in Redis: every connection gone at once, acknowledgements and
            // claims wherever they were.
            firstClient.shutdown(Duration.ZERO, Duration.ZERO);
            cutOff.countDown();
            assertThat(pendingJobs()).isPositive();

            startConsumer(Map.of());

            await().atMost(Duration.ofSeconds(60)).until(() -> pendingJobs() == 0
                    && fcm.requests.stream().map(FakeFcm.Request::token).distinct().count() == 40);
            assertThat(fcm.requests.stream().map(FakeFcm.Request::token).sorted().toList())
                    .isEqualTo(tokens.stream().sorted().toList());
            assertThat(counter("parley.push.jobs", "reclaimed")).isPositive();
        } finally {
            first.close();
            firstSender.close();
        }
    }

    @Test
    void aPendingJobTrimmedFromTheStreamIsDroppedFromTheGroup() {
        UUID ada = schema.user("Ada");
        UUID bob = schema.user("Bob");
        redis.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), PushChannels.PUSH_SERVICE_GROUP,
                XGroupCreateArgs.Builder.mkstream());
        queue(ada, "dm:" + ada + ":" + bob, 1, List.of(bob), "hello");
        List<StreamMessage<String, String>> taken = redis.xreadgroup(
                Consumer.from(PushChannels.PUSH_SERVICE_GROUP, "gone-instance"), XReadArgs.StreamOffset.lastConsumed(stream));
        // The capped stream dropped the entry while it was pending (a backlog beyond MAX_BACKLOG).
        redis.xdel(stream, taken.get(0).getId());

        startConsumer(Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> pendingJobs() == 0);
        assertThat(fcm.requests).isEmpty();
        assertThat(counter("parley.push.jobs", "trimmed")).isEqualTo(1);
    }

    // --- throughput (not part of the suite) -----------------------------------------------------------

    /**
     * Pushes per second against the local endpoint: N one-recipient jobs (one token each, 100 distinct
     * recipients) queued first, then consumed with the default settings. Run with
     * {@code -Dtest='PushJobsTest#pushesPerSecond' -Dparley.push.throughput=5000}.
     */
    @Test
    @EnabledIfSystemProperty(named = "parley.push.throughput", matches = "\\d+")
    @Timeout(600)
    void pushesPerSecond() {
        int jobs = Integer.parseInt(System.getProperty("parley.push.throughput"));
        UUID ada = schema.user("Ada");
        List<UUID> recipients = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            UUID user = schema.user("Reader " + i);
            schema.registerDevice(user, "phone", "android", "throughput-token-" + user);
            recipients.add(user);
        }
        for (int i = 0; i < jobs; i++) {
            UUID to = recipients.get(i % recipients.size());
            queue(ada, "dm:" + ada + ":" + to, i + 1, List.of(to), "message " + i);
        }
        long start = System.nanoTime();
        startConsumer(Map.of("parley.push.jobs.claim-idle", "60s", "parley.push.jobs.claim-interval", "10s"));
        await().atMost(Duration.ofMinutes(9)).pollInterval(Duration.ofMillis(50))
                .until(() -> counter("parley.push.jobs", "done") >= jobs && pendingJobs() == 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(fcm.requests).hasSize(jobs);
        System.out.printf("PUSH THROUGHPUT: %d pushes (one per job) in %.1f s = %.0f pushes/s%n", jobs, seconds,
                jobs / seconds);
    }

    // --- helpers ----------------------------------------------------------------------------------

    private void startConsumer(Map<String, String> overrides) {
        startConsumer(overrides, Clock.systemUTC());
    }

    private void startConsumer(Map<String, String> overrides, Clock clock) {
        Map<String, String> settings = new HashMap<>();
        settings.put("parley.push.retry.initial-backoff", "100ms");
        settings.put("parley.push.retry.max-backoff", "200ms");
        settings.put("parley.push.jobs.claim-idle", "1s");
        settings.put("parley.push.jobs.claim-interval", "200ms");
        settings.put("parley.push.jobs.consumer-name", "push-test-" + RUNS.get());
        settings.putAll(overrides);
        consumer = PushPipeline.assemble(TestConfigs.push(settings), streamKeyspace, redisClient, connection, sender,
                new CassandraPushTargets(schema.session, schema.keyspace), new UserStore(schema.session, schema.keyspace),
                schema.groups(), new Watermarks(schema.session, schema.keyspace), metrics, clock);
        consumer.start();
    }

    private PushJob queue(UUID from, String conversation, long seq, List<UUID> recipients, String text) {
        return queueJob(new PushJob(UUID.randomUUID(), conversation, seq, from, null, recipients,
                PushJob.previewOf(text), Instant.now()));
    }

    private PushJob queueJob(PushJob job) {
        redis.xadd(stream, Map.of(PushChannels.JOB_FIELD, new String(Payloads.toJson(job), StandardCharsets.UTF_8)));
        return job;
    }

    /** Every job queued so far was handled: counted done, and none is pending in the group. */
    private void awaitAllJobsAcknowledged(int jobs) {
        await().atMost(Duration.ofSeconds(60)).until(() -> counter("parley.push.jobs", "done") >= jobs
                && pendingJobs() == 0);
    }

    private long pendingJobs() {
        return redis.xpending(stream, PushChannels.PUSH_SERVICE_GROUP).getCount();
    }

    private List<StreamMessage<String, String>> deadLetters() {
        return redis.xrange(Deliveries.deadLetterStream(streamKeyspace), io.lettuce.core.Range.create("-", "+"));
    }

    private static PushJob jobOf(StreamMessage<String, String> deadLetter) {
        return Payloads.fromJson(deadLetter.getBody().get(PushChannels.JOB_FIELD).getBytes(StandardCharsets.UTF_8),
                PushJob.class);
    }

    private double fcmPauses() {
        return metrics.counter("parley.push.fcm.pauses").count();
    }

    private double fcmPaused() {
        return metrics.get("parley.push.fcm.paused").gauge().value();
    }

    private double counter(String name, String outcome) {
        var counter = metrics.find(name).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** The first request gets {@code first}; every later one is accepted. */
    private static Function<FakeFcm.Request, FakeFcm.Reply> firstThen(FakeFcm.Reply first) {
        AtomicInteger seen = new AtomicInteger();
        return request -> seen.getAndIncrement() == 0 ? first : FakeFcm.Reply.accepted();
    }
}
