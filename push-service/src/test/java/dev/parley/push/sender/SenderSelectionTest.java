package dev.parley.push.sender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.devstack.testing.FakeFcm;
import dev.parley.push.testing.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The startup choice between FCM and log-only mode, and what an unusable key does to startup. */
@Timeout(30)
class SenderSelectionTest {

    @TempDir
    Path dir;

    @Test
    void aServiceAccountKeySelectsFirebaseWithTheKeysProject() throws Exception {
        Path key = writeKey("parley-test");

        PushSender sender = new PushSenderProducer(config(key.toString(), null)).pushSender();
        try {
            assertThat(sender).isInstanceOf(FirebasePushSender.class);
        } finally {
            new PushSenderProducer(config(null, null)).close(sender);
        }
    }

    @Test
    void withAnEndpointTheKeysAccessTokenAndEveryPushGoThereInsteadOfGoogle() throws Exception {
        try (FakeFcm fcm = new FakeFcm()) {
            Path key = fcm.writeServiceAccountKey(dir.resolve("service-account.json"));
            Map<String, String> settings = new HashMap<>();
            settings.put("parley.push.firebase.credentials-file", key.toString());
            settings.put("parley.push.firebase.endpoint", fcm.endpoint().toString());
            PushSenderProducer producer = new PushSenderProducer(TestConfigs.push(settings));
            PushSender sender = producer.pushSender();
            try {
                PushOutcome outcome = sender.send(new PushNotification("rerouted-token", "Ada", "hi",
                        Map.of("conversationId", "dm:a:b"), "dm:a:b", 1)).toCompletableFuture().get(20, TimeUnit.SECONDS);

                assertThat(outcome).isInstanceOf(PushOutcome.Accepted.class);
                assertThat(fcm.tokenRequests()).isEqualTo(1);
                assertThat(fcm.requestsTo("rerouted-token")).singleElement().satisfies(request -> {
                    assertThat(request.path()).isEqualTo("/v1/projects/" + FakeFcm.PROJECT + "/messages:send");
                    assertThat(request.authorization()).isEqualTo("Bearer " + FakeFcm.ACCESS_TOKEN);
                });
            } finally {
                producer.close(sender);
            }
        }
    }

    @Test
    void anEndpointThatIsNoUrlStopsStartup() throws Exception {
        Path key = writeKey("parley-test");
        Map<String, String> settings = new HashMap<>();
        settings.put("parley.push.firebase.credentials-file", key.toString());
        settings.put("parley.push.firebase.endpoint", "fcm-gateway:8443");
        assertThatThrownBy(() -> new PushSenderProducer(TestConfigs.push(settings)).pushSender())
                .isInstanceOf(PushStartupFailure.class)
                .hasMessageContaining("parley.push.firebase.endpoint fcm-gateway:8443 is not usable");
    }

    @Test
    void noKeySelectsLogOnlyMode() {
        assertThat(new PushSenderProducer(config(null, null)).pushSender()).isInstanceOf(LogOnlyPushSender.class);
    }

    @Test
    void aMissingKeyStopsStartupInsteadOfFallingBackToLogOnly() {
        Path missing = dir.resolve("nowhere.json");
        assertThatThrownBy(() -> new PushSenderProducer(config(missing.toString(), null)).pushSender())
                .isInstanceOf(PushStartupFailure.class)
                .hasMessageContaining("The Firebase key " + missing)
                .hasMessageContaining("does not exist or cannot be read")
                .hasMessageNotContaining("\n");
    }

    @Test
    void aFileThatIsNoKeyStopsStartup() throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.json"), "{\"type\": \"authorized_user\"}");
        assertThatThrownBy(() -> new PushSenderProducer(config(notAKey.toString(), null)).pushSender())
                .isInstanceOf(PushStartupFailure.class)
                .hasMessageContaining("is not a usable service-account JSON key");
    }

    @Test
    void aKeyWithoutProjectNeedsTheProjectIdSetting() throws Exception {
        Path key = writeKey(null);
        assertThatThrownBy(() -> new PushSenderProducer(config(key.toString(), null)).pushSender())
                .isInstanceOf(PushStartupFailure.class)
                .hasMessageContaining("set parley.push.firebase.project-id");
    }

    private static PushConfig config(String credentialsFile, String projectId) {
        Map<String, String> settings = new HashMap<>();
        if (credentialsFile != null) {
            settings.put("parley.push.firebase.credentials-file", credentialsFile);
        }
        if (projectId != null) {
            settings.put("parley.push.firebase.project-id", projectId);
        }
        return TestConfigs.push(settings);
    }

    /** A syntactically real service-account key with a fresh RSA key; nothing is ever signed with it. */
    private Path writeKey(String projectId) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        String json = "{\"type\": \"service_account\","
                + (projectId == null ? "" : " \"project_id\": \"" + projectId + "\",")
                + " \"private_key_id\": \"test-key\", \"private_key\": \"" + pem + "\","
                + " \"client_email\": \"push@parley-test.iam.gserviceaccount.com\", \"client_id\": \"1\","
                + " \"token_uri\": \"https://oauth2.googleapis.com/token\"}";
        return Files.writeString(dir.resolve("service-account.json"), json);
    }
}
