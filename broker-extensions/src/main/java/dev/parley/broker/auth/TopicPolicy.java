package dev.parley.broker.auth;

import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ServiceClient;
import dev.parley.protocol.Topic;
import java.util.Optional;

/**
 * Parley's topic permissions: what one authenticated device may publish, subscribe to and leave as its
 * will. Default deny: a topic is allowed only by a rule below, and each refusal carries the MQTT 5
 * reason code and a reason string that tells the developer what to do instead.
 *
 * <p>Pure (no I/O, no state), so {@link TopicAuthorizer} and the message pipeline's interceptors can
 * share it. Note for interceptors: HiveMQ CE runs publish inbound interceptors <em>before</em> the
 * authorizers (IncomingPublishHandler → PluginAuthorizerService), so an interceptor that acts on a
 * publish (stores it) must ask {@link #publish} first and leave refused publishes alone.
 *
 * <p>Reason codes: TOPIC_FILTER_INVALID / TOPIC_NAME_INVALID for what is not a Parley topic at all
 * (wildcards, {@code $SYS}, typos), NOT_AUTHORIZED for a Parley topic this device may not use,
 * SHARED_SUBSCRIPTIONS_NOT_SUPPORTED for {@code $share/...}.
 */
public final class TopicPolicy {

    /** A refused publish: the PUBACK reason code and reason string. */
    public record PublishRefusal(AckReasonCode code, String reason) {
    }

    /** A refused subscription: the SUBACK reason code and reason string. */
    public record SubscribeRefusal(SubackReasonCode code, String reason) {
    }

    /** A refused will: the CONNACK reason code and reason string. */
    public record WillRefusal(ConnackReasonCode code, String reason) {
    }

    static final String NO_RETAINED = "Parley does not keep retained messages: publish with retain=false"
            + " (a device that was offline gets what it missed from the server, not from retained messages)";
    private static final String SHARED_PREFIX = "$share/";

    private TopicPolicy() {
    }

    /** Empty when the device may publish to this topic. */
    public static Optional<PublishRefusal> publish(ClientIdentity me, String topic, boolean retain) {
        if (retain) {
            return refuse(AckReasonCode.NOT_AUTHORIZED, NO_RETAINED);
        }
        Optional<Topic> parsed = Topic.parse(topic);
        if (parsed.isEmpty()) {
            return refuse(AckReasonCode.TOPIC_NAME_INVALID, "'" + shorten(topic) + "' is not a Parley topic"
                    + " (ids are lower-case UUIDs): send a message to users/{to}/messages, receipts to "
                    + new Topic.UserReceipts(me.userId()).name() + ", this device's presence to "
                    + ownPresence(me));
        }
        Topic parsedTopic = parsed.get();
        if (parsedTopic instanceof Topic.UserMessages) {
            // Anyone may message any user, as with a phone number: no friendship needed. Whether the user
            // exists is the message pipeline's check.
            return Optional.empty();
        }
        if (parsedTopic instanceof Topic.UserTyping || parsedTopic instanceof Topic.GroupTyping) {
            // Typing follows the messages' rules (anyone; members of the group), checked by the typing
            // feature, which never lets the publish through as it is.
            return Optional.empty();
        }
        if (parsedTopic instanceof Topic.UserReceipts t) {
            return t.user().equals(me.userId()) ? Optional.empty()
                    : refuse(AckReasonCode.NOT_AUTHORIZED, "receipts are published to your own "
                            + new Topic.UserReceipts(me.userId()).name() + " topic, not to " + t.name());
        }
        if (parsedTopic instanceof Topic.UserSync t) {
            return t.user().equals(me.userId()) ? Optional.empty()
                    : refuse(AckReasonCode.NOT_AUTHORIZED, "catch up on your own "
                            + new Topic.UserSync(me.userId()).name() + " topic, not on " + t.name());
        }
        if (parsedTopic instanceof Topic.DevicePresence t) {
            return t.user().equals(me.userId()) && t.deviceId().equals(me.deviceId()) ? Optional.empty()
                    : refuse(AckReasonCode.NOT_AUTHORIZED, "a device publishes only its own presence, to "
                            + ownPresence(me) + ", not to " + t.name());
        }
        if (parsedTopic instanceof Topic.UserEvents t) {
            return refuse(AckReasonCode.NOT_AUTHORIZED, t.name() + " is written by Parley only: subscribe to "
                    + new Topic.UserEvents(me.userId()).name() + ", do not publish to it");
        }
        if (parsedTopic instanceof Topic.GroupMessages) {
            // Membership is checked where the message is sequenced, against the roster at that moment.
            return Optional.empty();
        }
        // Topic.UserPresence, and any topic kind added later until a rule here allows it.
        return refuse(AckReasonCode.NOT_AUTHORIZED, parsedTopic.name() + " is written by Parley's services only:"
                + " publish this device's status to " + ownPresence(me));
    }

