package dev.parley.benchmark;

import dev.parley.devstack.DevStackException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./parley bench [--quick] ...}: starts a plain HiveMQ CE broker and the Parley stack on this
 * machine, runs the same workloads against both, stops everything and writes
 * {@code benchmark/results/<timestamp>/{results.json, summary.md, *.png}}.
 * Exit codes: 0 every workload ran, 1 a workload or a target failed, 2 usage.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("parley.home", ".")).toAbsolutePath().normalize();
        Runtime.getRuntime().addShutdownHook(new Thread(BenchMain::stopChildren, "bench-stop"));
        int code;
        try {
            Benchmark.Outcome outcome = Benchmark.run(home, List.of(args), System.out::println);
            System.out.println();
            System.out.println("Results: " + outcome.outDir().resolve("summary.md"));
            code = outcome.failures() == 0 ? 0 : 1;
        } catch (IllegalArgumentException e) {
            System.err.println("parley bench: " + e.getMessage() + "\n" + BenchOptions.USAGE);
            code = 2;
        } catch (DevStackException e) {
            System.err.println("parley bench: " + e.getMessage());
            code = 1;
        }
        System.exit(code);
    }

    /**
     * Ctrl-C in the middle of a run: no broker, Cassandra or Redis may outlive the benchmark (after a
     * normal end they are already stopped and this finds nothing).
     */
    private static void stopChildren() {
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroy);
        ProcessHandle.current().descendants().forEach(p -> p.onExit()
                .completeOnTimeout(p, 20, java.util.concurrent.TimeUnit.SECONDS).join());
        ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    }
}
