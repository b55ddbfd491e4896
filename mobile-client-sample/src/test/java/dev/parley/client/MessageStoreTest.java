package dev.parley.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.messages.MessageStore;
import dev.parley.protocol.ConversationId;
import dev.parley.protocol.Envelope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageStoreTest {

    private static final UUID ADA = UUID.randomUUID();
    private static final UUID BOB = UUID.randomUUID();
    private static final String DM = ConversationId.direct(ADA, BOB).value();

    @TempDir
    Path dir;

    @Test
    void theCursorStopsBeforeAGapSoCatchUpFillsIt() {
        try (MessageStore store = MessageStore.open(dir)) {
            store.add(envelope(DM, 1));
            store.add(envelope(DM, 2));
            store.add(envelope(DM, 4)); // live delivery overtook 3
            assertThat(store.cursor(DM)).isEqualTo(2);
            store.add(envelope(DM, 3));
            assertThat(store.cursor(DM)).isEqualTo(4);
        }
    }

    @Test
    void aDirectConversationMissingItsStartIsCaughtUpFromZero() {
        try (MessageStore store = MessageStore.open(dir)) {
            store.add(envelope(DM, 7));
            assertThat(store.cursor(DM)).isZero();
        }
    }

    @Test
    void aGroupWhoseFloorIsUnknownIsCountedFromOneNotFromTheFirstSeqHeld() {
        String group = ConversationId.group(UUID.randomUUID()).value();
        try (MessageStore store = MessageStore.open(dir)) {
            // Joined after 40; 46 came live before catch-up brought 41..45: asking from 46 would skip them.
            store.add(envelope(group, 46));
            assertThat(store.cursor(group)).isZero();
        }
    }

    @Test
    void aGroupIsCountedFromItsFloorTheSeqAfterTheJoin() {
        String group = ConversationId.group(UUID.randomUUID()).value();
        try (MessageStore store = MessageStore.open(dir)) {
            store.floor(group, 40);
            assertThat(store.cursor(group)).as("nothing held yet: from the join").isEqualTo(40);
            store.add(envelope(group, 43));
            assertThat(store.cursor(group)).as("41 and 42 missing").isEqualTo(40);
            store.add(envelope(group, 41));
            store.add(envelope(group, 42));
            assertThat(store.cursor(group)).isEqualTo(43);
        }
        try (MessageStore reopened = MessageStore.open(dir)) {
            assertThat(reopened.knowsFloor(group)).as("the floor survives a restart").isTrue();
            assertThat(reopened.cursor(group)).isEqualTo(43);
            reopened.floor(group, 50); // left and added again after 50: the history that counts starts there
            assertThat(reopened.cursor(group)).isEqualTo(50);
            reopened.forgetFloor(group);
            assertThat(reopened.cursor(group)).isZero();
        }
    }

    @Test
    void anEnvelopeHeldTwiceIsKeptOnceAndSurvivesReopening() {
        try (MessageStore store = MessageStore.open(dir)) {
            assertThat(store.add(envelope(DM, 1))).isTrue();
            assertThat(store.add(envelope(DM, 1))).isFalse();
        }
        try (MessageStore reopened = MessageStore.open(dir)) {
            assertThat(reopened.messages(DM)).hasSize(1);
            assertThat(reopened.conversations()).singleElement()
                    .satisfies(c -> assertThat(c.conversationId()).isEqualTo(DM));
        }
    }

    private static Envelope envelope(String conversation, long seq) {
        return new Envelope(UUID.randomUUID(), conversation, seq, ADA, conversation.startsWith("g:") ? null : BOB,
                null, "text " + seq, "c" + seq, Instant.now());
    }
}
