package dev.parley.benchmark;

import dev.parley.benchmark.report.Charts;
import dev.parley.benchmark.report.Results;
import dev.parley.benchmark.report.ResultsJson;
import dev.parley.benchmark.report.Summary;
import dev.parley.benchmark.measure.FlightRecording;
import dev.parley.benchmark.stack.ParleyStack;
import dev.parley.benchmark.stack.Pinning;
import dev.parley.benchmark.stack.PlainHiveMQ;
import dev.parley.benchmark.stack.Target;
import dev.parley.benchmark.workloads.CatchUpWorkload;
import dev.parley.benchmark.workloads.GroupsWorkload;
import dev.parley.benchmark.workloads.HistoryWorkload;
import dev.parley.benchmark.workloads.IdleConnectionsWorkload;
import dev.parley.benchmark.workloads.LoginWorkload;
import dev.parley.benchmark.workloads.OneToOneWorkload;
import dev.parley.devstack.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One benchmark run: the plain broker first, then the Parley stack, each started here and stopped
 * after its workloads, the same workloads with the same seed against both; then results.json,
 * summary.md and the plots.
 */
public final class Benchmark {

    /** What a run left: the results and where its files are. */
    public record Outcome(Results results, Path outDir, int failures) {
    }

    private final Path home;
    private final BenchOptions options;
    private final Profile profile;
    private final Consumer<String> progress;
    private final List<Results.OneToOne> oneToOne = new ArrayList<>();
    private final List<Results.Groups> groups = new ArrayList<>();
    private final List<Results.Idle> idle = new ArrayList<>();
    private final List<Results.NotMeasured> notMeasured = new ArrayList<>();
    private Results.CatchUp catchUp;
    private Results.Login login;
    private Results.History history;
    private int failures;

    Benchmark(Path home, BenchOptions options, Consumer<String> progress) {
        this.home = home.toAbsolutePath().normalize();
        this.options = options;
        this.profile = options.quick() ? Profile.quick() : Profile.full();
        this.progress = progress;
    }

    /** Runs everything; only a target that cannot start throws (its log tail in the message). */
    public static Outcome run(Path home, List<String> args, Consumer<String> progress) {
        return new Benchmark(home, BenchOptions.parse(args), progress).run(String.join(" ", args));
    }

