package dev.parley.broker.messages;

import dev.parley.store.messages.StoredMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Decides, in the conversation's lane just before a send gets its seq, whether it may be stored and
 * who receives it. Deciding there, and not when the publish arrives, is what makes a group membership
 * change exact: every message sequenced after a leave was admitted against a roster without the leaver.
 */
@FunctionalInterface
interface Admission {

    CompletionStage<Verdict> admit(Submission submission);

    sealed interface Verdict {
    }

    /** Store it; then {@code deliver} sends the stored message to its audience. */
    record Admitted(Consumer<StoredMessage> deliver) implements Verdict {
    }

    /** Do not store it. */
    record Refused(SequencerResult.Failed failure) implements Verdict {
    }

    static CompletionStage<Verdict> admitted(Consumer<StoredMessage> deliver) {
        return CompletableFuture.completedFuture(new Admitted(deliver));
    }
}
