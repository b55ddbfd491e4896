package dev.parley.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.parley.broker.testing.EmbeddedParley;
import dev.parley.broker.testing.RawMqtt;
import dev.parley.broker.testing.TestClient;
import dev.parley.broker.testing.TestStack;
import dev.parley.devstack.testing.TestDependencies;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.protocol.tokens.DeviceLogouts;
import dev.parley.store.accounts.DeviceStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way a CONNECT is accepted or refused, seen by a real Paho MQTT 5 client (the CONNACK reason
 * code) and by {@link RawMqtt} (the CONNACK reason string, which Paho drops). One broker for the class.
 */
@Timeout(120)
class BrokerAuthenticationTest {

    private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int NOT_AUTHORIZED = 0x87;
    private static final int SESSION_TAKEN_OVER = 0x8E;
    private static final int RETAIN_NOT_SUPPORTED = 0x9A;
    private static final int MAXIMUM_CONNECT_TIME = 0xA0;

    @TempDir
    static Path root;
    private static EmbeddedParley broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedParley.start(root, "auth");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aDeviceWithItsOwnTokenConnects() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");

        try (TestClient client = TestClient.connect(broker.tcpUri(), phone)) {
            assertThat(client.paho().isConnected()).isTrue();
        }
        try (RawMqtt raw = RawMqtt.open(broker.home().mqttPort())) {
            assertThat(raw.connect5(phone.clientId(), phone.userId().toString(), token(phone), null).reasonCode())
                    .isZero();
        }
    }

    @Test
    void aClientIdThatIsNotUserSlashDeviceIsRefused() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        String clientId = "phone-of-" + phone.userId();

        assertRefused(clientId, TestClient.options(phone), CLIENT_IDENTIFIER_NOT_VALID);
        assertReason(clientId, phone.userId().toString(), token(phone), CLIENT_IDENTIFIER_NOT_VALID,
                "client id '" + clientId + "' is not {userId}/{deviceId}: your user id (a lower-case UUID), a slash,"
                        + " and the device id your access token was issued for (1-64 of A-Z a-z 0-9 _ -)");
    }

    @Test
    void aUserNameOtherThanTheClientIdsUserIsRefused() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        MqttConnectionOptions options = TestClient.options(phone);
        options.setUserName("alice");

        assertRefused(phone.clientId(), options, BAD_USER_NAME_OR_PASSWORD);
        assertReason(phone.clientId(), "alice", token(phone), BAD_USER_NAME_OR_PASSWORD,
                "user name must be your user id " + phone.userId() + " (the first part of the client id), not 'alice'");
    }

    @Test
    void aTokenSignedWithAnotherSecretIsRefused() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        String forged = new AccessTokens("not-the-brokers-secret-but-long-enough-anyway", Clock.systemUTC())
                .issue(phone, Duration.ofHours(1));

        assertRefused(phone.clientId(), options(phone, forged), BAD_USER_NAME_OR_PASSWORD);
        assertReason(phone.clientId(), phone.userId().toString(), forged, BAD_USER_NAME_OR_PASSWORD,
                "access token signature is not valid: it was not issued by this Parley");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        Instant issuedAt = Instant.now().minus(Duration.ofHours(2));
        String expired = new AccessTokens(TestStack.TOKEN_SECRET, Clock.fixed(issuedAt, ZoneOffset.UTC))
                .issue(phone, Duration.ofHours(1));

        assertRefused(phone.clientId(), options(phone, expired), BAD_USER_NAME_OR_PASSWORD);
        assertReason(phone.clientId(), phone.userId().toString(), expired, BAD_USER_NAME_OR_PASSWORD,
                "access token expired at " + Instant.ofEpochSecond(issuedAt.plus(Duration.ofHours(1)).getEpochSecond())
                        + ": log in again");
    }

    @Test
    void aTokenOfAnotherDeviceIsNotAuthorized() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        ClientIdentity laptop = new ClientIdentity(phone.userId(), "laptop");
        String laptopsToken = token(laptop);

        assertRefused(phone.clientId(), options(phone, laptopsToken), NOT_AUTHORIZED);
        assertReason(phone.clientId(), phone.userId().toString(), laptopsToken, NOT_AUTHORIZED,
                "this access token was issued to device 'laptop' of user " + phone.userId() + ", not to "
                        + phone.clientId() + ": connect with the client id " + laptop.clientId()
                        + ", or log in with this device's id to get its own token");
    }

    @Test
    void aTokenOfAnotherUserIsNotAuthorized() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        String strangersToken = token(TestClient.newDevice("phone"));

        assertRefused(phone.clientId(), options(phone, strangersToken), NOT_AUTHORIZED);
    }

    @Test
    void aMissingPasswordIsRefused() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");

        assertRefused(phone.clientId(), TestClient.options(phone.userId().toString(), null), BAD_USER_NAME_OR_PASSWORD);
        assertReason(phone.clientId(), phone.userId().toString(), null, BAD_USER_NAME_OR_PASSWORD,
                "no access token: send the token from POST /v1/tokens as the MQTT password");
    }

    @Test
    void mqtt3ClientsAreRefusedAsUnsupportedProtocolVersion() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");

        try (RawMqtt raw = RawMqtt.open(broker.home().mqttPort())) {
            assertThat(raw.connect311(phone.clientId(), phone.userId().toString(), token(phone)))
                    .as("MQTT 3.1.1 CONNACK 0x01: unacceptable protocol version").isEqualTo(1);
        }
    }

    @Test
    void theDevicesOwnPresenceIsAnAcceptedWill() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        MqttConnectionOptions options = TestClient.options(phone);
        options.setWill("presence/" + phone.userId() + "/phone", message("{\"status\":\"offline\"}", false));

        try (TestClient client = TestClient.connect(broker.tcpUri(), phone.clientId(), options)) {
            assertThat(client.paho().isConnected()).isTrue();
        }
    }

    @Test
    void aRetainedWillIsRefused() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        String presence = "presence/" + phone.userId() + "/phone";
        MqttConnectionOptions options = TestClient.options(phone);
        options.setWill(presence, message("{\"status\":\"offline\"}", true));

        assertRefused(phone.clientId(), options, RETAIN_NOT_SUPPORTED);
        try (RawMqtt raw = RawMqtt.open(broker.home().mqttPort())) {
            assertThat(raw.connect5(phone.clientId(), phone.userId().toString(), token(phone),
                    new RawMqtt.Will(presence, "{}", true))).isEqualTo(new RawMqtt.Reply(RETAIN_NOT_SUPPORTED,
                    "Parley does not keep retained messages: set the will's retain flag to false"));
        }
    }

    @Test
    void aWillOnAnotherTopicIsRefused() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        String bobs = "users/" + TestClient.newDevice("x").userId() + "/messages";
        MqttConnectionOptions options = TestClient.options(phone);
        options.setWill(bobs, message("{\"clientMsgId\":\"x\",\"text\":\"I left\"}", false));

        assertRefused(phone.clientId(), options, NOT_AUTHORIZED);
        try (RawMqtt raw = RawMqtt.open(broker.home().mqttPort())) {
            assertThat(raw.connect5(phone.clientId(), phone.userId().toString(), token(phone),
                    new RawMqtt.Will(bobs, "{}", false))).isEqualTo(new RawMqtt.Reply(NOT_AUTHORIZED,
                    "a will may only go to presence/" + phone.userId() + "/phone (this device's offline status), not to '"
                            + bobs + "'"));
        }
    }

    /** MQTT semantics, HiveMQ's default: the newest connection of a client id wins. */
    @Test
    void aSecondConnectionWithTheSameClientIdTakesOver() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        try (TestClient first = TestClient.connect(broker.tcpUri(), phone);
             TestClient second = TestClient.connect(broker.tcpUri(), phone)) {
            MqttDisconnectResponse taken = first.disconnected().get(10, TimeUnit.SECONDS);

            assertThat(taken.getReturnCode()).isEqualTo(SESSION_TAKEN_OVER);
            assertThat(second.paho().isConnected()).isTrue();
            assertThat(first.paho().isConnected()).isFalse();
        }
    }

    @Test
    void severalDevicesOfOneUserAreConnectedAtOnce() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        ClientIdentity laptop = new ClientIdentity(phone.userId(), "laptop");
        ClientIdentity browser = new ClientIdentity(phone.userId(), "browser-1");
        String messages = "users/" + phone.userId() + "/messages";
        try (TestClient onPhone = TestClient.connect(broker.tcpUri(), phone);
             TestClient onLaptop = TestClient.connect(broker.tcpUri(), laptop);
             TestClient inBrowser = TestClient.connect(broker.home().websocketUri(), browser)) {
            for (TestClient device : new TestClient[] {onPhone, onLaptop, inBrowser}) {
                assertThat(device.subscribe(messages).getReasonCodes()).containsExactly(1);
            }

            assertThat(onPhone.paho().isConnected() && onLaptop.paho().isConnected() && inBrowser.paho().isConnected())
                    .isTrue();
            assertThat(onPhone.disconnected()).isNotDone();
        }
    }

    /** A connection lives as long as its token (plus the 5 s clock skew allowance), then must log in again. */
    @Test
    void theConnectionEndsWhenItsTokenExpires() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        String shortLived = TestStack.tokens().issue(phone, Duration.ofSeconds(1));
        Instant expiresAt = TestStack.tokens().verify(shortLived).expiresAt();

        try (TestClient client = TestClient.connect(broker.tcpUri(), phone.clientId(), options(phone, shortLived))) {
            MqttDisconnectResponse ended = client.disconnected().get(20, TimeUnit.SECONDS);

            assertThat(ended.getReturnCode()).isEqualTo(MAXIMUM_CONNECT_TIME);
            assertThat(ended.getReasonString()).isEqualTo("access token expired at " + expiresAt
                    + ": log in again (POST /v1/tokens) and reconnect with the new token");
            assertThat(Instant.now()).isAfterOrEqualTo(expiresAt.plus(ConnectionExpiry.CLOCK_SKEW));
        }
    }

    @Test
    void aDeviceThatLoggedOutIsRefusedAlthoughItsTokenHasNotExpiredAndConnectsAgainAfterANewLogin() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        DeviceStore devices = new DeviceStore(broker.session(), broker.keyspace());
        devices.recordLogin(phone.userId(), phone.deviceId(), "jti-1", Instant.now()).toCompletableFuture().join();
        String token = token(phone);
        try (TestClient client = TestClient.connect(broker.tcpUri(), phone.clientId(), options(phone, token))) {
            assertThat(client.paho().isConnected()).isTrue();
        }

        devices.revoke(phone.userId(), phone.deviceId(), Instant.now()).toCompletableFuture().join();

        assertRefused(phone.clientId(), options(phone, token), NOT_AUTHORIZED);
        assertReason(phone.clientId(), phone.userId().toString(), token, NOT_AUTHORIZED,
                "this device was logged out: log in again (POST /v1/tokens) for a new access token");

        devices.recordLogin(phone.userId(), phone.deviceId(), "jti-2", Instant.now()).toCompletableFuture().join();
        try (TestClient client = TestClient.connect(broker.tcpUri(), phone.clientId(), options(phone, token(phone)))) {
            assertThat(client.paho().isConnected()).isTrue();
        }
    }

    @Test
    void aLogoutClosesTheDevicesOpenConnectionAndOnlyThatOne() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        ClientIdentity laptop = new ClientIdentity(phone.userId(), "laptop");
        RedisClient redis = RedisClient.create("redis://" + TestDependencies.redis());
        try (TestClient phoneClient = TestClient.connect(broker.tcpUri(), phone);
             TestClient laptopClient = TestClient.connect(broker.tcpUri(), laptop);
             StatefulRedisConnection<String, String> persistenceSide = redis.connect()) {
            // What persistence-service does once the phone's row is revoked (DELETE /v1/me/devices/phone/session).
            persistenceSide.sync().publish(DeviceLogouts.CHANNEL, DeviceLogouts.message(phone));

            MqttDisconnectResponse ended = phoneClient.disconnected().get(20, TimeUnit.SECONDS);
            assertThat(ended.getReturnCode()).isEqualTo(NOT_AUTHORIZED);
            assertThat(ended.getReasonString()).isEqualTo(
                    "this device was logged out: log in again (POST /v1/tokens) for a new access token");
            assertThat(laptopClient.paho().isConnected()).as("the user's other device").isTrue();
            assertThat(laptopClient.disconnected()).isNotDone();
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void aDeviceWhoseConnectRacedItsLogoutIsClosedWhenTheLogoutIsCheckedAgain() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        DeviceStore devices = new DeviceStore(broker.session(), broker.keyspace());
        devices.recordLogin(phone.userId(), phone.deviceId(), "jti-1", Instant.now()).toCompletableFuture().join();
        String token = token(phone);
        RedisClient redis = RedisClient.create("redis://" + TestDependencies.redis());
        try (StatefulRedisConnection<String, String> persistenceSide = redis.connect()) {
            // The race: the phone's CONNECT read its row before the logout revoked it, and the logout was
            // announced before the connection existed, so the announcement found nothing to close.
            announceLogoutAndWaitUntilHeard(persistenceSide, phone);
            try (TestClient client = TestClient.connect(broker.tcpUri(), phone.clientId(), options(phone, token))) {
                devices.revoke(phone.userId(), phone.deviceId(), Instant.now()).toCompletableFuture().join();

                MqttDisconnectResponse ended = client.disconnected().get(30, TimeUnit.SECONDS);
                assertThat(ended.getReturnCode()).isEqualTo(NOT_AUTHORIZED);
                assertThat(ended.getReasonString()).isEqualTo(LogoutDisconnects.REASON);
            }
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void aDeviceThatLoggedInAgainRightAfterItsLogoutStaysConnectedWhenTheLogoutIsCheckedAgain() throws Exception {
        ClientIdentity phone = TestClient.newDevice("phone");
        DeviceStore devices = new DeviceStore(broker.session(), broker.keyspace());
        devices.recordLogin(phone.userId(), phone.deviceId(), "jti-1", Instant.now()).toCompletableFuture().join();
        devices.revoke(phone.userId(), phone.deviceId(), Instant.now()).toCompletableFuture().join();
        RedisClient redis = RedisClient.create("redis://" + TestDependencies.redis());
        try (StatefulRedisConnection<String, String> persistenceSide = redis.connect()) {
            announceLogoutAndWaitUntilHeard(persistenceSide, phone);
            devices.recordLogin(phone.userId(), phone.deviceId(), "jti-2", Instant.now()).toCompletableFuture().join();
            try (TestClient client = TestClient.connect(broker.tcpUri(), phone.clientId(), options(phone, token(phone)))) {
                // The rechecks run 1 s and (store check timeout + 1 s) = 7 s after the announcement.
                await().during(Duration.ofSeconds(9)).atMost(Duration.ofSeconds(20))
                        .until(() -> client.paho().isConnected() && !client.disconnected().isDone());
            }
        } finally {
            redis.shutdown();
        }
    }

    /**
     * Announces the device's logout, then a decoy's whose connection is open, and waits for the decoy's
     * connection to close: the node handles announcements in order, so the device's has been handled.
     */
    private static void announceLogoutAndWaitUntilHeard(StatefulRedisConnection<String, String> persistenceSide,
                                                        ClientIdentity device) throws Exception {
        ClientIdentity decoy = TestClient.newDevice("decoy");
        try (TestClient decoyClient = TestClient.connect(broker.tcpUri(), decoy)) {
            persistenceSide.sync().publish(DeviceLogouts.CHANNEL, DeviceLogouts.message(device));
            persistenceSide.sync().publish(DeviceLogouts.CHANNEL, DeviceLogouts.message(decoy));
            decoyClient.disconnected().get(20, TimeUnit.SECONDS);
        }
    }

    private static void assertRefused(String clientId, MqttConnectionOptions options, int reasonCode) {
        assertThatThrownBy(() -> TestClient.connect(broker.tcpUri(), clientId, options).close())
                .isInstanceOfSatisfying(MqttException.class,
                        e -> assertThat(e.getReasonCode()).as("CONNACK reason code").isEqualTo(reasonCode));
    }

    private static void assertReason(String clientId, String userName, String password, int reasonCode,
                                     String reasonString) throws Exception {
        try (RawMqtt raw = RawMqtt.open(broker.home().mqttPort())) {
            assertThat(raw.connect5(clientId, userName, password, null))
                    .isEqualTo(new RawMqtt.Reply(reasonCode, reasonString));
        }
    }

    private static String token(ClientIdentity device) {
        return TestStack.tokens().issue(device, Duration.ofHours(1));
    }

    private static MqttConnectionOptions options(ClientIdentity device, String token) {
        return TestClient.options(device.userId().toString(), token.getBytes(StandardCharsets.UTF_8));
    }

    private static MqttMessage message(String payload, boolean retained) {
        MqttMessage message = new MqttMessage(payload.getBytes(StandardCharsets.UTF_8));
        message.setQos(1);
        message.setRetained(retained);
        return message;
    }
}
