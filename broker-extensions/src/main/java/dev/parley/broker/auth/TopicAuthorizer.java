package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.WillPublishPacket;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import dev.parley.protocol.ClientIdentity;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TopicPolicy} to the PUBLISHes, wills and SUBSCRIBEs of devices. One instance for all
 * of them: the device is read from each input's client id (which Parley's authenticator made
 * {@code {userId}/{deviceId}}), so a connection costs no authorizer state of its own.
 *
 * <p>What the client sees (HiveMQ CE 2025.5, IncomingPublishService): a refused QoS 1 PUBLISH gets a
 * PUBACK with the refusal's code and reason string, and then HiveMQ disconnects the client (DISCONNECT
 * 0x87 with its own reason string); a QoS 0 one is dropped before the same disconnect. A refused
 * subscription gets its code in the SUBACK (reason strings of one SUBSCRIBE are joined) and the
 * connection stays. A refused will refuses the CONNECT.
 */
final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAuthorizer.class);

    private final FriendCheck friends;
    private final Duration friendCheckTimeout;

    /**
     * @param friends            asked when the device subscribes to another user's presence
     * @param friendCheckTimeout how long that answer may take; later, the subscription is refused (0x87)
     */
    TopicAuthorizer(FriendCheck friends, Duration friendCheckTimeout) {
        this.friends = friends;
        this.friendCheckTimeout = friendCheckTimeout;
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        ClientIdentity me = ConnectionIdentity.of(input.getClientInformation());
        PublishPacket publish = input.getPublishPacket();
        if (publish instanceof WillPublishPacket) {
            // TokenAuthenticator has already refused any other will; this keeps the rule in one place if not.
            TopicPolicy.will(me, publish.getTopic(), publish.getRetain()).ifPresentOrElse(refusal -> {
                if (refusal.code() == ConnackReasonCode.RETAIN_NOT_SUPPORTED) {
                    // The disconnect variant is the one whose code reaches the CONNACK as 0x9A.
                    output.disconnectClient(DisconnectReasonCode.RETAIN_NOT_SUPPORTED, refusal.reason());
                } else {
                    output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, refusal.reason());
                }
            }, output::authorizeSuccessfully);
            return;
        }
        TopicPolicy.publish(me, publish.getTopic(), publish.getRetain()).ifPresentOrElse(
                refusal -> output.failAuthorization(refusal.code(), refusal.reason()),
                output::authorizeSuccessfully);
    }

    @Override
    public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        ClientIdentity me = ConnectionIdentity.of(input.getClientInformation());
        String filter = input.getSubscription().getTopicFilter();
        Optional<UUID> friend = TopicPolicy.friendPresence(me, filter);
        if (friend.isPresent()) {
            authorizeFriendPresence(me, friend.get(), filter, output);
            return;
        }
        TopicPolicy.subscribe(me, filter).ifPresentOrElse(
                refusal -> output.failAuthorization(refusal.code(), refusal.reason()),
                output::authorizeSuccessfully);
    }

    /**
     * A friend's presence: the store decides, off HiveMQ's thread. A late or failed answer refuses the
     * subscription (the app may subscribe again): presence is never shown on a guess.
     */
    private void authorizeFriendPresence(ClientIdentity me, UUID friend, String filter,
                                         SubscriptionAuthorizerOutput output) {
        Async<SubscriptionAuthorizerOutput> async = output.async(friendCheckTimeout, TimeoutFallback.FAILURE);
        CompletionStage<Boolean> answer;
        try {
            answer = friends.areFriends(me.userId(), friend);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((areFriends, failure) -> {
            if (failure != null) {
                LOG.warn("Refused {}'s subscription to {}: the friendship could not be checked ({})", me.clientId(),
                        filter, failure.toString());
                output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "whether you and " + friend
                        + " are friends could not be checked just now: subscribe again in a moment");
            } else if (Boolean.TRUE.equals(areFriends)) {
                output.authorizeSuccessfully();
            } else {
                TopicPolicy.subscribe(me, filter).ifPresentOrElse(
                        refusal -> output.failAuthorization(refusal.code(), refusal.reason()),
                        output::authorizeSuccessfully);
            }
            async.resume();
        });
    }

    /** For a client Parley did not authenticate (cannot happen while Parley is the only authenticator). */
    static final class DenyAll implements PublishAuthorizer, SubscriptionAuthorizer {
        static final String REASON = "this connection was not authenticated by Parley";

        @Override
        public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
            output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, REASON);
        }

        @Override
        public void authorizeSubscribe(SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, REASON);
        }
    }
}
