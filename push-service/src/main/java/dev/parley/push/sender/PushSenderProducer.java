package dev.parley.push.sender;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Chooses, once at startup, how pushes leave the service: through FCM when credentials are
 * configured, otherwise into the log. Log-only mode is announced with a WARN line, because a
 * production service that silently drops every push would look healthy. Configured credentials that
 * cannot be used stop the startup instead of falling back to log-only mode.
 */
@Singleton
final class PushSenderProducer {

    private static final Logger LOG = Logger.getLogger(PushSenderProducer.class);
    static final String FIREBASE_APP_NAME = "parley-push";

    private final PushConfig config;

    PushSenderProducer(PushConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    @Startup
    PushSender pushSender() {
        PushConfig.Firebase firebase = config.firebase();
        if (firebase.credentialsFile().isEmpty()) {
            LOG.warn("Firebase credentials are not configured: push-service runs in LOG-ONLY mode, pushes are "
                    + "written to the log and never sent. To send them, set parley.push.firebase.credentials-file "
                    + "(env PARLEY_PUSH_FIREBASE_CREDENTIALS_FILE) to your Firebase project's service-account JSON key");
            return new LogOnlyPushSender();
        }
        Path keyFile = Path.of(firebase.credentialsFile().get());
        ServiceAccountCredentials credentials = readCredentials(keyFile);
        String projectId = firebase.projectId().orElse(credentials.getProjectId());
        if (projectId == null || projectId.isBlank()) {
            throw fail("The Firebase key " + keyFile + " names no project: set parley.push.firebase.project-id");
        }
        FirebaseOptions.Builder options = FirebaseOptions.builder()
                .setCredentials(credentials)
                .setProjectId(projectId);
        Optional<URI> endpoint = firebase.endpoint().map(PushSenderProducer::endpoint);
        endpoint.ifPresent(base -> options.setHttpTransport(transportTo(base)));
        FirebaseApp app = FirebaseApp.initializeApp(options.build(), FIREBASE_APP_NAME);
        LOG.infof("Sending pushes through Firebase Cloud Messaging, project %s (key %s)%s", projectId, keyFile,
                endpoint.map(base -> ", to " + base + " instead of fcm.googleapis.com").orElse(""));
        return new FirebasePushSender(app);
    }

    void close(@Disposes PushSender sender) throws Exception {
        if (sender instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    private static URI endpoint(String configured) {
        try {
            URI uri = new URI(configured.strip());
            if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new URISyntaxException(configured, "not an http(s)://host[:port] URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw fail("parley.push.firebase.endpoint " + configured + " is not usable (" + e.getMessage()
                    + "): give scheme, host and port, e.g. https://fcm-gateway.internal:8443, or remove it to reach FCM");
        }
    }

    /**
     * The SDK's HTTP transport with every request sent to {@code base} (same path and query): the
     * supported way to reroute the Admin SDK, which has no endpoint setting of its own. Access tokens
     * are not affected: the credentials fetch them from their key's {@code token_uri}.
     */
    private static NetHttpTransport transportTo(URI base) {
        int port = base.getPort() != -1 ? base.getPort() : "https".equals(base.getScheme()) ? 443 : 80;
        return new NetHttpTransport.Builder()
                .setConnectionFactory(url -> (HttpURLConnection) new URL(base.getScheme(), base.getHost(), port,
                        url.getFile()).openConnection())
                .build();
    }

    private static ServiceAccountCredentials readCredentials(Path keyFile) {
        if (!Files.isReadable(keyFile)) {
            throw fail("The Firebase key " + keyFile + " (parley.push.firebase.credentials-file) does not exist or "
                    + "cannot be read: point the setting at your Firebase project's service-account JSON key, or "
                    + "remove it to run in log-only mode");
        }
        try (InputStream in = Files.newInputStream(keyFile)) {
            // Parsing only: the first access token is fetched on the first send, not at startup. A
            // service-account key specifically, not any credential configuration: that is what the
            // Admin SDK needs, and Google advises against loading arbitrary credential types.
            return ServiceAccountCredentials.fromStream(in);
        } catch (IOException | RuntimeException e) {
            throw fail("The Firebase key " + keyFile + " is not a usable service-account JSON key (" + e.getMessage()
                    + "): download one from the Firebase console, Project settings, Service accounts");
        }
    }

    private static PushStartupFailure fail(String message) {
        PushStartupFailure failure = new PushStartupFailure(message);
        LOG.error(failure.getMessage());
        return failure;
    }
}
