package dev.parley.devstack.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A local HTTP server answering FCM's HTTP v1 send endpoint ({@code POST /v1/projects/{project}/messages:send})
 * the way FCM does, and Google's OAuth token endpoint ({@code POST /token}) for a service-account key
 * whose {@code token_uri} points here ({@link #writeServiceAccountKey}), so the real Firebase Admin SDK
 * runs end to end — in the test's JVM or in a push-service process — without a Google account or the
 * internet. By default every push is accepted, except for tokens {@value #GONE} (UNREGISTERED) and
 * {@value #BAD} (INVALID_ARGUMENT); {@link #answer} replaces that, and {@link #stop()}/{@link #start()}
 * take the endpoint down (connections refused) and up again on the same port.
 *
 * <p>Every request is read and recorded as soon as it arrives, on a thread of its own, even while
 * earlier ones are held by a slow {@link #answer responder}: a request that left the sender is always
 * in {@link #requests}.
 */
public final class FakeFcm implements AutoCloseable {

    public static final String PROJECT = "parley-test";
    public static final String ACCESS_TOKEN = "test-access-token";
    public static final String GONE = "token-of-an-uninstalled-app";
    public static final String BAD = "token-with-a-bad-payload";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One send request as it arrived; {@code message} is the body's {@code message} object. */
    public record Request(String method, String path, String authorization, String body, JsonNode message,
                          Instant at) {

        public String token() {
            return message.path("token").asText();
        }

        @SuppressWarnings("unchecked")
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

        /** FCM's answer when sending this one message failed on its side (the SDK does not retry a 500). */
        public static Reply internal() {
            return error(500, "INTERNAL", "INTERNAL", "Internal error encountered.", Map.of());
        }

        static Reply error(int code, String status, String fcmCode, String message, Map<String, String> headers) {
            return new Reply(code, "{\"error\": {\"code\": " + code + ", \"message\": \"" + message
                    + "\", \"status\": \"" + status + "\", \"details\": [{\"@type\": "
                    + "\"type.googleapis.com/google.firebase.fcm.v1.FcmError\", \"errorCode\": \"" + fcmCode
                    + "\"}]}}", headers);
        }
    }

    /** Send requests, in arrival order (token requests are counted in {@link #tokenRequests()} only). */
    public final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final int port;
    private volatile Function<Request, Reply> responder = FakeFcm::byToken;
    private HttpServer server;
    private ExecutorService serverThreads;

    public FakeFcm() {
        server = listen(0);
        port = server.getAddress().getPort();
    }

    /** From now on, answer each send request with what {@code responder} returns (it may block to hold it). */
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

    /** Where FCM requests go instead of https://fcm.googleapis.com, e.g. http://127.0.0.1:41234. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** OAuth token requests answered so far (the SDK asks once per hour per credential). */
    public int tokenRequests() {
        return tokenRequests.get();
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

    /** Send requests per device token, in arrival order. */
    public List<Request> requestsTo(String token) {
        return requests.stream().filter(r -> r.token().equals(token)).toList();
    }

    /**
     * Writes a Firebase service-account JSON key of project {@value #PROJECT} (a fresh RSA key) whose
     * {@code token_uri} is this server, so the Admin SDK's credentials get their access tokens here.
     */
    public Path writeServiceAccountKey(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            String pem = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            ObjectNode key = JSON.createObjectNode()
                    .put("type", "service_account")
                    .put("project_id", PROJECT)
                    .put("private_key_id", "fake-fcm-key")
                    .put("private_key", pem)
                    .put("client_email", "push@" + PROJECT + ".iam.gserviceaccount.com")
                    .put("client_id", "1")
                    .put("token_uri", endpoint() + "/token");
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.writeString(file, JSON.writeValueAsString(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("RSA is missing from this JVM", e);
        }
    }

    private HttpServer listen(int onPort) {
        try {
            HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
            created.createContext("/", this::handle);
            // A thread per request, as many as arrive: a held request must never keep a later one unread
            // (the Admin SDK sends up to 100 at once).
            serverThreads = Executors.newCachedThreadPool(r -> {
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
        if (exchange.getRequestURI().getPath().equals("/token")) {
            tokenRequests.incrementAndGet();
            respond(exchange, new Reply(200, "{\"access_token\": \"" + ACCESS_TOKEN
                    + "\", \"expires_in\": 3600, \"token_type\": \"Bearer\"}", Map.of()));
            return;
        }
        JsonNode message;
        try {
            message = JSON.readTree(body).path("message");
        } catch (IOException e) {
            message = JSON.createObjectNode();
        }
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), body, message, Instant.now());
        requests.add(request);
        respond(exchange, responder.apply(request));
    }

    private static void respond(HttpExchange exchange, Reply reply) throws IOException {
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
