package dev.parley.push.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pause's rules on their own: who may send while FCM is unavailable, and which answers count. */
@Timeout(30)
class FcmPauseTest {

    private static final Instant FAR = Instant.now().plus(Duration.ofDays(1));

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final FcmPause pause = new FcmPause(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)), timer,
            new PushMetrics(registry), Clock.systemUTC());

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void aBurstOfUnavailableAnswersFromSendsOnTheWirePausesOnce() {
        List<FcmPause.Ticket> onTheWire = IntStream.range(0, 5).mapToObj(i -> granted(pause.permit(FAR))).toList();

        onTheWire.forEach(ticket -> pause.unavailable(ticket, "UNAVAILABLE", Optional.empty()));

        assertThat(pause.paused()).isTrue();
        assertThat(registry.counter("parley.push.fcm.pauses").count()).isEqualTo(1);
        assertThat(registry.get("parley.push.fcm.paused").gauge().value()).isEqualTo(1);
    }

    @Test
    void whilePausedOneWaitingSendProbesAndItsAnswerReleasesTheOthers() {
        pause.unavailable(granted(pause.permit(FAR)), "UNAVAILABLE", Optional.empty());
        List<CompletableFuture<Optional<FcmPause.Ticket>>> waiting = IntStream.range(0, 4)
                .mapToObj(i -> pause.permit(FAR).toCompletableFuture()).toList();
        assertThat(waiting).noneMatch(CompletableFuture::isDone);

        await().atMost(Duration.ofSeconds(5)).until(() -> waiting.stream().anyMatch(CompletableFuture::isDone));
        List<FcmPause.Ticket> probes = waiting.stream().filter(CompletableFuture::isDone).map(f -> f.join().orElseThrow())
                .toList();
        assertThat(probes).singleElement().satisfies(probe -> assertThat(probe.probe()).isTrue());

        pause.answered(probes.get(0));

        assertThat(waiting).allMatch(CompletableFuture::isDone);
        assertThat(pause.paused()).isFalse();
        assertThat(registry.get("parley.push.fcm.paused").gauge().value()).isZero();
        assertThat(granted(pause.permit(FAR)).probe()).isFalse();
    }

    @Test
    void aFailedProbeStartsALongerPauseAndAProbeNotSentPassesOnAtOnce() {
        pause.unavailable(granted(pause.permit(FAR)), "UNAVAILABLE", Optional.empty());
        CompletableFuture<Optional<FcmPause.Ticket>> first = pause.permit(FAR).toCompletableFuture();
        CompletableFuture<Optional<FcmPause.Ticket>> second = pause.permit(FAR).toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(first::isDone);
        FcmPause.Ticket probe = first.join().orElseThrow();
        assertThat(second).isNotDone();

        pause.unused(probe); // its (message, token) was already sent: no answer from FCM to go by

        assertThat(second).isDone();
        assertThat(second.join().orElseThrow().probe()).isTrue();
        pause.unavailable(second.join().orElseThrow(), "UNAVAILABLE", Optional.empty());
        assertThat(pause.paused()).isTrue();
        assertThat(registry.counter("parley.push.fcm.pauses").count()).isEqualTo(1);
    }

    @Test
    void afterAProbeGotThroughAFailureOfASendFromBeforeThePauseIsOldNews() {
        FcmPause.Ticket early = granted(pause.permit(FAR));
        pause.unavailable(granted(pause.permit(FAR)), "UNAVAILABLE", Optional.empty());
        CompletableFuture<Optional<FcmPause.Ticket>> probe = pause.permit(FAR).toCompletableFuture();
        await().atMost(Duration.ofSeconds(5)).until(probe::isDone);
        pause.answered(probe.join().orElseThrow());

        pause.unavailable(early, "UNAVAILABLE", Optional.empty());

        assertThat(pause.paused()).isFalse();
        assertThat(registry.counter("parley.push.fcm.pauses").count()).isEqualTo(1);
    }

    @Test
    void fcmsRetryAfterIsWaitedEvenWhenLongerThanTheBackoff() {
        long start = System.nanoTime();
        pause.unavailable(granted(pause.permit(FAR)), "QUOTA_EXCEEDED", Optional.of(Duration.ofMillis(800)));
        CompletableFuture<Optional<FcmPause.Ticket>> waiting = pause.permit(FAR).toCompletableFuture();

        await().atMost(Duration.ofSeconds(5)).until(waiting::isDone);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aSendWhoseDeadlinePassesWhileWaitingGivesUpInsteadOfProbing() {
        pause.unavailable(granted(pause.permit(FAR)), "UNAVAILABLE", Optional.empty());
        CompletableFuture<Optional<FcmPause.Ticket>> expired = pause.permit(Instant.now().minusSeconds(1))
                .toCompletableFuture();
        CompletableFuture<Optional<FcmPause.Ticket>> fresh = pause.permit(FAR).toCompletableFuture();

        await().atMost(Duration.ofSeconds(5)).until(() -> expired.isDone() && fresh.isDone());

        assertThat(expired.join()).isEmpty();
        assertThat(fresh.join().orElseThrow().probe()).isTrue();
    }

    private static FcmPause.Ticket granted(java.util.concurrent.CompletionStage<Optional<FcmPause.Ticket>> permit) {
        CompletableFuture<Optional<FcmPause.Ticket>> future = permit.toCompletableFuture();
        assertThat(future).isDone();
        return future.join().orElseThrow();
    }
}
