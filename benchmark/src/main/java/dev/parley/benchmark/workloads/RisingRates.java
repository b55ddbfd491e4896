package dev.parley.benchmark.workloads;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.parley.benchmark.load.Device;
import dev.parley.benchmark.load.Fleet;
import dev.parley.benchmark.measure.CpuMeter;
import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.stack.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * What the rate workloads (1:1, groups) share: each offered rate sends its messages on an open-loop
 * schedule, matches every arrival to its message and receiving device ({@link StepTracker}), waits at
 * most {@code drain} for the last one, and reports the point with the CPU every process used while
 * sending. Rates keep rising while the target keeps up and stop after two points in a row it did not
 * keep up with: on a shared machine a p99 can fail from a neighbour's burst while the target is far
 * from its limit, so a run stays bounded and its top is the target's, not the noise's.
 */
final class RisingRates {

    static final double P99_LIMIT_MS = 50.0;
    private static final double KEEP_UP_SHARE = 0.95;
    private static final Duration AT_REST = Duration.ofSeconds(3);

    /** One step's traffic: message i is published by device {@code sender[i]} to {@code topic[i]}. */
    record Plan(int[] sender, String[] topic, Audience audience) {
    }

    /** Makes the plan of {@code messages} messages for step {@code step} (same step, same plan on both targets). */
    interface Planner {
        Plan plan(int step, int messages);
    }

    private final String workload;
    private final Duration step;
    private final Duration drain;
    private final String text;
    private final Consumer<String> progress;
    private final Map<Integer, StepTracker> steps = new ConcurrentHashMap<>();
    private final LongAdder receipts = new LongAdder();

    /** @param workload how progress lines name it ("1:1", "groups") */
    RisingRates(String workload, Duration step, Duration drain, String text, Consumer<String> progress) {
        this.workload = workload;
        this.step = step;
        this.drain = drain;
        this.text = text;
        this.progress = progress;
    }

    /** The fleet's message handler: runs on the client's event loop, so it only parses and counts. */
    void arrived(int device, Mqtt5Publish publish) {
        long now = System.nanoTime();
        String topic = publish.getTopic().toString();
        if (topic.endsWith("/receipts")) {
            receipts.increment();
            return;
        }
        if (!topic.endsWith("/messages")) {
            return;
        }
        int[] id = publish.getPayload().map(MessageIds::parse).orElse(null);
        StepTracker tracker = id == null ? null : steps.get(id[0]);
        if (tracker != null) {
            tracker.arrived(id[1], device, now);
        }
    }

    /** Each process's CPU over a few seconds with the devices connected and nothing sent. */
    Map<String, Double> cpuAtRest(Target target) {
        CpuMeter rest = CpuMeter.start(processesWithGenerator(target));
        pause(AT_REST);
        Map<String, Double> atRest = rest.coresUsed();
        progress.accept("  " + workload + " on " + target.name() + ": CPU at rest " + atRest);
        return atRest;
    }

    /** The measured steps, numbered from 1, at {@code rates} while the target keeps up. */
    List<Results.RatePoint> rise(Target target, Fleet fleet, List<Integer> rates, Planner planner) {
        List<Results.RatePoint> points = new ArrayList<>();
        int behindInARow = 0;
        for (int i = 0; i < rates.size() && behindInARow < 2; i++) {
            int rate = rates.get(i);
            int n = (int) (rate * step.toMillis() / 1000);
            Results.RatePoint point = point(i + 1, target, fleet, rate, planner.plan(i + 1, n));
            points.add(point);
            behindInARow = point.keptUp() ? 0 : behindInARow + 1;
            progress.accept(String.format("  %s on %-6s %5d msg/s offered: %7.0f deliveries/s, p50 %6.2f ms, "
                            + "p99 %7.2f ms, lost %d, dup %d, ack errors %d, CPU %s -> %s", workload, target.name(),
                    point.offeredPerSecond(), point.deliveredPerSecond(), point.latency().p50Ms(),
                    point.latency().p99Ms(), point.lost(), point.duplicates(), point.ackErrors(),
                    point.cpuCores(), point.passed() ? "pass" : point.keptUp() ? "kept up, p99 too high" : "FAIL"));
        }
        return points;
    }

