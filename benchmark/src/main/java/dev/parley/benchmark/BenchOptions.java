package dev.parley.benchmark;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Command-line options of {@code ./parley bench}.
 *
 * @param workloads which workloads run (default all): 1to1, groups, idle, catchup, login, history
 */
record BenchOptions(boolean quick, Path outDir, boolean pin, boolean storeApart, boolean keepWork,
                    Set<String> workloads, String note, Set<String> targets, List<Integer> rates, boolean jfr) {

    static final Set<String> ALL = Set.of("1to1", "groups", "idle", "catchup", "login", "history");
    static final Set<String> TARGETS = Set.of("plain", "parley");

    static final String USAGE = """
            usage: parley bench [--quick] [--out DIR] [--no-pin | --store-apart] [--keep-work] [--only 1to1,groups,idle,catchup,login,history] [--note TEXT]
                               [--target plain|parley] [--rates R1,R2,...] [--jfr]
              --quick      every workload, small (under 3 minutes; what CI runs)
              --out DIR    where results.json, summary.md and the plots go
                           (default benchmark/results/<UTC timestamp>)
              --no-pin     do not pin the load generator and the processes under test to separate CPUs
              --store-apart pin Cassandra with the load generator instead of with the broker: both brokers
                           get the same CPUs to themselves and the store runs beside them, as on a
                           cluster (the default puts the whole Parley stack on the broker's CPUs)
              --keep-work  keep the brokers' and Cassandra's folders (logs) instead of deleting them
              --only LIST  run only these workloads
              --note TEXT  a line about the machine for the summary (e.g. "shared with two builds")
              --target T   run against one target only (default both; ratios need both)
              --rates LIST the 1:1 workload's offered rates in msg/s instead of the profile's
                           (e.g. 300,300,300,300 for one minute at a steady 300/s when profiling)
              --jfr        record Java Flight Recorder profiles of Parley's broker and Cassandra during
                           the 1:1 workload (profile-<process>.jfr and .txt, with the top frames) and the
                           group workload (profile-groups-<process>.jfr and .txt)""";

    static BenchOptions parse(List<String> args) {
        boolean quick = false;
        boolean pin = true;
        boolean storeApart = false;
        boolean keepWork = false;
        Path out = null;
        Set<String> workloads = ALL;
        String note = null;
        Set<String> targets = TARGETS;
        List<Integer> rates = null;
        boolean jfr = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--no-pin" -> pin = false;
                case "--store-apart" -> storeApart = true;
                case "--keep-work" -> keepWork = true;
                case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
                case "--note" -> note = value(args, ++i, arg);
                case "--jfr" -> jfr = true;
                case "--target" -> {
                    targets = Set.of(value(args, ++i, arg));
                    if (!TARGETS.containsAll(targets)) {
                        throw new IllegalArgumentException("--target takes one of " + TARGETS + ", not " + targets);
                    }
                }
                case "--rates" -> rates = rates(value(args, ++i, arg));
                case "--only" -> {
                    workloads = Set.of(value(args, ++i, arg).split(","));
                    if (!ALL.containsAll(workloads)) {
                        throw new IllegalArgumentException("--only takes some of " + ALL + ", not " + workloads);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        if (storeApart && !pin) {
            throw new IllegalArgumentException("--store-apart moves Cassandra to the load generator's CPUs; it needs"
                    + " pinning, so it cannot go with --no-pin");
        }
        return new BenchOptions(quick, out, pin, storeApart, keepWork, workloads, note, targets, rates, jfr);
    }

    private static List<Integer> rates(String list) {
        try {
            List<Integer> rates = Arrays.stream(list.split(",")).map(String::trim).map(Integer::valueOf).toList();
            if (rates.stream().anyMatch(r -> r <= 0 || r > 100_000)) {
                throw new IllegalArgumentException("--rates takes rates between 1 and 100000 msg/s, not " + list);
            }
            return rates;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--rates takes a comma-separated list of msg/s, not " + list);
        }
    }

    boolean against(String target) {
        return targets.contains(target);
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
