package dev.parley.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import dev.parley.protocol.ClientIdentity;
import dev.parley.protocol.ServiceClient;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The topic rules alone; {@link BrokerAuthorizationTest} shows what real clients see. */
@Timeout(10)
class TopicPolicyTest {

    private final ClientIdentity me = new ClientIdentity(UUID.randomUUID(), "phone");
    private final UUID other = UUID.randomUUID();

    @Test
    void aDeviceSubscribesToItsUsersOwnTopicsAndItsOwnPresence() {
        for (String topic : new String[] {"users/" + me.userId() + "/messages", "users/" + me.userId() + "/receipts",
                "users/" + me.userId() + "/events", "presence/" + me.userId()}) {
            assertThat(TopicPolicy.subscribe(me, topic)).as(topic).isEmpty();
        }
    }

    @Test
    void anotherUsersTopicsAreNotAuthorized() {
        for (String kind : new String[] {"messages", "receipts", "events"}) {
            var refusal = TopicPolicy.subscribe(me, "users/" + other + "/" + kind).orElseThrow();
            assertThat(refusal.code()).isEqualTo(SubackReasonCode.NOT_AUTHORIZED);
            assertThat(refusal.reason()).isEqualTo("users/" + other + "/" + kind + " belongs to another user: subscribe"
                    + " to your own users/" + me.userId() + "/messages, users/" + me.userId() + "/receipts and users/"
                    + me.userId() + "/events");
        }
    }

    @Test
    void typingIsPublishedToAnyoneOrAGroupAndReadOnOnesOwnTopicOnly() {
        assertThat(TopicPolicy.publish(me, "users/" + other + "/typing", false)).isEmpty();
        assertThat(TopicPolicy.publish(me, "groups/" + other + "/typing", false)).isEmpty();
        assertThat(TopicPolicy.subscribe(me, "users/" + me.userId() + "/typing")).isEmpty();
        assertThat(TopicPolicy.subscribe(me, "users/" + other + "/typing").orElseThrow().code())
                .isEqualTo(SubackReasonCode.NOT_AUTHORIZED);
        var group = TopicPolicy.subscribe(me, "groups/" + other + "/typing").orElseThrow();
        assertThat(group.code()).isEqualTo(SubackReasonCode.NOT_AUTHORIZED);
        assertThat(group.reason()).startsWith("typing indicators of every conversation arrive on users/" + me.userId()
                + "/typing");
    }

    @Test
    void wildcardsAreNotParleyTopicFilters() {
        for (String filter : new String[] {"#", "users/" + me.userId() + "/#", "users/+/messages", "$SYS/#"}) {
            var refusal = TopicPolicy.subscribe(me, filter).orElseThrow();
            assertThat(refusal.code()).as(filter).isEqualTo(SubackReasonCode.TOPIC_FILTER_INVALID);
            assertThat(refusal.reason()).startsWith("Parley topics take no wildcards: subscribe to users/" + me.userId());
        }
    }

    @Test
    void sharedSubscriptionsAreNotSupported() {
        var refusal = TopicPolicy.subscribe(me, "$share/x/users/" + me.userId() + "/messages").orElseThrow();

        assertThat(refusal.code()).isEqualTo(SubackReasonCode.SHARED_SUBSCRIPTION_NOT_SUPPORTED);
        assertThat(refusal.reason()).startsWith("shared subscriptions are not available to Parley clients");
    }

    @Test
    void unknownAndNonCanonicalTopicsAreNotParleyTopics() {
        for (String filter : new String[] {"$SYS/broker/uptime", "chat/general", "users/" + me.userId() + "/inbox",
                "users/" + me.userId().toString().toUpperCase() + "/messages", ""}) {
            var refusal = TopicPolicy.subscribe(me, filter).orElseThrow();
            assertThat(refusal.code()).as(filter).isEqualTo(SubackReasonCode.TOPIC_FILTER_INVALID);
            assertThat(refusal.reason()).contains("is not a Parley topic (ids are lower-case UUIDs)");
        }
    }

    @Test
    void groupSubscriptionsAndDevicePresenceAreClosedAndAnotherUsersPresenceNeedsFriendship() {
        assertThat(TopicPolicy.subscribe(me, "groups/" + other + "/messages").orElseThrow().reason())
                .isEqualTo("group messages arrive on users/" + me.userId() + "/messages with every other message;"
                        + " do not subscribe to groups/" + other + "/messages (publish to it to send to the group)");
        assertThat(TopicPolicy.subscribe(me, "presence/" + other).orElseThrow().reason())
                .startsWith("presence/" + other + " is visible to " + other + "'s friends only");
        assertThat(TopicPolicy.friendPresence(me, "presence/" + other)).contains(other);
        assertThat(TopicPolicy.friendPresence(me, "presence/" + me.userId())).isEmpty();
        assertThat(TopicPolicy.friendPresence(me, "presence/" + other + "/phone")).isEmpty();
        assertThat(TopicPolicy.friendPresence(me, "presence/+")).isEmpty();
        assertThat(TopicPolicy.subscribe(me, "presence/" + me.userId() + "/phone").orElseThrow().reason())
                .contains("is read by Parley's presence service only");
    }

