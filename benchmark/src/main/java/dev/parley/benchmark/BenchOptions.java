package dev.parley.benchmark;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Command-line options of {@code ./parley bench}.
 *
 * @param workloads which workloads run (default all): 1to1, groups, idle, catchup, login
 */
record BenchOptions(boolean quick, Path outDir, boolean pin, boolean keepWork, Set<String> workloads, String note) {

    static final Set<String> ALL = Set.of("1to1", "groups", "idle", "catchup", "login");

    static final String USAGE = """
            usage: parley bench [--quick] [--out DIR] [--no-pin] [--keep-work] [--only 1to1,groups,idle,catchup,login] [--note TEXT]
              --quick      every workload, small (under 3 minutes; what CI runs)
              --out DIR    where results.json, summary.md and the plots go
                           (default benchmark/results/<UTC timestamp>)
              --no-pin     do not pin the load generator and the processes under test to separate CPUs
              --keep-work  keep the brokers' and Cassandra's folders (logs) instead of deleting them
              --only LIST  run only these workloads
              --note TEXT  a line about the machine for the summary (e.g. "shared with two builds")""";

    static BenchOptions parse(List<String> args) {
        boolean quick = false;
        boolean pin = true;
        boolean keepWork = false;
        Path out = null;
        Set<String> workloads = ALL;
        String note = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--no-pin" -> pin = false;
                case "--keep-work" -> keepWork = true;
                case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--note" -> note = value(args, ++i, arg);
                case "--only" -> {
                    workloads = Set.of(value(args, ++i, arg).split(","));
                    if (!ALL.containsAll(workloads)) {
                        throw new IllegalArgumentException("--only takes some of " + ALL + ", not " + workloads);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        return new BenchOptions(quick, out, pin, keepWork, workloads, note);
    }

    boolean runs(String workload) {
        return workloads.contains(workload);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
