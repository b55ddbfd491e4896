package dev.parley.benchmark.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which CPUs the load generator and the system under test run on. With pinning, the generator keeps
 * its own cores and every process under test (plain: the broker; Parley: broker, Cassandra, Redis,
 * persistence-service) shares the other ones, so both systems get exactly the same hardware and the
 * generator never steals from them. Applied with {@code taskset -a -p} to all threads of a running
 * process; threads started later inherit it.
 *
 * <p>With the store apart, Cassandra runs on the generator's CPUs instead: both brokers (with Redis and
 * persistence-service on Parley's side) have the same CPUs to themselves, and the store is beside them as
 * a cluster would be. That measures what the extension costs a broker; the default measures what the
 * whole stack costs on the hardware plain HiveMQ gets.
 *
 * @param generatorCpus CPU list for the load generator (taskset syntax, e.g. "0"); null = not pinned
 * @param serverCpus    CPU list for everything under test (e.g. "1"); null = not pinned
 * @param storeCpus     CPU list for Cassandra; null = not pinned
 */
public record Pinning(String generatorCpus, String serverCpus, String storeCpus) {

    private static final Path TASKSET = Path.of("/usr/bin/taskset");

    public static Pinning none() {
        return new Pinning(null, null, null);
    }

    /** The first half of the CPUs for the generator, the rest for the system under test; none on one CPU. */
    public static Pinning splitHalves() {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpus < 2 || !Files.isExecutable(TASKSET)) {
            return none();
        }
        int generator = cpus / 2;
        String generatorCpus = range(0, generator - 1);
        String serverCpus = range(generator, cpus - 1);
        return new Pinning(generatorCpus, serverCpus, serverCpus);
    }

    /** The same, with Cassandra moved to the generator's CPUs. */
    public Pinning withStoreApart() {
        return enabled() ? new Pinning(generatorCpus, serverCpus, generatorCpus) : this;
    }

    public boolean enabled() {
        return serverCpus != null;
    }

    public void pinServer(long pid) {
        pin(pid, serverCpus);
    }

    public void pinStore(long pid) {
        pin(pid, storeCpus);
    }

    public void pinGenerator() {
        pin(ProcessHandle.current().pid(), generatorCpus);
    }

    public String describe() {
        if (!enabled()) {
            return "not pinned (the OS schedules every process on any CPU)";
        }
        return serverCpus.equals(storeCpus)
                ? "load generator on CPU " + generatorCpus + ", every process under test on CPU " + serverCpus
                        + " (taskset -a -p, all threads)"
                : "store apart: load generator and Cassandra on CPU " + generatorCpus + ", the brokers (and Redis,"
                        + " persistence-service) on CPU " + serverCpus + " (taskset -a -p, all threads)";
    }

    private static void pin(long pid, String cpus) {
        if (cpus == null) {
            return;
        }
        try {
            Process taskset = new ProcessBuilder(List.of(TASKSET.toString(), "-a", "-p", "-c", cpus, Long.toString(pid)))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            taskset.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("taskset failed for pid " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
