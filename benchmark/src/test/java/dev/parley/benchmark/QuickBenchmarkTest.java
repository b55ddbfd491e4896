package dev.parley.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.report.ResultsJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `./parley bench --quick` end to end, as CI runs it: both targets start, every workload runs, the
 * result files are written, and every message arrives exactly once. Timings are never asserted (the
 * machine is shared and noisy); the time limit only catches a hang.
 */
class QuickBenchmarkTest {

    private static final Path HOME = Path.of(System.getProperty("parley.home", "..")).toAbsolutePath().normalize();

    @TempDir
    Path out;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void quickRunWritesItsResultsAndLosesNothing() throws Exception {
        // Not pinned: the test JVM is the load generator and must not keep one core for the rest of the build.
        Benchmark.Outcome outcome = Benchmark.run(HOME, List.of("--quick", "--no-pin", "--out", out.toString()),
                System.out::println);

        Results results = ResultsJson.read(out.resolve("results.json"));
        assertThat(results.notMeasured()).as("every workload measured").isEmpty();
        assertThat(outcome.failures()).isZero();
        for (String file : List.of("summary.md", "latency-1to1.png", "throughput-1to1.png", "cpu-1to1.png",
                "latency-groups.png", "throughput-groups.png", "memory-idle-connections.png")) {
            assertThat(out.resolve(file)).as(file).isNotEmptyFile();
        }
        assertThat(Files.readString(out.resolve("summary.md"))).contains("durable 1:1 sustained rate",
                "memory per idle authenticated connection", "catch-up of", "group fan-out deliveries/s kept up with", "## History pages");

        assertThat(results.oneToOne()).extracting(Results.OneToOne::target).containsExactly("plain", "parley");
        for (Results.OneToOne run : results.oneToOne()) {
            assertThat(run.points()).as(run.target()).hasSize(2);
            for (Results.RatePoint point : run.points()) {
                String where = run.target() + " at " + point.offeredPerSecond() + " msg/s";
                assertThat(point.sent()).as(where).isPositive();
                assertThat(point.delivered()).as(where + ": delivered").isEqualTo(point.sent());
                assertThat(point.lost()).as(where + ": lost").isZero();
                assertThat(point.duplicates()).as(where + ": duplicates").isZero();
                assertThat(point.misrouted()).as(where + ": misrouted").isZero();
                assertThat(point.ackErrors()).as(where + ": error PUBACKs").isZero();
                assertThat(point.cpuCores()).as(where).containsKeys("broker", "load-generator");
            }
        }
        assertThat(results.groups()).extracting(Results.Groups::target).containsExactly("plain", "parley");
        for (Results.Groups run : results.groups()) {
            assertThat(run.points()).as(run.target()).hasSize(2);
            for (Results.RatePoint point : run.points()) {
                String where = "groups on " + run.target() + " at " + point.offeredPerSecond() + " msg/s";
                assertThat(point.sent()).as(where).isPositive();
                assertThat(point.expected()).as(where + ": every member, the sender included")
                        .isEqualTo(point.sent() * run.members());
                assertThat(point.delivered()).as(where + ": delivered").isEqualTo(point.expected());
                assertThat(point.lost()).as(where + ": lost").isZero();
                assertThat(point.duplicates()).as(where + ": duplicates").isZero();
                assertThat(point.misrouted()).as(where + ": misrouted").isZero();
                assertThat(point.ackErrors()).as(where + ": error PUBACKs").isZero();
            }
        }
        assertThat(results.idle()).extracting(Results.Idle::target, Results.Idle::connections)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("plain", 1000),
                        org.assertj.core.groups.Tuple.tuple("parley", 1000));
        assertThat(results.catchUp().fillAckErrors()).isZero();
        assertThat(results.catchUp().received()).as("every missed message caught up").isEqualTo(results.catchUp().missed());
        assertThat(results.catchUp().duplicates()).isZero();
        assertThat(results.login().logins()).isPositive();
        assertThat(results.login().errors()).isZero();
        assertThat(results.history().pages()).as("history pages read").isPositive();
        assertThat(results.history().errors()).as("history pages refused or failed").isZero();
        assertThat(results.history().shortPages()).as("history pages with fewer messages than asked").isZero();
    }
}
