package dev.parley.broker.health;

import dev.parley.broker.DaemonThreads;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.parley.broker.config.ConfigReader;
import dev.parley.broker.config.HealthSettings;
import dev.parley.broker.startup.StartupException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /health/ready} (200 when every dependency answers, 503 otherwise, JSON body listing
 * each check) and {@code GET /health/live} (200 while the extension runs) on the JDK's HTTP server.
 * Requests are served by two threads of its own, never by HiveMQ's; a readiness request waits at
 * most the checks' timeout.
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);

    public static final String READY_PATH = "/health/ready";
    public static final String LIVE_PATH = "/health/live";
    private static final int THREADS = 2;

    private final HttpServer server;
    private final ExecutorService executor;
    private final Readiness readiness;

    private HealthServer(HttpServer server, ExecutorService executor, Readiness readiness) {
        this.server = server;
        this.executor = executor;
        this.readiness = readiness;
    }

    /** Listens on {@code settings}' address; the caller checks {@link HealthSettings#enabled()} first. */
    public static HealthServer start(HealthSettings settings, Readiness readiness) throws StartupException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(settings.bind(), settings.port()), 16);
        } catch (IOException | RuntimeException e) {
            throw new StartupException("the health endpoint cannot listen on " + settings.address() + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "): set "
                    + ConfigReader.HEALTH_PORT + " (a free port, or 0 to turn the endpoint off) or "
                    + ConfigReader.HEALTH_BIND + " in " + ConfigReader.FILE, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, DaemonThreads.named("parley-health"));
        HealthServer health = new HealthServer(server, executor, readiness);
        server.createContext("/", health::handle);
        server.setExecutor(executor);
        server.start();
        return health;
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("Health endpoint threads did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, "{\"status\":405,\"error\":\"method not allowed\"}");
                return;
            }
            switch (exchange.getRequestURI().getPath()) {
                case LIVE_PATH -> respond(exchange, 200, "{\"status\":\"UP\"}");
                case READY_PATH -> {
                    HealthReport report = ready();
                    respond(exchange, report.up() ? 200 : 503, report.toJson());
                }
                default -> respond(exchange, 404, "{\"status\":404,\"error\":\"not found; try " + READY_PATH
                        + " or " + LIVE_PATH + "\"}");
            }
        }
    }

    private HealthReport ready() {
        try {
            // Readiness completes within its timeout by itself; the extra second only guards a bug.
            return readiness.check().get(readiness.timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HealthReport(java.util.List.of(new HealthReport.Check("readiness", false, "interrupted")));
        } catch (ExecutionException | TimeoutException e) {
            return new HealthReport(java.util.List.of(new HealthReport.Check("readiness", false, String.valueOf(e))));
        }
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

}
