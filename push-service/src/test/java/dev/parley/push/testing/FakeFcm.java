package dev.parley.push.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A local HTTP server answering FCM's HTTP v1 send endpoint the way FCM does, and a FirebaseApp wired
 * to it through the SDK's supported options (fixed access token, own HTTP transport), so the real
 * Admin SDK runs end to end without a Google account or the internet. By default every push is
 * accepted, except for tokens {@value #GONE} (UNREGISTERED) and {@value #BAD} (INVALID_ARGUMENT);
 * {@link #answer} replaces that, and {@link #stop()}/{@link #start()} take the endpoint down and up
 * again on the same port.
 */
public final class FakeFcm implements AutoCloseable {

    public static final String PROJECT = "parley-test";
    public static final String ACCESS_TOKEN = "test-access-token";
    public static final String GONE = "token-of-an-uninstalled-app";
    public static final String BAD = "token-with-a-bad-payload";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as it arrived; {@code message} is the body's {@code message} object. */
    public record Request(String method, String path, String authorization, String body, JsonNode message,
                          Instant at) {

        public String token() {
            return message.path("token").asText();
        }

        public Map<String, String> data() {
            return JSON.convertValue(message.path("data"), Map.class);
        }
    }

    /** An answer: HTTP status, JSON body and extra headers. */
    public record Reply(int status, String body, Map<String, String> headers) {

        private static final AtomicLong IDS = new AtomicLong();

        public static Reply accepted() {
            return new Reply(200, "{\"name\": \"projects/" + PROJECT + "/messages/0:" + IDS.incrementAndGet() + "\"}",
                    Map.of());
        }

        public static Reply unregistered() {
            return error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.", Map.of());
        }

        public static Reply invalidArgument() {
            return error(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT",
                    "The registration token is not a valid FCM registration token", Map.of());
        }

        public static Reply unavailable(int retryAfterSeconds) {
            return error(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable.",
                    Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
        }

        public static Reply quotaExceeded(int retryAfterSeconds) {
            return error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded for this device.",
                    Map.of("Retry-After", Integer.toString(retryAfterSeconds)));
        }

        static Reply error(int code, String status, String fcmCode, String message, Map<String, String> headers) {
            return new Reply(code, "{\"error\": {\"code\": " + code + ", \"message\": \"" + message
                    + "\", \"status\": \"" + status + "\", \"details\": [{\"@type\": "
                    + "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\", \"errorCode\": \"" + fcmCode
                    + "\"}]}}", headers);
        }
    }

    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile Function<Request, Reply> responder = FakeFcm::byToken;
    private HttpServer server;
    private java.util.concurrent.ExecutorService serverThreads;

    public FakeFcm() {
        server = listen(0);
        port = server.getAddress().getPort();
    }

    /** From now on, answer each request with what {@code responder} returns. */
    public void answer(Function<Request, Reply> responder) {
        this.responder = responder;
    }

    public static Reply byToken(Request request) {
        return switch (request.token()) {
            case GONE -> Reply.unregistered();
            case BAD -> Reply.invalidArgument();
            default -> Reply.accepted();
        };
    }

    /** Takes the endpoint down: connections are refused until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
            server = null;
        }
    }

    /** Brings the endpoint back on the same port. */
    public synchronized void start() {
        if (server == null) {
            server = listen(port);
        }
    }

    /** Requests per device token, in arrival order. */
    public List<Request> requestsTo(String token) {
        return requests.stream().filter(r -> r.token().equals(token)).toList();
    }

    /** A FirebaseApp whose every request goes to this server instead of fcm.googleapis.com. */
    public FirebaseApp app(String name) {
        NetHttpTransport transport = new NetHttpTransport.Builder()
                .setConnectionFactory(url -> (HttpURLConnection) new URL("http", "127.0.0.1", port, url.getFile())
                        .openConnection())
                .build();
        return FirebaseApp.initializeApp(FirebaseOptions.builder()
                .setCredentials(GoogleCredentials.create(
                        new AccessToken(ACCESS_TOKEN, new Date(System.currentTimeMillis() + 3_600_000))))
                .setProjectId(PROJECT)
                .setHttpTransport(transport)
                .build(), name);
    }

    private HttpServer listen(int onPort) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
            created.createContext("/", this::handle);
            // Several threads, as FCM serves requests concurrently (the default is one).
            serverThreads = Executors.newFixedThreadPool(8, r -> {
                Thread thread = new Thread(r, "fake-fcm");
                thread.setDaemon(true);
                return thread;
            });
            created.setExecutor(serverThreads);
            created.start();
            return created;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        JsonNode message;
        try {
            message = JSON.readTree(body).path("message");
        } catch (IOException e) {
            message = JSON.createObjectNode();
        }
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), body, message, Instant.now());
        requests.add(request);
        Reply reply = responder.apply(request);
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
