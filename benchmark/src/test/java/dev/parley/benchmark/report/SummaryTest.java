package dev.parley.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.benchmark.measure.LatencySummary;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The targets table: ratios Parley / plain from the same run, and what is said when a number is missing. */
class SummaryTest {

    @Test
    void reportsEachTargetAsARatioOfParleyToPlain() {
        Results results = results(
                run("plain", point(1000, 0.4, 10, true), point(2000, 0.5, 20, true)),
                run("parley", point(1000, 3.4, 30, true), point(2000, 80, 400, false)));

        String md = Summary.markdown(results, List.of("latency-1to1.png"));

        assertThat(md).contains("| durable 1:1 sustained rate (p99 < 50 ms, nothing lost) | Parley 1000 / plain 2000 msg/s = **0.50**"
                + " (plain passed the highest rate offered: its real ceiling is higher, the ratio is an upper bound) | ≥ 0.5 | yes |");
        assertThat(md).contains("| added p50 at 1,000 msg/s | 3.40 − 0.40 = **3.00 ms** | ≤ 5 ms | yes |");
        assertThat(md).contains("heap after GC: Parley 6.0 KiB / plain 5.0 KiB = **1.20**");
        assertThat(md).contains("| catch-up of 10,000 missed messages | **1.50 s** (10000 received) | < 2 s for 10,000 | yes |");
        assertThat(md).contains("| group fan-out deliveries/s kept up with (5 × 200 members; nothing lost, p50 < 50 ms, "
                + "≥ 95 % delivered) | Parley 2000 / plain 8000 deliveries/s = **0.25** | ≥ 0.5 | **no** |");
        assertThat(md).contains("| 10 | 2000 | 2,000 | 2,000 | 1.00 |");
        assertThat(md).contains("![latency-1to1.png](latency-1to1.png)");
    }

    private static Results results(Results.OneToOne plain, Results.OneToOne parley) {
        return new Results("2026-11-25T00:00:00Z", "full", "./parley bench",
                new Results.Environment(2, "not pinned", "java", "linux", "0.1", "same JVMs", ""),
                List.of(plain, parley),
                List.of(groups("plain", point(10, 0.5, 2, true), point(40, 0.6, 3, true), point(80, 90, 300, false)),
                        groups("parley", point(10, 5, 20, true), point(40, 80, 200, false))),
                List.of(idle("plain", 5 * 1024), idle("parley", 6 * 1024)),
                new Results.CatchUp(10_000, 10, 10_000, 0, 21, 1.5, 6666, 8, 1250, 0, Map.of()),
                null, null, List.of(new Results.NotMeasured("login", "not available")), 420);
    }

    private static Results.OneToOne run(String target, Results.RatePoint... points) {
        List<Results.RatePoint> list = List.of(points);
        int sustained = list.stream().filter(Results.RatePoint::passed).mapToInt(Results.RatePoint::offeredPerSecond)
                .max().orElse(0);
        return new Results.OneToOne(target, 1000, 500, 300, 15, 120, 300, Map.of(), list, sustained, sustained);
    }

    /** A group run of 5 × 200 whose points are 1:1-shaped: its deliveries are scaled by the members here. */
    private static Results.Groups groups(String target, Results.RatePoint... points) {
        List<Results.RatePoint> list = java.util.Arrays.stream(points).map(p -> new Results.RatePoint(
                p.offeredPerSecond(), p.sent(), p.sent() * 200, p.delivered() * 200, 0, 0, 0, 0, 0, 0,
                p.deliveredPerSecond() * 200, p.latency(), p.ack(), p.cpuCores(), p.passed(), p.keptUp())).toList();
        int keptUp = list.stream().filter(Results.RatePoint::keptUp).mapToInt(Results.RatePoint::offeredPerSecond)
                .max().orElse(0);
        return new Results.Groups(target, 5, 200, 300, 15, list, keptUp, keptUp);
    }

    private static Results.RatePoint point(int rate, double p50, double p99, boolean passed) {
        LatencySummary latency = new LatencySummary(rate * 15L, p50, p99, p99, p99, p99);
        return new Results.RatePoint(rate, rate * 15, rate * 15, rate * 15, 0, 0, 0, 0, 0, 0, rate, latency, latency,
                Map.of("broker", 0.5), passed, passed);
    }

    private static Results.Idle idle(String target, double heapPerConnection) {
        return new Results.Idle(target, 10_000, 8, 1250, 0, 0, 0, 0, heapPerConnection, 2 * heapPerConnection, Map.of());
    }
}