    /**
     * Sends an unrecorded plan (warm-up) at {@code rate} and waits for it; returns the tracker so the
     * caller can say what did not arrive. Its step id must not be one {@link #rise} uses.
     */
    StepTracker warmUp(Fleet fleet, int stepId, int rate, Plan plan) {
        StepTracker tracker = new StepTracker(stepId, System.nanoTime() + 10_000_000, rate, plan.sender(),
                plan.audience());
        sendAndDrain(fleet, tracker, plan, null);
        steps.remove(stepId);
        return tracker;
    }

    private Results.RatePoint point(int stepId, Target target, Fleet fleet, int rate, Plan plan) {
        Map<String, Long> pids = processesWithGenerator(target);
        long receiptsBefore = receipts.sum();
        StepTracker tracker = new StepTracker(stepId, System.nanoTime() + 20_000_000, rate, plan.sender(),
                plan.audience());
        CpuMeter cpu = CpuMeter.start(pids);
        Map<String, Double> cores = sendAndDrain(fleet, tracker, plan, cpu);
        pause(Duration.ofSeconds(1)); // late duplicates and receipts land before the counts are read
        steps.remove(stepId);
        boolean exactlyOnce = tracker.lost() == 0 && tracker.duplicates() == 0 && tracker.misrouted() == 0
                && tracker.ackErrors() == 0;
        var latency = tracker.latency();
        boolean passed = exactlyOnce && latency.p99Ms() < P99_LIMIT_MS;
        boolean keptUp = exactlyOnce && latency.p50Ms() < P99_LIMIT_MS
                && tracker.deliveredPerSecond() >= KEEP_UP_SHARE * rate * plan.audience().fanOut();
        return new Results.RatePoint(rate, tracker.messages(), tracker.expected(), tracker.delivered(),
                tracker.lost(), tracker.duplicates(), tracker.misrouted(), tracker.ackErrors(), tracker.echoes(),
                receipts.sum() - receiptsBefore, Math.round(tracker.deliveredPerSecond() * 10) / 10.0, latency,
                tracker.ack(), cores, passed, keptUp);
    }

    /** Sends on schedule, then waits for the last delivery; returns the CPU used while sending. */
    private Map<String, Double> sendAndDrain(Fleet fleet, StepTracker tracker, Plan plan, CpuMeter cpu) {
        steps.put(tracker.step(), tracker);
        for (int i = 0; i < tracker.messages(); i++) {
            long wait = tracker.dueNanos(i) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int message = i;
            Device from = fleet.get(plan.sender()[i]);
            from.publish(plan.topic()[i], MessageIds.payload(tracker.step(), i, text))
                    .whenComplete((result, error) -> tracker.acknowledged(message, System.nanoTime(),
                            error != null || result.getError().isPresent()));
        }
        Map<String, Double> cores = cpu == null ? Map.of() : cpu.coresUsed();
        try {
            // At most drain for the last delivery; what has not arrived by then counts as lost.
            tracker.allDelivered().get(drain.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException late) {
            // reported by the tracker as lost deliveries
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return cores;
    }

    static int highest(List<Results.RatePoint> points, java.util.function.Predicate<Results.RatePoint> which) {
        return points.stream().filter(which).mapToInt(Results.RatePoint::offeredPerSecond).max().orElse(0);
    }

    private static Map<String, Long> processesWithGenerator(Target target) {
        Map<String, Long> pids = new LinkedHashMap<>(target.processes());
        pids.put("load-generator", ProcessHandle.current().pid());
        return pids;
    }

    /**
     * A fixed window, never a wait for a condition: the CPU-at-rest measurement, and the quiet second after
     * a step in which late duplicates and receipts are still counted (absence cannot be awaited).
     */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