    Outcome run(String arguments) {
        quietLibraryLogs();
        Instant started = Instant.now();
        Path outDir = options.outDir() != null ? options.outDir() : home.resolve("benchmark/results")
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started));
        Pinning pinning = !options.pin() ? Pinning.none()
                : options.storeApart() ? Pinning.splitHalves().withStoreApart() : Pinning.splitHalves();
        pinning.pinGenerator();
        Results.Environment environment = Environment.describe(pinning, options.note());
        progress.accept("Parley benchmark (" + profile.name() + "), " + pinning.describe());
        Path workDir = createWorkDir();
        long seed = started.toEpochMilli();
        try {
            if (options.against("plain")) {
                try (PlainHiveMQ plain = PlainHiveMQ.start(workDir, pinning)) {
                    progress.accept("plain HiveMQ CE up (pid " + plain.brokerPid() + ")");
                    brokerWorkloads(plain, seed, outDir);
                }
            }
            if (!options.against("parley")) {
                progress.accept("the Parley stack not measured (--target plain)");
            } else try (ParleyStack parley = ParleyStack.start(home, workDir, pinning)) {
                progress.accept("Parley stack up " + parley.processes());
                brokerWorkloads(parley, seed, outDir);
                if (options.runs("catchup")) {
                    attempt("catch-up", () -> catchUp = new CatchUpWorkload(profile.catchUpMessages(),
                            profile.catchUpConversations(), progress).run(parley));
                }
                if (options.runs("login")) {
                    attempt("login", () -> login = new LoginWorkload(profile.loginWorkers(), profile.loginDuration(),
                            progress).run(parley));
                }
                if (options.runs("history")) {
                    attempt("history", () -> history = new HistoryWorkload(new HistoryWorkload.Settings(
                            profile.historyMessages(), profile.historyConversations(), 50, profile.historyWorkers(),
                            profile.historyDuration()), progress).run(parley));
                }
            }
        } finally {
            if (!options.keepWork()) {
                delete(workDir);
            } else {
                progress.accept("work folders (logs) kept in " + workDir);
            }
        }
        Results results = new Results(started.toString(), profile.name(),
                "./parley bench" + (arguments.isBlank() ? "" : " " + arguments), environment, oneToOne, groups, idle,
                catchUp, login, history, notMeasured,
                Math.round(ChronoUnit.MILLIS.between(started, Instant.now()) / 100.0) / 10.0);
        write(outDir, results);
        return new Outcome(results, outDir, failures);
    }

    private void brokerWorkloads(Target target, long seed, Path outDir) {
        // Idle first, on a fresh broker: what the 1:1 devices leave behind would blur the baseline.
        if (options.runs("idle")) {
            attempt("idle connections on " + target.name(), () -> idle.add(
                    new IdleConnectionsWorkload(profile.idleConnections(), progress).run(target)));
        }
        if (options.runs("1to1")) {
            attempt("1:1 on " + target.name(), () -> profiled(target, "", outDir, () -> oneToOne.add(
                    new OneToOneWorkload(new OneToOneWorkload.Settings(profile.users(),
                            options.rates() != null ? options.rates() : profile.rates(), profile.step(),
                            profile.drain(), profile.warmUp(), profile.warmUpRate(), 300, seed), progress).run(target))));
        }
        if (options.runs("groups")) {
            attempt("groups on " + target.name(), () -> profiled(target, "groups-", outDir, () -> groups.add(
                    new GroupsWorkload(new GroupsWorkload.Settings(profile.groups(), profile.groupMembers(),
                            profile.groupRates(), profile.groupStep(), profile.drain(), profile.groupWarmUp(), 300, seed),
                            progress).run(target))));
        }
    }

    /**
     * Runs a workload; with {@code --jfr}, on Parley, under a recording of each profiled process
     * ({@code profile-<prefix><process>.*}). Inside the workload's attempt, so a failing {@code jcmd} costs
     * that workload, not the run.
     */
    private void profiled(Target target, String prefix, Path outDir, Step workload) throws Exception {
        List<FlightRecording> recordings = options.jfr() && target.durable()
                ? target.processes().entrySet().stream().filter(p -> PROFILED.contains(p.getKey()))
                        .map(p -> FlightRecording.start(prefix + p.getKey(), p.getValue(), outDir)).toList()
                : List.of();
        try {
            workload.run();
        } finally {
            recordings.forEach(r -> progress.accept("  CPU profile: " + r.stop()));
        }
    }

    /** The JVMs under test whose CPU profile {@code --jfr} records (Redis is not a JVM). */
    private static final Set<String> PROFILED = Set.of("broker", "cassandra");

    private interface Step {
        void run() throws Exception;
    }

    /** A workload that fails is reported as not measured (with why) and the run goes on. */
    private void attempt(String workload, Step step) {
        try {
            step.run();
        } catch (Exception | AssertionError e) {
            failures++;
            String reason = "failed: " + e;
            progress.accept("  " + workload + " " + reason);
            notMeasured.add(new Results.NotMeasured(workload, reason));
        }
    }

    private void write(Path outDir, Results results) {
        try {
            Files.createDirectories(outDir);
            ResultsJson.write(results, outDir.resolve("results.json"));
            List<String> plots = Charts.write(results, outDir);
            Files.writeString(outDir.resolve("summary.md"), Summary.markdown(results, plots));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + outDir, e);
        }
    }

    /** The driver and the MQTT client log at INFO by default; the progress lines are what a reader wants. */
    private static void quietLibraryLogs() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory("parley-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) {
        try {
            Folders.deleteRecursively(dir);
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
