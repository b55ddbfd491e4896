package dev.parley.benchmark.workloads;

import java.util.List;
import java.util.Optional;

/**
 * Group fan-out: {@code groups} groups of {@code members} members, each member one device subscribed to
 * its groups' topics; open-loop sends to {@code groups/{id}/messages} at rising rates, every message
 * expected once at every other member (deliveries/s = messages/s × (members − 1)), latency from the
 * scheduled send time to each delivery. On plain HiveMQ the members subscribe to the group topic itself.
 *
 * <p>Group messaging is being built on the broker in parallel and is not on this branch yet: until it
 * is, {@link #unavailable()} says so and the run reports the workload as not yet available. The 1:1
 * machinery (open-loop schedule, per-message arrival tracking, CPU meter) is what it will reuse, with
 * the recipient check widened from one device to the group's members.
 */
public final class GroupsWorkload {

    public record Settings(int groups, int members, List<Integer> rates) {
    }

    private GroupsWorkload() {
    }

    /** Why the workload cannot run against this build, or empty once the broker has group topics. */
    public static Optional<String> unavailable() {
        return Optional.of("not yet available: group messaging (groups/{id}/messages) is being built on the "
                + "broker in parallel and is not on this branch; the Parley broker refuses group topics "
                + "(SUBACK/PUBACK 0x87 \"group messages are not available yet\")");
    }
}
