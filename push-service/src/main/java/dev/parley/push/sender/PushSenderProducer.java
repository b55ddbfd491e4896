package dev.parley.push.sender;

import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
        FirebaseApp app = FirebaseApp.initializeApp(FirebaseOptions.builder()
                .setCredentials(credentials)
                .setProjectId(projectId)
                .build(), FIREBASE_APP_NAME);
        LOG.infof("Sending pushes through Firebase Cloud Messaging, project %s (key %s)", projectId, keyFile);
        return new FirebasePushSender(app);
    }

    void close(@Disposes PushSender sender) throws Exception {
        if (sender instanceof AutoCloseable closeable) {
            closeable.close();
        }
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
