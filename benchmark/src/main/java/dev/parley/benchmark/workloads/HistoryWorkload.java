package dev.parley.benchmark.workloads;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.benchmark.load.Fleet;
import dev.parley.benchmark.measure.CpuMeter;
import dev.parley.benchmark.measure.LatencySummary;
import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.stack.ParleyStack;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ConversationId;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.HdrHistogram.Recorder;

/**
 * History page rate: {@code GET /v1/conversations/{id}/messages?beforeSeq=&limit=} on persistence-service
 * (token check, participant check, one or two partition reads), closed loop with {@code workers} requests
 * in flight for {@code duration}, each for a random page of one of {@code conversations} conversations that
 * hold {@code messages} messages in all. The reader is a user registered and logged in over REST like an
 * app's; the messages are sent over MQTT beforehand. Parley only: a plain broker keeps no history.
 */
public final class HistoryWorkload {

    private static final String PASSWORD = "benchmark password 0123";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param pageSize messages per page, as an app scrolling back asks (the API allows up to 200) */
    public record Settings(int messages, int conversations, int pageSize, int workers, Duration duration) {
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HistoryWorkload(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Results.History run(ParleyStack stack) throws Exception {
        String rest = stack.restUrl();
        String handle = "hist_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        expect(201, post(rest + "/v1/users", "{\"handle\":\"" + handle + "\",\"displayName\":\"History reader\","
                + "\"password\":\"" + PASSWORD + "\"}"), "registering the reader");
        JsonNode login = JSON.readTree(expect(200, post(rest + "/v1/tokens", "{\"handle\":\"" + handle
                + "\",\"password\":\"" + PASSWORD + "\",\"deviceId\":\"history\"}"), "logging the reader in"));
        UUID reader = UUID.fromString(login.path("userId").asText());
        String token = login.path("token").asText();

        List<ClientIdentity> senders = new ArrayList<>();
        for (int i = 0; i < settings.conversations(); i++) {
            senders.add(new ClientIdentity(UUID.randomUUID(), "bench"));
        }
        stack.createUsers(senders.stream().map(ClientIdentity::userId).toList());
        int perConversation = settings.messages() / settings.conversations();
        fill(stack, senders, reader, perConversation);
        List<String> conversations = senders.stream()
                .map(s -> ConversationId.direct(s.userId(), reader).value()).toList();

        Recorder latency = new Recorder(3);
        AtomicInteger pages = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger shortPages = new AtomicInteger();
        Map<String, Long> pids = new LinkedHashMap<>(stack.processes());
        pids.put("load-generator", ProcessHandle.current().pid());
        CpuMeter cpu = CpuMeter.start(pids);
        long start = System.nanoTime();
        long end = start + settings.duration().toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < settings.workers(); w++) {
            SplittableRandom random = new SplittableRandom(w);
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    String conversation = conversations.get(random.nextInt(conversations.size()));
                    // A full page ends just before beforeSeq: any beforeSeq in (pageSize, last + 1].
                    long beforeSeq = settings.pageSize() + 1 + random.nextInt(perConversation - settings.pageSize() + 1);
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(rest
                                        + "/v1/conversations/" + URLEncoder.encode(conversation, StandardCharsets.UTF_8)
                                        + "/messages?beforeSeq=" + beforeSeq + "&limit=" + settings.pageSize()))
                                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                                .GET().build(), HttpResponse.BodyHandlers.ofString());
                        if (page.statusCode() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                        latency.recordValue((System.nanoTime() - sent) / 1000);
                        pages.incrementAndGet();
                        if (JSON.readTree(page.body()).path("messages").size() != settings.pageSize()) {
                            shortPages.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "history-" + w);
            worker.start();
            threads.add(worker);
        }
        for (Thread thread : threads) {
            thread.join(settings.duration().toMillis() + 30_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Results.History result = new Results.History(settings.messages(), settings.conversations(), settings.pageSize(),
                settings.workers(), Math.round(seconds * 10) / 10.0, pages.get(), shortPages.get(), errors.get(),
                Math.round(pages.get() / seconds * 10) / 10.0, LatencySummary.of(latency.getIntervalHistogram()),
                cpu.coresUsed());
        progress.accept(String.format("  history: %.1f pages/s of %d messages with %d in flight, p50 %.1f ms, p99 %.1f ms, "
                        + "%d errors, %d short pages", result.pagesPerSecond(), settings.pageSize(), settings.workers(),
                result.latency().p50Ms(), result.latency().p99Ms(), result.errors(), result.shortPages()));
        return result;
    }

    /** {@code perConversation} messages from each sender to the reader, closed loop; every one must be stored. */
    private void fill(ParleyStack stack, List<ClientIdentity> senders, UUID reader, int perConversation) throws Exception {
        String text = MessageIds.text(300);
        String inbox = "users/" + reader + "/messages";
        AtomicInteger failed = new AtomicInteger();
        long fillStart = System.nanoTime();
        try (Fleet fleet = Fleet.connect(stack, senders, false, (d, p) -> { })) {
            List<CompletableFuture<?>> acks = new ArrayList<>();
            for (int i = 0; i < perConversation * senders.size(); i++) {
                acks.add(fleet.get(i % senders.size()).publish(inbox, MessageIds.payload(0, i, text))
                        .whenComplete((r, e) -> {
                            if (e != null || r.getError().isPresent()) {
                                failed.incrementAndGet();
                            }
                        }));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of the history's messages were not stored");
        }
        progress.accept(String.format("  history: %d messages stored in %d conversations in %.1f s",
                perConversation * senders.size(), senders.size(), (System.nanoTime() - fillStart) / 1e9));
    }

    private static String expect(int status, HttpResponse<String> response, String what) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(what + " failed: " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
