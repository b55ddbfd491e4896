package dev.parley.push.sender;

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
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server answering FCM's HTTP v1 send endpoint the way FCM does, and a FirebaseApp wired
 * to it through the SDK's supported options (fixed access token, own HTTP transport), so the real
 * Admin SDK runs end to end without a Google account or the internet. The device token decides the
 * answer: {@value #GONE} and {@value #BAD} get FCM's UNREGISTERED and INVALID_ARGUMENT errors.
 */
final class FakeFcm implements AutoCloseable {

    static final String PROJECT = "parley-test";
    static final String ACCESS_TOKEN = "test-access-token";
    static final String GONE = "token-of-an-uninstalled-app";
    static final String BAD = "token-with-a-bad-payload";

    record Request(String method, String path, String authorization, String body) {
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakeFcm() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** A FirebaseApp whose every request goes to this server instead of fcm.googleapis.com. */
    FirebaseApp app(String name) {
        int port = server.getAddress().getPort();
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

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        if (body.contains("\"" + GONE + "\"")) {
            respond(exchange, 404, fcmError(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found."));
        } else if (body.contains("\"" + BAD + "\"")) {
            respond(exchange, 400, fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Invalid value at 'message.data'"));
        } else {
            respond(exchange, 200, "{\"name\": \"projects/" + PROJECT + "/messages/0:1234\"}");
        }
    }

    private static String fcmError(int code, String status, String fcmCode, String message) {
        return "{\"error\": {\"code\": " + code + ", \"message\": \"" + message + "\", \"status\": \"" + status
                + "\", \"details\": [{\"@type\": \"type.googleapis.com/google.firebase.fcm.v1.FcmError\", "
                + "\"errorCode\": \"" + fcmCode + "\"}]}}";
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
