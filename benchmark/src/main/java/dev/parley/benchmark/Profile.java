package dev.parley.benchmark;

import java.time.Duration;
import java.util.List;

/**
 * How big each workload is. {@code full} is the sizes, bounded to under 20 minutes; {@code quick}
 * keeps every workload and its checks but small (under 3 minutes), for CI. {@code drain} only bounds the
 * wait for late messages (quick mode waits longer, so a slow CI machine reports slowness, not loss).
 * {@code warmUp} at {@code warmUpRate} runs before the 1:1 steps, for both targets: two minutes at 300 msg/s
 * in the full run. Measured with {@code --rates 300,300,…} after one minute of warm-up, the Parley stack's
 * JVMs (JIT compilation on the one core they share) still needed about another minute under load before
 * CPU per message and latency settled (p50 15 → 8 → 4 → 1.1 ms, broker + Cassandra 0.98 → 0.6 cores at
 * the same 300 msg/s); with the shorter warm-up the 1,000 msg/s point measured that settling (p50 26 ms,
 * against 7–10 ms after it). {@code groupWarmUp} runs before the group steps, on JVMs the 1:1 workload
 * has already warmed. Group rates are messages/s over all groups (deliveries/s = rate × members).
 */
record Profile(String name, int users, List<Integer> rates, Duration step, Duration drain, Duration warmUp,
               int warmUpRate, Duration groupWarmUp, int groups, int groupMembers, List<Integer> groupRates, Duration groupStep, int idleConnections,
               int catchUpMessages, int catchUpConversations, int loginWorkers, Duration loginDuration,
               int historyMessages, int historyConversations, int historyWorkers, Duration historyDuration) {

    static Profile full() {
        return new Profile("full", 1000, List.of(100, 250, 500, 1000, 2000, 3000, 4000, 6000, 8000),
                Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(120), 300, Duration.ofSeconds(60),
                5, 200, List.of(2, 5, 10, 20, 40, 60, 80, 120, 160), Duration.ofSeconds(15),
                10_000, 10_000, 10, 4, Duration.ofSeconds(15),
                5_000, 5, 4, Duration.ofSeconds(15));
    }

    static Profile quick() {
        return new Profile("quick", 200, List.of(100, 300), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(3), 100,
                Duration.ofSeconds(3), 2, 50, List.of(5, 10), Duration.ofSeconds(3),
                1_000, 1_000, 4, 2, Duration.ofSeconds(3),
                500, 2, 2, Duration.ofSeconds(3));
    }
}
