package dev.parley.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;

/** persistence-service over real HTTP, as an app would call it. */
final class RestClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Response(int status, JsonNode body) {
    }

    /** A registered, logged-in device: its user id and access token (the MQTT password). */
    record Account(UUID userId, String handle, String deviceId, String token) {
    }

    static final String PASSWORD = "correct horse battery staple";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    RestClient(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Registers a new user and logs in one device of theirs. */
    Account register(String name, String deviceId) throws IOException, InterruptedException {
        String handle = name.toLowerCase(Locale.ROOT) + "." + UUID.randomUUID().toString().substring(0, 8);
        Response created = send("POST", "/v1/users", null, "{\"handle\":\"" + handle + "\",\"displayName\":\"" + name
                + "\",\"password\":\"" + PASSWORD + "\"}");
        if (created.status() != 201) {
            throw new IllegalStateException("registration of " + handle + " answered " + created);
        }
        return login(handle, deviceId);
    }

    /** Logs in one more device of a registered user. */
    Account login(String handle, String deviceId) throws IOException, InterruptedException {
        Response login = send("POST", "/v1/tokens", null, "{\"handle\":\"" + handle + "\",\"password\":\"" + PASSWORD
                + "\",\"deviceId\":\"" + deviceId + "\"}");
        if (login.status() != 200) {
            throw new IllegalStateException("login of " + handle + " answered " + login);
        }
        return new Account(UUID.fromString(login.body().get("userId").asText()), handle, deviceId,
                login.body().get("token").asText());
    }

    /** Registers the device's push token ({@code PUT /v1/me/devices/{deviceId}}), as the app does after login. */
    void registerPushToken(Account device, String platform, String pushToken) throws IOException, InterruptedException {
        Response registered = send("PUT", "/v1/me/devices/" + device.deviceId(), device,
                "{\"platform\":\"" + platform + "\",\"pushToken\":\"" + pushToken + "\"}");
        if (registered.status() / 100 != 2) {
            throw new IllegalStateException("push registration of " + device + " answered " + registered);
        }
    }

    Response send(String method, String path, Account as, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (as != null) {
            request.header("Authorization", "Bearer " + as.token());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Response(response.statusCode(), body);
    }
}
