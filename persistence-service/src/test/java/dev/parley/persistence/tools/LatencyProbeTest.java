package dev.parley.persistence.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.persistence.testing.CassandraTestResource;
import dev.parley.protocol.ConversationId;
import dev.parley.store.messages.ConversationIndex;
import dev.parley.store.messages.MessageStore;
import dev.parley.store.messages.StoredMessage;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Measures p50/p99 of login, a history page and a sync at low load (one request at a time) against the
 * Quarkus test instance over real HTTP and the real Cassandra, with production password-hash cost.
 * Not part of the suite; run it with
 * {@code mvn -o -q -pl persistence-service -am verify -Dtest=LatencyProbeTest -Dparley.latency.probe=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; the numbers go to stdout and target/latency-probe.txt.
 */
@QuarkusTest
@TestProfile(LatencyProbeTest.ProductionHashCost.class)
@WithTestResource(value = CassandraTestResource.class, scope = TestResourceScope.MATCHING_RESOURCES)
@EnabledIfSystemProperty(named = "parley.latency.probe", matches = "true")
@Timeout(600)
class LatencyProbeTest {

    private static final int WARM_UP = 100;
    private static final int MEASURED = Integer.getInteger("parley.latency.requests", 300);
    private static final int MESSAGES = 10_000;

    /** The password hash cost of application.properties' production defaults, so login costs what it will. */
    public static final class ProductionHashCost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("parley.auth.password-hash.memory-kib", "19456", "parley.auth.password-hash.iterations", "2");
        }
    }

    @Inject
    MessageStore messages;
    @Inject
    ConversationIndex index;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private String base;

    @Test
    void measure() throws Exception {
        base = RestAssured.baseURI + ":" + RestAssured.port;
        String ada = "probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String bob = "probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String adaId = register(ada);
        String bobId = register(bob);
        String token = json.readTree(post("/v1/tokens", Map.of("handle", ada, "password", "correct horse battery",
                "deviceId", "probe"), null).body()).get("token").asText();
        String conversation = write(UUID.fromString(adaId), UUID.fromString(bobId));

        List<String> report = new ArrayList<>();
        report.add(String.format("requests per operation: %d measured after %d warm-up, one at a time; %s",
                MEASURED, WARM_UP, Instant.now()));
        report.add(line("login (POST /v1/tokens, Argon2id m=19456 t=2)", i -> {
            var response = post("/v1/tokens", Map.of("handle", ada, "password", "correct horse battery",
                    "deviceId", "probe-" + (i % 50)), null);
            assertThat(response.statusCode()).isEqualTo(200);
        }));
        report.add(line("history newest page (limit 50)", i -> {
            var response = get("/v1/conversations/" + conversation + "/messages", token);
            assertThat(response.statusCode()).isEqualTo(200);
        }));
        report.add(line("history middle page (beforeSeq, limit 50)", i -> {
            long before = 1000 + (i * 37L) % (MESSAGES - 1000);
            var response = get("/v1/conversations/" + conversation + "/messages?beforeSeq=" + before, token);
            assertThat(response.statusCode()).isEqualTo(200);
        }));
        report.add(line("history forward page (afterSeq, limit 50)", i -> {
            long after = (i * 37L) % (MESSAGES - 1000);
            var response = get("/v1/conversations/" + conversation + "/messages?afterSeq=" + after, token);
            assertThat(response.statusCode()).isEqualTo(200);
        }));
        report.add(line("sync after seq 5000 (limit 200, 200 messages back)", i -> {
            var response = post("/v1/me/sync", Map.of("cursors", Map.of(conversation, 5000), "limit", 200), token);
            assertThat(response.statusCode()).isEqualTo(200);
        }));
        report.add(line("sync, nothing missing (1 conversation)", i -> {
            var response = post("/v1/me/sync", Map.of("cursors", Map.of(conversation, MESSAGES)), token);
            assertThat(response.statusCode()).isEqualTo(200);
        }));
        report.forEach(System.out::println);
        Files.write(Path.of("target", "latency-probe.txt"), report);
    }

    interface Call {
        void run(int i) throws Exception;
    }

    private String line(String name, Call call) throws Exception {
        for (int i = 0; i < WARM_UP; i++) {
            call.run(i);
        }
        long[] micros = new long[MEASURED];
        for (int i = 0; i < MEASURED; i++) {
            long start = System.nanoTime();
            call.run(i);
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        IntFunction<String> ms = p -> String.format("%.2f", micros[Math.min(MEASURED - 1, (int) Math.ceil(p / 100.0 * MEASURED) - 1)] / 1000.0);
        return String.format("%-52s p50 %s ms  p90 %s ms  p99 %s ms  max %.2f ms", name, ms.apply(50), ms.apply(90),
                ms.apply(99), micros[MEASURED - 1] / 1000.0);
    }

    private String register(String handle) throws IOException, InterruptedException {
        var response = post("/v1/users", Map.of("handle", handle, "displayName", handle,
                "password", "correct horse battery"), null);
        assertThat(response.statusCode()).isEqualTo(201);
        return json.readTree(response.body()).get("id").asText();
    }

    private String write(UUID from, UUID to) {
        String conversation = ConversationId.direct(from, to).value();
        for (int start = 1; start <= MESSAGES; start += 200) {
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (int seq = start; seq < start + 200; seq++) {
                StoredMessage m = new StoredMessage(UUID.randomUUID(), conversation, seq, from, to, null,
                        "a message of about sixty characters, as chats mostly are " + seq,
                        UUID.randomUUID().toString(), Instant.now());
                writes.add(messages.append(m, 1).toCompletableFuture());
                if (seq == 1) {
                    writes.add(index.recordStart(m).toCompletableFuture());
                }
            }
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        }
        return conversation;
    }

    private HttpResponse<String> post(String path, Object body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
