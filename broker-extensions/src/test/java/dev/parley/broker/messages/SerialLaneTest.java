package dev.parley.broker.messages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class SerialLaneTest {

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void stepsRunOneAfterAnotherInSubmissionOrderEvenWhenTheyWaitForIo() throws Exception {
        SerialLane lane = new SerialLane(executor);
        List<Integer> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> io = new CompletableFuture<>();
        CompletionStage<Integer> first = lane.submit(() -> io.thenApply(v -> {
            order.add(1);
            return 1;
        })).orElseThrow();
        CompletionStage<Integer> second = lane.submit(() -> {
            order.add(2);
            return CompletableFuture.completedFuture(2);
        }).orElseThrow();

        assertThat(order).isEmpty(); // the second waits for the first, which waits for its I/O
        io.complete(null);

        assertThat(second.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(first.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(order).containsExactly(1, 2);
    }

    @Test
    void aBusyLaneIsNotRetiredAndARetiredLaneTakesNoMoreSteps() throws Exception {
        SerialLane lane = new SerialLane(executor);
        CompletableFuture<Void> io = new CompletableFuture<>();
        CompletionStage<Void> busy = lane.submit(() -> io).orElseThrow();

        assertThat(lane.retireIfIdle()).isFalse();
        io.complete(null);
        busy.toCompletableFuture().get(5, TimeUnit.SECONDS);

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(lane::retireIfIdle);
        assertThat(lane.submit(() -> CompletableFuture.completedFuture("late"))).isEmpty();
    }

    @Test
    void aStepThatThrowsFailsItsOwnResultAndTheLaneGoesOn() throws Exception {
        SerialLane lane = new SerialLane(executor);
        java.util.function.Supplier<CompletionStage<String>> failing = () -> {
            throw new IllegalStateException("boom");
        };
        CompletionStage<String> broken = lane.submit(failing).orElseThrow();
        CompletionStage<String> next = lane.submit(() -> CompletableFuture.completedFuture("fine")).orElseThrow();

        assertThat(next.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("fine");
        assertThat(broken.toCompletableFuture()).isCompletedExceptionally();
    }
}
