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
    void aGroupIsCountedFromTheFirstSeqHeldBecauseHistoryStartsAtTheJoin() {
        String group = ConversationId.group(UUID.randomUUID()).value();
        try (MessageStore store = MessageStore.open(dir)) {
            store.add(envelope(group, 41));
            store.add(envelope(group, 42));
            assertThat(store.cursor(group)).isEqualTo(42);
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
