package dev.parley.benchmark.workloads;

import dev.parley.benchmark.load.Fleet;
import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.stack.Target;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * 1:1 chat at rising offered rates: {@code users} devices in random fixed pairs, QoS 1, texts of
 * {@code textBytes}; each step sends {@code rate × step} messages on an open-loop schedule from random
 * senders to their partners and waits (at most {@code drain}) for them to arrive. On plain HiveMQ a
 * message is a publish to the recipient's topic; on Parley the same publish is stored, sequenced and
 * delivered as the stored envelope (to the recipient, and a copy to the sender's device, counted as an
 * echo). Schedule, matching and the rising rates are {@link RisingRates}'.
 *
 * <p>A point passes when p99 &lt; 50 ms and every message arrived exactly once; see
 * {@link Results.RatePoint#keptUp} for when rates keep rising.
 */
public final class OneToOneWorkload {

    private static final int WARM_UP_RATE = 200;
    /** Step ids of the unrecorded warm-up: 0 one message per direction, this one the timed part. */
    private static final int WARM_UP_STEP = 999;

    /**
     * @param warmUp     how long messages are sent at {@code warmUpRate}, unrecorded, before the measured
     *                   steps (JIT, caches)
     * @param seed       the same seed gives both targets the same pairs and the same message sequence
     */
    public record Settings(int users, List<Integer> rates, Duration step, Duration drain, Duration warmUp,
                           int warmUpRate, int textBytes, long seed) {
    }

    private final Settings settings;
    private final Consumer<String> progress;

    public OneToOneWorkload(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Results.OneToOne run(Target target) {
        Conversations conversations = Conversations.pairUp(settings.users(), new Random(settings.seed()));
        target.createUsers(conversations.userIds());
        RisingRates rates = new RisingRates("1:1", settings.step(), settings.drain(),
                MessageIds.text(settings.textBytes()), progress);
        try (Fleet fleet = Fleet.connect(target, conversations.devices(), true, rates::arrived)) {
            progress.accept(String.format("  1:1 on %s: %d devices connected, %d conversations", target.name(),
                    fleet.size(), conversations.pairs()));
            warmUp(target, fleet, rates, conversations);
            Map<String, Double> atRest = rates.cpuAtRest(target);
            List<Results.RatePoint> points = rates.rise(target, fleet, settings.rates(),
                    (step, n) -> plan(randomSenders(n, step, conversations), conversations));
            return new Results.OneToOne(target.name(), conversations.size(), conversations.pairs(),
                    settings.textBytes(), settings.step().toMillis() / 1000.0, settings.warmUp().toMillis() / 1000.0,
                    settings.warmUpRate(), atRest, points,
                    RisingRates.highest(points, Results.RatePoint::passed),
                    RisingRates.highest(points, Results.RatePoint::keptUp));
        }
    }

    /** One message each way in every conversation (Parley: claims each conversation's lease), JIT warm. */
    private void warmUp(Target target, Fleet fleet, RisingRates rates, Conversations conversations) {
        int n = conversations.size();
        int[] everyone = new int[n];
        for (int user = 0; user < n; user++) {
            everyone[user] = user;
        }
        StepTracker each = rates.warmUp(fleet, 0, WARM_UP_RATE, plan(everyone, conversations));
        int rate = settings.warmUpRate();
        int timed = (int) (rate * settings.warmUp().toMillis() / 1000);
        StepTracker steady = rates.warmUp(fleet, WARM_UP_STEP, rate,
                plan(randomSenders(timed, WARM_UP_STEP, conversations), conversations));
        if (each.delivered() < n || steady.delivered() < timed) {
            progress.accept("  warm-up on " + target.name() + ": " + (each.delivered() + steady.delivered())
                    + " of " + (n + timed) + " arrived");
        }
        RisingRates.pause(Duration.ofSeconds(1));
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

    /** Each sender's message goes to its partner's inbox. */
    private static RisingRates.Plan plan(int[] sender, Conversations conversations) {
        int[] recipient = new int[sender.length];
        String[] topic = new String[sender.length];
        for (int i = 0; i < sender.length; i++) {
            recipient[i] = conversations.partner()[sender[i]];
            topic[i] = conversations.inboxOf(recipient[i]);
        }
        return new RisingRates.Plan(sender, topic, Audience.oneEach(recipient));
    }
}
