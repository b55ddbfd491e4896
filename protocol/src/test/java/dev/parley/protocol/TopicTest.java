package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TopicTest {

    private static final UUID U = UUID.fromString("0b5e5f7a-7f6e-4a53-9a43-1b7f0f1a2b3c");

    @Test
    void parsesEveryParleyTopicAndPrintsItBack() {
        for (Topic topic : new Topic[] {new Topic.UserMessages(U), new Topic.UserReceipts(U), new Topic.UserEvents(U), new Topic.UserSync(U),
                new Topic.GroupMessages(U), new Topic.DevicePresence(U, "phone-1"), new Topic.UserPresence(U),
                new Topic.UserTyping(U), new Topic.GroupTyping(U)}) {
            assertThat(Topic.parse(topic.name())).contains(topic);
        }
    }

    @Test
    void refusesWildcardsUnknownLevelsAndNonCanonicalIds() {
        for (String name : new String[] {"users/+/messages", "users/#", "#", "users/" + U + "/other", "groups/" + U + "/other",
                "users/" + U.toString().toUpperCase() + "/messages", "users/1-1-1-1-1/messages",
                "$share/x/users/" + U + "/messages", "users/" + U + "/messages/extra", "", "presence/" + U + "/a b"}) {
            assertThat(Topic.parse(name)).as(name).isEmpty();
        }
    }

    @Test
    void clientIdIsUserSlashDevice() {
        assertThat(ClientIdentity.parse(U + "/laptop")).contains(new ClientIdentity(U, "laptop"));
        assertThat(ClientIdentity.parse(U + "/")).isEmpty();
        assertThat(ClientIdentity.parse(U + "/a/b")).isEmpty();
        assertThat(ClientIdentity.parse("alice/phone")).isEmpty();
    }

    @Test
    void directConversationIdIsTheSameFromBothSides() {
        UUID other = UUID.randomUUID();
        ConversationId id = ConversationId.direct(U, other);
        assertThat(ConversationId.direct(other, U)).isEqualTo(id);
        assertThat(ConversationId.parse(id.value())).contains(id);
        assertThat(id.otherParticipant(U)).isEqualTo(other);
        assertThat(ConversationId.parse("dm:" + U + ":" + U)).isEmpty();
    }
}
