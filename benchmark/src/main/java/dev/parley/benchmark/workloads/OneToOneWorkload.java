package dev.parley.benchmark.workloads;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.parley.benchmark.load.Device;
import dev.parley.benchmark.load.Fleet;
import dev.parley.benchmark.measure.CpuMeter;
import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.stack.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * 1:1 chat at rising offered rates: {@code users} devices in random fixed pairs, QoS 1, texts of
 * {@code textBytes}; each step sends {@code rate × step} messages on an open-loop schedule from random
 * senders to their partners and waits (at most {@code drain}) for them to arrive. On plain HiveMQ a
 * message is a publish to the recipient's topic; on Parley the same publish is stored, sequenced and
 * delivered as the stored envelope (to the recipient, and a copy to the sender's device).
 *
 * <p>A point passes when p99 &lt; 50 ms and every message arrived exactly once. On a shared machine a
 * p99 can fail from a neighbour's burst while the target is far from its limit, so rates keep rising
 * while the target keeps up (see {@link Results.RatePoint#keptUp}) and stop after two points in a row
 * that it did not keep up with: a run stays bounded and its top is the target's, not the noise's.
 */
public final class OneToOneWorkload {

    static final double P99_LIMIT_MS = 50.0;
    private static final double KEEP_UP_SHARE = 0.95;
    private static final int WARM_UP_RATE = 200;
    private static final Duration AT_REST = Duration.ofSeconds(3);
    /** Step ids of the unrecorded warm-up: 0 one message per direction, this one the timed part. */
    private static final int WARM_UP_STEP = 999;

    /**
     * @param warmUp how long the first rate runs, unrecorded, before the measured steps (JIT, caches)
     * @param seed   the same seed gives both targets the same pairs and the same message sequence
     */
    public record Settings(int users, List<Integer> rates, Duration step, Duration drain, Duration warmUp,
                           int textBytes, long seed) {
    }

    private final Settings settings;
    private final Consumer<String> progress;
    private final Map<Integer, StepTracker> steps = new ConcurrentHashMap<>();
    private final LongAdder receipts = new LongAdder();

    public OneToOneWorkload(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Results.OneToOne run(Target target) {
        Conversations conversations = Conversations.pairUp(settings.users(), new Random(settings.seed()));
        target.createUsers(conversations.userIds());
        String text = MessageIds.text(settings.textBytes());
        try (Fleet fleet = Fleet.connect(target, conversations.devices(), true, this::arrived)) {
            progress.accept(String.format("  1:1 on %s: %d devices connected, %d conversations", target.name(),
                    fleet.size(), conversations.pairs()));
            warmUp(target, fleet, conversations, text);
            CpuMeter rest = CpuMeter.start(processesWithGenerator(target));
            pause(AT_REST);
            Map<String, Double> atRest = rest.coresUsed();
            progress.accept("  1:1 on " + target.name() + ": CPU at rest " + atRest);
            List<Results.RatePoint> points = new ArrayList<>();
            int behindInARow = 0;
            for (int i = 0; i < settings.rates().size() && behindInARow < 2; i++) {
                Results.RatePoint point = step(i + 1, target, fleet, conversations, settings.rates().get(i), text);
                points.add(point);
                behindInARow = point.keptUp() ? 0 : behindInARow + 1;
                progress.accept(String.format("  1:1 on %-6s %5d msg/s offered: %6.0f delivered/s, p50 %6.2f ms, "
                                + "p99 %7.2f ms, lost %d, dup %d, ack errors %d, CPU %s -> %s", target.name(),
                        point.offeredPerSecond(), point.deliveredPerSecond(), point.latency().p50Ms(),
                        point.latency().p99Ms(), point.lost(), point.duplicates(), point.ackErrors(),
                        point.cpuCores(), point.passed() ? "pass" : point.keptUp() ? "kept up, p99 too high" : "FAIL"));
            }
            int sustained = points.stream().filter(Results.RatePoint::passed)
                    .mapToInt(Results.RatePoint::offeredPerSecond).max().orElse(0);
            int keptUp = points.stream().filter(Results.RatePoint::keptUp)
                    .mapToInt(Results.RatePoint::offeredPerSecond).max().orElse(0);
            return new Results.OneToOne(target.name(), conversations.size(), conversations.pairs(),
                    settings.textBytes(), settings.step().toMillis() / 1000.0, atRest, points, sustained, keptUp);
        }
    }

    /** One message each way in every conversation (Parley: claims each conversation's lease), JIT warm. */
    private void warmUp(Target target, Fleet fleet, Conversations conversations, String text) {
        int n = conversations.size();
        int[] sender = new int[n];
        int[] recipient = new int[n];
        int k = 0;
        for (int user = 0; user < n; user++) {
            sender[k] = user;
            recipient[k++] = conversations.partner()[user];
        }
        StepTracker tracker = new StepTracker(0, System.nanoTime() + 10_000_000, WARM_UP_RATE, sender, recipient);
        sendAndDrain(tracker, fleet, conversations, text);
        int rate = settings.rates().get(0);
        int timed = (int) (rate * settings.warmUp().toMillis() / 1000);
        int[] senders = randomSenders(timed, WARM_UP_STEP, conversations);
        StepTracker steady = new StepTracker(WARM_UP_STEP, System.nanoTime() + 10_000_000, rate, senders,
                recipientsOf(senders, conversations));
        sendAndDrain(steady, fleet, conversations, text);
        if (tracker.delivered() < n || steady.delivered() < timed) {
            progress.accept("  warm-up on " + target.name() + ": " + (tracker.delivered() + steady.delivered())
                    + " of " + (n + timed) + " arrived");
        }
        pause(Duration.ofSeconds(1));
    }

    private Results.RatePoint step(int step, Target target, Fleet fleet, Conversations conversations, int rate,
                                   String text) {
        int n = (int) (rate * settings.step().toMillis() / 1000);
        int[] sender = randomSenders(n, step, conversations);
        int[] recipient = recipientsOf(sender, conversations);
        Map<String, Long> pids = processesWithGenerator(target);
        long receiptsBefore = receipts.sum();
        StepTracker tracker = new StepTracker(step, System.nanoTime() + 20_000_000, rate, sender, recipient);
        CpuMeter cpu = CpuMeter.start(pids);
        Map<String, Double> cores = sendAndDrain(tracker, fleet, conversations, text, cpu);
        pause(Duration.ofSeconds(1)); // late duplicates and receipts land before the counts are read
        steps.remove(step);
        boolean exactlyOnce = tracker.lost() == 0 && tracker.duplicates() == 0 && tracker.misrouted() == 0
                && tracker.ackErrors() == 0;
        var latency = tracker.latency();
        boolean passed = exactlyOnce && latency.p99Ms() < P99_LIMIT_MS;
        boolean keptUp = exactlyOnce && latency.p50Ms() < P99_LIMIT_MS
                && tracker.deliveredPerSecond() >= KEEP_UP_SHARE * rate;
        return new Results.RatePoint(rate, n, tracker.delivered(), tracker.lost(), tracker.duplicates(),
                tracker.misrouted(), tracker.ackErrors(), tracker.echoes(), receipts.sum() - receiptsBefore,
                Math.round(tracker.deliveredPerSecond() * 10) / 10.0, latency, tracker.ack(), cores, passed, keptUp);
    }

    private static Map<String, Long> processesWithGenerator(Target target) {
        Map<String, Long> pids = new java.util.LinkedHashMap<>(target.processes());
        pids.put("load-generator", ProcessHandle.current().pid());
        return pids;
    }

    /** The same senders for the same step on both targets. */
    private int[] randomSenders(int n, int step, Conversations conversations) {
        Random random = new Random(settings.seed() * 31 + step);
        int[] sender = new int[n];
        for (int i = 0; i < n; i++) {
            sender[i] = random.nextInt(conversations.size());
        }
        return sender;
    }

    private static int[] recipientsOf(int[] sender, Conversations conversations) {
        int[] recipient = new int[sender.length];
        for (int i = 0; i < sender.length; i++) {
            recipient[i] = conversations.partner()[sender[i]];
        }
        return recipient;
    }

    private void sendAndDrain(StepTracker tracker, Fleet fleet, Conversations conversations, String text) {
        sendAndDrain(tracker, fleet, conversations, text, null);
    }

    /** Sends on schedule, then waits for the last arrival; returns the CPU used while sending. */
    private Map<String, Double> sendAndDrain(StepTracker tracker, Fleet fleet, Conversations conversations,
                                             String text, CpuMeter cpu) {
        steps.put(tracker.step(), tracker);
        for (int i = 0; i < tracker.messages(); i++) {
            long wait = tracker.dueNanos(i) - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int message = i;
            Device from = fleet.get(tracker.sender(i));
            from.publish(conversations.inboxOf(tracker.recipient(i)), MessageIds.payload(tracker.step(), i, text))
                    .whenComplete((result, error) -> tracker.acknowledged(message, System.nanoTime(),
                            error != null || result.getError().isPresent()));
        }
        Map<String, Double> cores = cpu == null ? Map.of() : cpu.coresUsed();
        long deadline = System.nanoTime() + settings.drain().toNanos();
        while (tracker.delivered() < tracker.messages() && System.nanoTime() < deadline) {
            pause(Duration.ofMillis(20));
        }
        return cores;
    }

    private void arrived(int device, Mqtt5Publish publish) {
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

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
