package dev.parley.benchmark.workloads;

import dev.parley.benchmark.load.Device;
import dev.parley.benchmark.load.Fleet;
import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.stack.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Group fan-out at rising offered rates: {@code groups} groups of {@code members} users, one device
 * each; each step sends {@code rate × step} messages (rate over all groups) on an open-loop schedule,
 * each from a random user to {@code groups/{id}/messages} of its group, and every message must reach
 * every member's device exactly once — the sender's own included, on both targets, so deliveries/s =
 * messages/s × members. Schedule, matching and the rising rates are {@link RisingRates}'.
 *
 * <p>Parley: the groups are created in the stack's store as persistence-service does; devices subscribe
 * only to their own topics and get the stored envelope on users/{me}/messages (the broker refuses
 * subscriptions to group topics). The system message of each group's creation also arrives there and
 * is ignored (it carries an {@code event}). Plain HiveMQ: the members subscribe to the group topic
 * itself, and a publish there reaches them all, the sender too (no-local is off).
 */
public final class GroupsWorkload {

    private static final int WARM_UP_RATE = 10;
    /** Step ids of the unrecorded warm-up: 0 one message per group, this one the timed part. */
    private static final int WARM_UP_STEP = 999;

    /**
     * @param rates  offered messages/s over all groups, rising
     * @param warmUp how long the first rate runs, unrecorded, before the measured steps
     * @param seed   the same seed gives both targets the same senders and message order
     */
    public record Settings(int groups, int members, List<Integer> rates, Duration step, Duration drain,
                           Duration warmUp, int textBytes, long seed) {
    }

    private final Settings settings;
    private final Consumer<String> progress;

    public GroupsWorkload(Settings settings, Consumer<String> progress) {
        this.settings = settings;
        this.progress = progress;
    }

    public Results.Groups run(Target target) {
        GroupMembers members = GroupMembers.of(settings.groups(), settings.members());
        target.createUsers(members.userIds());
        List<String> groupTopics = target.createGroups(members.rosters()).stream()
                .map(GroupMembers::topicOf).toList();
        RisingRates rates = new RisingRates("groups", settings.step(), settings.drain(),
                MessageIds.text(settings.textBytes()), progress);
        IntFunction<List<String>> subscriptions = device -> {
            List<String> topics = new ArrayList<>(Device.ownTopics(members.devices().get(device)));
            if (!target.durable()) {
                topics.add(groupTopics.get(members.groupOf(device)));
            }
            return topics;
        };
        try (Fleet fleet = Fleet.connect(target, members.devices(), subscriptions, rates::arrived)) {
            progress.accept(String.format("  groups on %s: %d devices connected, %d groups of %d", target.name(),
                    fleet.size(), members.groups(), members.members()));
            warmUp(target, fleet, rates, members, groupTopics);
            List<Results.RatePoint> points = rates.rise(target, fleet, settings.rates(),
                    (step, n) -> plan(randomSenders(n, step, members), members, groupTopics));
            return new Results.Groups(target.name(), members.groups(), members.members(), settings.textBytes(),
                    settings.step().toMillis() / 1000.0, points,
                    RisingRates.highest(points, Results.RatePoint::passed),
                    RisingRates.highest(points, Results.RatePoint::keptUp));
        }
    }

    /** One message into every group (Parley: each group's roster loaded, its lane started), then the first rate. */
    private void warmUp(Target target, Fleet fleet, RisingRates rates, GroupMembers members, List<String> topics) {
        int[] firstMembers = new int[members.groups()];
        for (int g = 0; g < members.groups(); g++) {
            firstMembers[g] = g * members.members();
        }
        StepTracker each = rates.warmUp(fleet, 0, WARM_UP_RATE, plan(firstMembers, members, topics));
        int rate = settings.rates().get(0);
        int timed = Math.max(1, (int) (rate * settings.warmUp().toMillis() / 1000));
        StepTracker steady = rates.warmUp(fleet, WARM_UP_STEP, rate,
                plan(randomSenders(timed, WARM_UP_STEP, members), members, topics));
        if (each.lost() > 0 || steady.lost() > 0) {
            progress.accept("  groups warm-up on " + target.name() + ": " + (each.delivered() + steady.delivered())
                    + " of " + (each.expected() + steady.expected()) + " deliveries arrived");
        }
        RisingRates.pause(Duration.ofSeconds(1));
    }

    /** The same senders for the same step on both targets. */
    private int[] randomSenders(int n, int step, GroupMembers members) {
        Random random = new Random(settings.seed() * 31 + step);
        int[] sender = new int[n];
        for (int i = 0; i < n; i++) {
            sender[i] = random.nextInt(members.devices().size());
        }
        return sender;
    }

    /** Each sender's message goes to its own group's topic and is due at every member of that group. */
    private static RisingRates.Plan plan(int[] sender, GroupMembers members, List<String> groupTopics) {
        int[] group = new int[sender.length];
        String[] topic = new String[sender.length];
        for (int i = 0; i < sender.length; i++) {
            group[i] = members.groupOf(sender[i]);
            topic[i] = groupTopics.get(group[i]);
        }
        return new RisingRates.Plan(sender, topic, Audience.groups(group, members.members()));
    }
}
