package dev.parley.benchmark.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.parley.benchmark.load.Device;
import dev.parley.benchmark.load.Fleet;
import dev.parley.benchmark.measure.CpuMeter;
import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.stack.Target;
import dev.parley.protocol.ClientIdentity;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Catch-up (Parley only: plain HiveMQ keeps at most 1,000 queued messages per offline client and has no
 * history). {@code conversations} friends send a user {@code missed} messages in all while none of the
 * user's devices is connected; then a device connects and asks for what it missed on
 * {@code users/{me}/sync}, page after page (at most 500 envelopes each), until the "sync" event says
 * complete. Measured: first request sent → last envelope received.
 */
public final class CatchUpWorkload {

    private static final int PAGE = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int missed;
    private final int conversations;
    private final Consumer<String> progress;

    public CatchUpWorkload(int missed, int conversations, Consumer<String> progress) {
        this.missed = missed;
        this.conversations = conversations;
        this.progress = progress;
    }

    public Results.CatchUp run(Target target) throws Exception {
        ClientIdentity reader = new ClientIdentity(UUID.randomUUID(), "phone");
        List<ClientIdentity> senders = new ArrayList<>();
        for (int i = 0; i < conversations; i++) {
            senders.add(new ClientIdentity(UUID.randomUUID(), "bench"));
        }
        List<UUID> users = new ArrayList<>(senders.stream().map(ClientIdentity::userId).toList());
        users.add(reader.userId());
        target.createUsers(users);

        String text = MessageIds.text(300);
        String inbox = "users/" + reader.userId() + "/messages";
        long fillStart = System.nanoTime();
        AtomicInteger fillErrors = new AtomicInteger();
        try (Fleet fleet = Fleet.connect(target, senders, false, (d, p) -> { })) {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (int i = 0; i < missed; i++) {
                acks.add(fleet.get(i % conversations).publish(inbox, MessageIds.payload(0, i, text))
                        .whenComplete((r, e) -> {
                            if (e != null || r.getError().isPresent()) {
                                fillErrors.incrementAndGet();
                            }
                        }));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        }
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        progress.accept(String.format("  catch-up: %d messages stored in %.1f s (%.0f/s closed loop, %d errors)",
                missed, fillSeconds, missed / fillSeconds, fillErrors.get()));

        Session session = new Session();
        Device device = Device.connect(target, reader, Device.ownTopics(reader), session::arrived).get(30, TimeUnit.SECONDS);
        session.device = device;
        try {
            CpuMeter cpu = CpuMeter.start(withGenerator(target.processes()));
            session.startNanos = System.nanoTime();
            session.request(null);
            session.done.get(120, TimeUnit.SECONDS);
            Map<String, Double> cores = cpu.coresUsed();
            double seconds = (session.lastEnvelopeNanos.get() - session.startNanos) / 1e9;
            Results.CatchUp result = new Results.CatchUp(missed, conversations, session.received.size(),
                    session.duplicates.get(), session.pages.get(), round(seconds), round(session.received.size() / seconds),
                    round(fillSeconds), round(missed / fillSeconds), fillErrors.get(), cores);
            progress.accept(String.format("  catch-up: %d of %d envelopes in %.2f s, %d pages", result.received(),
                    missed, seconds, result.pages()));
            return result;
        } finally {
            device.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    private static Map<String, Long> withGenerator(Map<String, Long> pids) {
        Map<String, Long> all = new LinkedHashMap<>(pids);
        all.put("load-generator", ProcessHandle.current().pid());
        return all;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** The reading device's side: counts envelopes, asks for the next page after each "sync" event. */
    private final class Session {
        final Set<String> received = ConcurrentHashMap.newKeySet();
        final AtomicInteger duplicates = new AtomicInteger();
        final AtomicInteger pages = new AtomicInteger();
        final AtomicLong lastEnvelopeNanos = new AtomicLong();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile Device device;
        volatile long startNanos;

        void arrived(Mqtt5Publish publish) {
            long now = System.nanoTime();
            try {
                String topic = publish.getTopic().toString();
                JsonNode json = JSON.readTree(publish.getPayloadAsBytes());
                if (topic.endsWith("/messages")) {
                    String key = json.path("conversationId").asText() + "#" + json.path("seq").asLong();
                    if (received.add(key)) {
                        lastEnvelopeNanos.accumulateAndGet(now, Math::max);
                    } else {
                        duplicates.incrementAndGet();
                    }
                } else if (topic.endsWith("/events") && "sync".equals(json.path("type").asText())) {
                    pages.incrementAndGet();
                    if (json.path("complete").asBoolean()) {
                        done.complete(null);
                    } else {
                        request(json.path("cursors"));
                    }
                } else if (topic.endsWith("/events") && json.path("type").asText().startsWith("sync")) {
                    done.completeExceptionally(new IllegalStateException("catch-up failed: " + json));
                }
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        }

        void request(JsonNode cursors) {
            ObjectNode request = JSON.createObjectNode();
            request.put("requestId", "page-" + (pages.get() + 1));
            if (cursors != null) {
                request.set("cursors", cursors);
            }
            request.put("limit", PAGE);
            device.publish("users/" + device.identity().userId() + "/sync",
                    request.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