    /** Empty when the device may subscribe to this topic filter. */
    public static Optional<SubscribeRefusal> subscribe(ClientIdentity me, String topicFilter) {
        if (topicFilter.startsWith(SHARED_PREFIX)) {
            return refuse(SubackReasonCode.SHARED_SUBSCRIPTION_NOT_SUPPORTED, "shared subscriptions are not"
                    + " available to Parley clients: subscribe to " + new Topic.UserMessages(me.userId()).name()
                    + " itself (every device of yours gets every message)");
        }
        if (topicFilter.contains("#") || topicFilter.contains("+")) {
            return refuse(SubackReasonCode.TOPIC_FILTER_INVALID, "Parley topics take no wildcards: subscribe to "
                    + ownTopics(me) + " one by one");
        }
        Optional<Topic> parsed = Topic.parse(topicFilter);
        if (parsed.isEmpty()) {
            return refuse(SubackReasonCode.TOPIC_FILTER_INVALID, "'" + shorten(topicFilter) + "' is not a Parley"
                    + " topic (ids are lower-case UUIDs): subscribe to " + ownTopics(me));
        }
        Topic parsedTopic = parsed.get();
        if (parsedTopic instanceof Topic.UserMessages t) {
            return own(me, t.user(), t.name());
        }
        if (parsedTopic instanceof Topic.UserReceipts t) {
            return own(me, t.user(), t.name());
        }
        if (parsedTopic instanceof Topic.UserEvents t) {
            return own(me, t.user(), t.name());
        }
        if (parsedTopic instanceof Topic.UserTyping t) {
            return own(me, t.user(), t.name());
        }
        if (parsedTopic instanceof Topic.GroupTyping t) {
            return refuse(SubackReasonCode.NOT_AUTHORIZED, "typing indicators of every conversation arrive on "
                    + new Topic.UserTyping(me.userId()).name() + "; do not subscribe to " + t.name()
                    + " (publish to it to tell the group you are typing)");
        }
        if (parsedTopic instanceof Topic.GroupMessages t) {
            // Group messages reach members on their own users/{id}/messages, so membership changes need no
            // subscription changes on any node; a subscription here would receive nothing.
            return refuse(SubackReasonCode.NOT_AUTHORIZED, "group messages arrive on "
                    + new Topic.UserMessages(me.userId()).name() + " with every other message; do not subscribe to "
                    + t.name() + " (publish to it to send to the group)");
        }
        if (parsedTopic instanceof Topic.UserPresence t) {
            // Another user's presence needs a friendship, which only the store knows: TopicAuthorizer asks it
            // (see friendPresence) and uses this refusal when they are not friends.
            return t.user().equals(me.userId()) ? Optional.empty()
                    : refuse(SubackReasonCode.NOT_AUTHORIZED, t.name() + " is visible to " + t.user()
                            + "'s friends only: send a friend request (POST /v1/me/friend-requests) and subscribe"
                            + " once it is accepted");
        }
        if (parsedTopic instanceof Topic.DevicePresence t) {
            return refuse(SubackReasonCode.NOT_AUTHORIZED, t.name() + " is read by Parley's presence service only:"
                    + " a user's status is on presence/{userId}");
        }
        // Any topic kind added later stays closed until a rule here opens it.
        return refuse(SubackReasonCode.NOT_AUTHORIZED, parsedTopic.name() + " is not open to clients: subscribe to "
                + ownTopics(me));
    }