    @Test
    void anyoneMayBeMessagedButReceiptsAndPresenceAreOnlyOnesOwn() {
        assertThat(TopicPolicy.publish(me, "users/" + other + "/messages", false)).isEmpty();
        assertThat(TopicPolicy.publish(me, "users/" + me.userId() + "/messages", false)).isEmpty();
        assertThat(TopicPolicy.publish(me, "users/" + me.userId() + "/receipts", false)).isEmpty();
        assertThat(TopicPolicy.publish(me, "presence/" + me.userId() + "/phone", false)).isEmpty();

        var receipts = TopicPolicy.publish(me, "users/" + other + "/receipts", false).orElseThrow();
        assertThat(receipts.code()).isEqualTo(AckReasonCode.NOT_AUTHORIZED);
        assertThat(receipts.reason()).isEqualTo("receipts are published to your own users/" + me.userId()
                + "/receipts topic, not to users/" + other + "/receipts");
        assertThat(TopicPolicy.publish(me, "presence/" + me.userId() + "/laptop", false).orElseThrow().reason())
                .isEqualTo("a device publishes only its own presence, to presence/" + me.userId() + "/phone, not to"
                        + " presence/" + me.userId() + "/laptop");
    }

    @Test
    void eventsAndAggregatePresenceAreNotPublishableButGroupsAreLeftToTheMembershipCheck() {
        assertThat(TopicPolicy.publish(me, "users/" + me.userId() + "/events", false).orElseThrow().reason())
                .startsWith("users/" + me.userId() + "/events is written by Parley only");
        // Membership is checked where the message is sequenced (GroupMessagesTest), not by topic.
        assertThat(TopicPolicy.publish(me, "groups/" + other + "/messages", false)).isEmpty();
        assertThat(TopicPolicy.publish(me, "presence/" + me.userId(), false).orElseThrow().reason())
                .startsWith("presence/" + me.userId() + " is written by Parley's services only");
    }

    @Test
    void retainedPublishesAreRefusedWhateverTheTopic() {
        var refusal = TopicPolicy.publish(me, "users/" + other + "/messages", true).orElseThrow();

        assertThat(refusal.code()).isEqualTo(AckReasonCode.NOT_AUTHORIZED);
        assertThat(refusal.reason()).startsWith("Parley does not keep retained messages: publish with retain=false");
    }

    @Test
    void anythingElseIsAnInvalidTopicName() {
        var refusal = TopicPolicy.publish(me, "chat/general", false).orElseThrow();

        assertThat(refusal.code()).isEqualTo(AckReasonCode.TOPIC_NAME_INVALID);
        assertThat(refusal.reason()).startsWith("'chat/general' is not a Parley topic");
    }

    @Test
    void theOnlyWillIsTheDevicesOwnUnretainedPresence() {
        assertThat(TopicPolicy.will(me, "presence/" + me.userId() + "/phone", false)).isEmpty();
        assertThat(TopicPolicy.will(me, "presence/" + me.userId() + "/phone", true).orElseThrow().code())
                .isEqualTo(ConnackReasonCode.RETAIN_NOT_SUPPORTED);
        var elsewhere = TopicPolicy.will(me, "users/" + other + "/messages", false).orElseThrow();
        assertThat(elsewhere.code()).isEqualTo(ConnackReasonCode.NOT_AUTHORIZED);
        assertThat(elsewhere.reason()).startsWith("a will may only go to presence/" + me.userId() + "/phone");
    }

    @Test
    void presenceBridgeSubscribesToTheSharedDevicePresenceAndPublishesAggregatesOnly() {
        ServiceClient bridge = new ServiceClient(ServiceClient.PRESENCE_BRIDGE, "bridge-1");

        assertThat(TopicPolicy.serviceSubscribe(bridge, "$share/presence-bridge/presence/+/+")).isEmpty();
        assertThat(TopicPolicy.serviceSubscribe(bridge, "presence/+/+")).isPresent();
        assertThat(TopicPolicy.serviceSubscribe(bridge, "$share/presence-bridge/#")).isPresent();
        assertThat(TopicPolicy.serviceSubscribe(bridge, "users/" + other + "/messages")).isPresent();
        assertThat(TopicPolicy.servicePublish(bridge, "presence/" + other)).isEmpty();
        assertThat(TopicPolicy.servicePublish(bridge, "presence/" + other + "/phone").orElseThrow().reason())
                .isEqualTo("presence-bridge publishes to presence/{userId} only, not to 'presence/" + other + "/phone'");
        assertThat(TopicPolicy.servicePublish(bridge, "users/" + other + "/messages")).isPresent();
    }

    @Test
    void longTopicsAreShortenedInReasons() {
        String topic = "x".repeat(5000);

        assertThat(TopicPolicy.publish(me, topic, false).orElseThrow().reason()).hasSizeLessThan(600);
    }
}
