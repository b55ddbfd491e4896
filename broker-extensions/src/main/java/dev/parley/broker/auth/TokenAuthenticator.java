package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import dev.parley.protocol.Topic;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.InvalidPayloadException;
import dev.parley.protocol.ServiceClient;
import dev.parley.protocol.presence.DeviceStatus;
import dev.parley.protocol.tokens.AccessTokens;
import dev.parley.protocol.tokens.ServiceTokens;
import dev.parley.protocol.tokens.InvalidTokenException;
import dev.parley.protocol.tokens.VerifiedToken;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a device in if its CONNECT says who it is and proves it: MQTT 5, client id
 * {@code {userId}/{deviceId}}, user name = that user id, password = an access token persistence-service
 * issued to exactly that device, and no will other than the device's own offline status.
 *
 * <p>Runs on HiveMQ's thread without blocking: verifying an HS256 token is a few microseconds of CPU.
 * Stateless and shared by every connection. Each refusal is a CONNACK with a reason code and a reason
 * string the app's developer can act on (MQTT 3 clients get the return code only: that protocol has no
 * reason strings).
 */
final class TokenAuthenticator implements SimpleAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(TokenAuthenticator.class);

    static final String MQTT5_ONLY = "Parley needs MQTT 5: it reports every refused message with a reason code"
            + " and reason string, which MQTT 3 cannot carry; connect with protocol version 5";

    private final AccessTokens tokens;
    private final ServiceTokens serviceTokens;
    private final ConnectionExpiry expiry;
    private final DeviceSessions sessions;
    private final Duration sessionCheckTimeout;
    private final TopicPermission willPermission = Builders.topicPermission()
            .topicFilter(Topic.DevicePresence.EVERY_DEVICE)
            .type(TopicPermission.PermissionType.ALLOW)
            .activity(TopicPermission.MqttActivity.PUBLISH)
            .retain(TopicPermission.Retain.NOT_RETAINED)
            .build();

    TokenAuthenticator(AccessTokens tokens, ServiceTokens serviceTokens, ConnectionExpiry expiry,
                       DeviceSessions sessions, Duration sessionCheckTimeout) {
        this.tokens = tokens;
        this.serviceTokens = serviceTokens;
        this.expiry = expiry;
        this.sessions = sessions;
        this.sessionCheckTimeout = sessionCheckTimeout;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        ConnectPacket connect = input.getConnectPacket();
        if (connect.getMqttVersion() != MqttVersion.V_5) {
            refuse(output, clientId, ConnackReasonCode.UNSUPPORTED_PROTOCOL_VERSION, MQTT5_ONLY);
            return;
        }
        if (ServiceClient.claimsService(clientId)) {
            authenticateService(clientId, connect, output);
            return;
        }
        Optional<ClientIdentity> claimed = ClientIdentity.parse(clientId);
        if (claimed.isEmpty()) {
            refuse(output, clientId, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client id '"
                    + TopicPolicy.shorten(clientId) + "' is not {userId}/{deviceId}: your user id (a lower-case"
                    + " UUID), a slash, and the device id your access token was issued for (1-64 of A-Z a-z 0-9 _ -)");
            return;
        }
        ClientIdentity device = claimed.get();
        String expectedUser = device.userId().toString();
        Optional<String> userName = connect.getUserName();
        if (userName.isEmpty() || !userName.get().equals(expectedUser)) {
            refuse(output, clientId, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "user name must be your user id "
                    + expectedUser + " (the first part of the client id)"
                    + userName.map(u -> ", not '" + TopicPolicy.shorten(u) + "'").orElse(", and none was sent"));
            return;
        }
        VerifiedToken token;
        try {
            token = tokens.verify(password(connect.getPassword()));
        } catch (InvalidTokenException e) {
            refuse(output, clientId, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, e.getMessage());
            return;
        }
        if (!token.device().equals(device)) {
            refuse(output, clientId, ConnackReasonCode.NOT_AUTHORIZED, "this access token was issued to device '"
                    + token.device().deviceId() + "' of user " + token.device().userId() + ", not to " + clientId
                    + ": connect with the client id " + token.device().clientId()
                    + ", or log in with this device's id to get its own token");
            return;
        }
        Optional<WillPublishPacket> will = connect.getWillPublish();
        if (will.isPresent()) {
            Optional<TopicPolicy.WillRefusal> refusal =
                    TopicPolicy.will(device, will.get().getTopic(), will.get().getRetain());
            if (refusal.isPresent()) {
                refuse(output, clientId, refusal.get().code(), refusal.get().reason());
                return;
            }
            try {
                DeviceStatus.parse(will.get().getPayload().orElse(ByteBuffer.allocate(0)));
            } catch (InvalidPayloadException e) {
                refuse(output, clientId, ConnackReasonCode.PAYLOAD_FORMAT_INVALID, "the will is this device's"
                        + " offline status: " + e.getMessage());
                return;
            }
        }
        // Belt and braces: TopicAuthorizer decides every publish and subscription; should it ever defer,
        // HiveMQ's default permissions must not open anything.
        output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        // Except the will: once a ClientInitializer is registered, HiveMQ CE checks the will against these
        // default permissions (PluginInitializerHandler). The will was checked above to be this device's own
        // presence, so one permission for the shape of every device's presence topic, shared by all
        // connections, is enough here; a permission per connection (its own topic string) cost ~150 bytes
        // of every idle connection's memory.
        output.getDefaultPermissions().add(willPermission);
        // A token outlives a logout (it is valid until it expires): the device's row says whether its session
        // was ended. One asynchronous read per CONNECT; the HiveMQ thread is not held meanwhile.
        Async<SimpleAuthOutput> async = output.async(sessionCheckTimeout, TimeoutFallback.FAILURE,
                ConnackReasonCode.SERVER_UNAVAILABLE, "this device's session could not be checked in time; connect again");
        sessions.loggedOut(device).whenComplete((loggedOut, error) -> {
            try {
                if (error != null) {
                    LOG.warn("Session of {} not checked: {}", clientId, error.toString());
                    output.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE,
                            "this device's session could not be checked (the store did not answer); connect again");
                } else if (loggedOut) {
                    refuse(output, clientId, ConnackReasonCode.NOT_AUTHORIZED, LogoutDisconnects.REASON);
                } else {
                    output.authenticateSuccessfully();
                    expiry.schedule(clientId, token.expiresAt());
                }
            } catch (RuntimeException alreadyAnswered) {
                // The timeout fallback has answered the client already.
                LOG.debug("Session check of {} finished after its timeout", clientId);
            } finally {
                async.resume();
            }
        });
    }

    /**
     * One of Parley's services (presence-bridge): client id {@code svc:{service}:{instance}}, user name
     * {@code svc:{service}}, password a service token for that service. No will (a service's absence is
     * not anyone's presence) and no default permissions: {@link ServiceAuthorizer} opens exactly its topics.
     */
    private void authenticateService(String clientId, ConnectPacket connect, SimpleAuthOutput output) {
        Optional<ServiceClient> service = ServiceClient.parse(clientId);
        if (service.isEmpty()) {
            refuse(output, clientId, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client id '"
                    + TopicPolicy.shorten(clientId) + "' is not svc:presence-bridge:{instance} (instance: 1-64 of"
                    + " A-Z a-z 0-9 _ . -); devices connect as {userId}/{deviceId}");
            return;
        }
        if (!connect.getUserName().map(service.get().userName()::equals).orElse(false)) {
            refuse(output, clientId, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "a service's user name must be "
                    + service.get().userName());
            return;
        }
        ServiceTokens.VerifiedService token;
        try {
            token = serviceTokens.verify(password(connect.getPassword()));
        } catch (InvalidTokenException e) {
            refuse(output, clientId, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, e.getMessage());
            return;
        }
        if (!token.service().equals(service.get().service())) {
            refuse(output, clientId, ConnackReasonCode.NOT_AUTHORIZED, "this service token was issued to "
                    + token.service() + ", not to " + service.get().service());
            return;
        }
        if (connect.getWillPublish().isPresent()) {
            refuse(output, clientId, ConnackReasonCode.NOT_AUTHORIZED, "a service connects without a will");
            return;
        }
        output.getDefaultPermissions().setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        output.authenticateSuccessfully();
        expiry.schedule(clientId, token.expiresAt());
    }

    /** The password as text; bytes that are not UTF-8 cannot be a token (verify says so for null). */
    private static String password(Optional<ByteBuffer> password) throws InvalidTokenException {
        if (password.isEmpty()) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(password.get().duplicate()).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidTokenException("access token is not a JWT (the password is not UTF-8 text)");
        }
    }

    private static void refuse(SimpleAuthOutput output, String clientId, ConnackReasonCode code, String reason) {
        LOG.debug("Refused CONNECT of '{}': {} {}", TopicPolicy.shorten(clientId), code, reason);
        output.failAuthentication(code, reason);
    }
}