    /**
     * The friend whose aggregate presence this filter asks for, when the subscription is allowed exactly if
     * the two are friends ({@code presence/{other user}}); empty for every other filter, which
     * {@link #subscribe} decides alone.
     */
    public static Optional<java.util.UUID> friendPresence(ClientIdentity me, String topicFilter) {
        return Topic.parse(topicFilter)
                .filter(t -> t instanceof Topic.UserPresence p && !p.user().equals(me.userId()))
                .map(t -> ((Topic.UserPresence) t).user());
    }

    /**
     * The one subscription presence-bridge makes: every device's presence, shared among the bridge's
     * instances so that each publish is handled once.
     */
    public static final String PRESENCE_BRIDGE_SUBSCRIPTION = "$share/" + ServiceClient.PRESENCE_BRIDGE + "/presence/+/+";

    /** Empty when the service may subscribe to this filter: presence-bridge, its shared subscription only. */
    public static Optional<SubscribeRefusal> serviceSubscribe(ServiceClient service, String topicFilter) {
        return topicFilter.equals(PRESENCE_BRIDGE_SUBSCRIPTION) ? Optional.empty()
                : refuse(SubackReasonCode.NOT_AUTHORIZED, service.service() + " may subscribe to "
                        + PRESENCE_BRIDGE_SUBSCRIPTION + " only, not to '" + shorten(topicFilter) + "'");
    }

    /**
     * Empty when the service may publish here: presence-bridge writes users' aggregate presence,
     * {@code presence/{userId}}, retained (so a friend who subscribes gets the current state at once).
     */
    public static Optional<PublishRefusal> servicePublish(ServiceClient service, String topic) {
        return Topic.parse(topic).filter(t -> t instanceof Topic.UserPresence).isPresent() ? Optional.empty()
                : refuse(AckReasonCode.NOT_AUTHORIZED, service.service() + " publishes to presence/{userId} only,"
                        + " not to '" + shorten(topic) + "'");
    }

    /**
     * Empty when the device may leave this will. A will is published by the broker when the connection
     * drops, past every interceptor, so only the device's own offline status is allowed.
     */
    public static Optional<WillRefusal> will(ClientIdentity me, String topic, boolean retain) {
        if (retain) {
            return Optional.of(new WillRefusal(ConnackReasonCode.RETAIN_NOT_SUPPORTED,
                    "Parley does not keep retained messages: set the will's retain flag to false"));
        }
        if (!topic.equals(ownPresence(me))) {
            return Optional.of(new WillRefusal(ConnackReasonCode.NOT_AUTHORIZED, "a will may only go to "
                    + ownPresence(me) + " (this device's offline status), not to '" + shorten(topic) + "'"));
        }
        return Optional.empty();
    }

    private static Optional<SubscribeRefusal> own(ClientIdentity me, java.util.UUID owner, String topic) {
        if (owner.equals(me.userId())) {
            return Optional.empty();
        }
        return refuse(SubackReasonCode.NOT_AUTHORIZED, topic + " belongs to another user: subscribe to your own "
                + ownTopics(me));
    }

    private static String ownTopics(ClientIdentity me) {
        return new Topic.UserMessages(me.userId()).name() + ", " + new Topic.UserReceipts(me.userId()).name()
                + " and " + new Topic.UserEvents(me.userId()).name();
    }

    private static String ownPresence(ClientIdentity me) {
        return new Topic.DevicePresence(me.userId(), me.deviceId()).name();
    }

    /** A client's topic echoed back, bounded (a topic may be 64 KiB). */
    static String shorten(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }

    private static Optional<PublishRefusal> refuse(AckReasonCode code, String reason) {
        return Optional.of(new PublishRefusal(code, reason));
    }

    private static Optional<SubscribeRefusal> refuse(SubackReasonCode code, String reason) {
        return Optional.of(new SubscribeRefusal(code, reason));
    }
}
