package dev.parley.benchmark.workloads;

import dev.parley.benchmark.measure.CpuMeter;
import dev.parley.benchmark.measure.LatencySummary;
import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.stack.ParleyStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.HdrHistogram.Recorder;

/**
 * Login rate: {@code POST /v1/tokens} on persistence-service (password check with Argon2id, device
 * recorded, token issued), closed loop with {@code workers} requests in flight for {@code duration}, for
 * a few registered users logging in as ever new devices. Parley only: a plain broker has no accounts.
 */
public final class LoginWorkload {

    private static final String PASSWORD = "benchmark password 0123";

    private final int workers;
    private final Duration duration;
    private final Consumer<String> progress;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public LoginWorkload(int workers, Duration duration, Consumer<String> progress) {
        this.workers = workers;
        this.duration = duration;
        this.progress = progress;
    }

    public Results.Login run(ParleyStack stack) throws Exception {
        String rest = stack.restUrl();
        List<String> handles = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            String handle = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            HttpResponse<String> created = post(rest + "/v1/users", "{\"handle\":\"" + handle
                    + "\",\"displayName\":\"Bench\",\"password\":\"" + PASSWORD + "\"}");
            if (created.statusCode() != 201) {
                throw new IllegalStateException("registering " + handle + " failed: " + created.statusCode() + " "
                        + created.body());
            }
            handles.add(handle);
        }
        Recorder latency = new Recorder(3);
        AtomicInteger logins = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        Map<String, Long> pids = new LinkedHashMap<>(stack.processes());
        pids.put("load-generator", ProcessHandle.current().pid());
        CpuMeter cpu = CpuMeter.start(pids);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            String handle = handles.get(w);
            Thread worker = new Thread(() -> {
                for (int n = 0; System.nanoTime() < end; n++) {
                    long sent = System.nanoTime();
                    try {
                        HttpResponse<String> token = post(rest + "/v1/tokens", "{\"handle\":\"" + handle
                                + "\",\"password\":\"" + PASSWORD + "\",\"deviceId\":\"d" + n + "\"}");
                        if (token.statusCode() == 200) {
                            latency.recordValue((System.nanoTime() - sent) / 1000);
                            logins.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "login-" + w);
            worker.start();
            threads.add(worker);
        }
        for (Thread thread : threads) {
            thread.join(duration.toMillis() + 30_000);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Results.Login result = new Results.Login(workers, Math.round(seconds * 10) / 10.0, logins.get(), errors.get(),
                Math.round(logins.get() / seconds * 10) / 10.0, LatencySummary.of(latency.getIntervalHistogram()),
                cpu.coresUsed());
        progress.accept(String.format("  login: %.1f/s with %d in flight, p50 %.1f ms, p99 %.1f ms, %d errors",
                result.loginsPerSecond(), workers, result.latency().p50Ms(), result.latency().p99Ms(), result.errors()));
        return result;
    }

    private HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
