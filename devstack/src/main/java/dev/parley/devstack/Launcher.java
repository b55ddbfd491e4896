package dev.parley.devstack;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./parley} — up / down / status the local stack, and {@code deps} for the test run.
 * Exit codes: 0 fine, 1 a dependency failed or is missing, 2 usage.
 */
public final class Launcher {

    private static final String USAGE = """
            usage: parley up [--data-dir DIR] [--ports auto] [--mqtt-port N] [--ws-port N] [--rest-port N]
                             [--presence-port N] [--push-port N] [--broker-health-port N]
                             [--cassandra-port N] [--cassandra-storage-port N] [--redis-port N]
                   parley down [--data-dir DIR]
                   parley status [--data-dir DIR]
                   parley deps --data-dir DIR --env-file FILE   (Cassandra + Redis for a test run)""";

    private final Path home;
    private final PrintStream out;

    private Launcher(Path home, PrintStream out) {
        this.home = home;
        this.out = out;
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("parley.home", ".")).toAbsolutePath().normalize();
        int code;
        try {
            code = new Launcher(home, System.out).run(List.of(args));
        } catch (DevStackException e) {
            System.err.println("parley: " + e.getMessage());
            code = 1;
        } catch (IllegalArgumentException e) {
            System.err.println("parley: " + e.getMessage() + "\n" + USAGE);
            code = 2;
        }
        System.exit(code);
    }

    private int run(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no command given");
        }
        Options options = Options.parse(args.subList(1, args.size()), home);
        return switch (args.get(0)) {
            case "up" -> up(options);
            case "down" -> down(options);
            case "status" -> status(options);
            case "deps" -> deps(options);
            default -> throw new IllegalArgumentException("unknown command '" + args.get(0) + "'");
        };
    }

    private int up(Options options) {
        Path running = options.dataDir().resolve("run/stack.properties");
        Properties previous = readProperties(running);
        String launcherPid = previous.getProperty("pid.launcher");
        if (launcherPid != null && ProcessHandle.of(Long.parseLong(launcherPid)).isPresent()) {
            throw new DevStackException("a stack is already running from " + options.dataDir() + " (launcher pid "
                    + launcherPid + "): stop it with `./parley down` or use another --data-dir");
        }
        out.println("Starting Parley (data in " + options.dataDir() + ") ...");
        LocalStack stack = new LocalStack(home, options.dataDir(), options.ports(), out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stack.close();
            out.println("Parley stopped.");
            stopped.countDown();
        }, "parley-stop"));
        Map<String, String> endpoints = stack.start();
        out.println();
        out.println("Parley is up:");
        out.println("  MQTT over TCP         " + endpoints.get("mqtt.tcp"));
        out.println("  MQTT over WebSocket   " + endpoints.get("mqtt.websocket"));
        out.println("  Web chat (browser)    " + endpoints.get("web"));
        out.println("  REST API              " + endpoints.get("rest") + "/v1   (OpenAPI: "
                + endpoints.get("rest.openapi") + ")");
        out.println("  Health (ready)        persistence-service " + endpoints.get("health.persistence-service"));
        out.println("                        broker extension    " + endpoints.get("health.broker"));
        out.println("                        presence-bridge     " + endpoints.get("health.presence-bridge"));
        out.println("                        push-service        " + endpoints.get("health.push-service"));
        out.println("  Cassandra (CQL)       " + endpoints.get("cassandra"));
        out.println("  Redis                 " + endpoints.get("redis"));
        out.println("Logs in " + options.dataDir().resolve("logs") + ". Press Ctrl-C (or run ./parley down) to stop.");
        awaitForever(stopped);
        return 0;
    }

    private int down(Options options) {
        Properties running = readProperties(options.dataDir().resolve("run/stack.properties"));
        String pid = running.getProperty("pid.launcher");
        if (pid == null || ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
            out.println("No stack is running from " + options.dataDir() + ".");
            return 0;
        }
        ProcessHandle launcher = ProcessHandle.of(Long.parseLong(pid)).orElseThrow();
        launcher.destroy();
        launcher.onExit().orTimeout(90, java.util.concurrent.TimeUnit.SECONDS).join();
        out.println("Parley stopped.");
        return 0;
    }

    private int status(Options options) {
        Properties running = readProperties(options.dataDir().resolve("run/stack.properties"));
        String pid = running.getProperty("pid.launcher");
        if (pid == null || ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
            out.println("No stack is running from " + options.dataDir() + ".");
            return 1;
        }
        boolean allReady = true;
        for (String key : running.stringPropertyNames().stream().sorted().toList()) {
            if (key.startsWith("health.")) {
                boolean ready = JavaService.isReady(java.net.URI.create(running.getProperty(key)));
                allReady &= ready;
                out.printf("  %-28s %s%n", key.substring("health.".length()), ready ? "UP" : "DOWN");
            }
        }
        return allReady ? 0 : 1;
    }

    /** Cassandra and Redis on free ports for one test run; the env file says where. */
    private int deps(Options options) {
        if (options.envFile() == null) {
            throw new IllegalArgumentException("deps needs --env-file");
        }
        Path dir = options.dataDir();
        CassandraNode cassandra = CassandraNode.start(new CassandraNode.Settings(dir.resolve("cassandra"), "127.0.0.1",
                Ports.free(), Ports.free(), CassandraNode.TEST_HEAP_MB), Duration.ofSeconds(120));
        RedisNode redis;
        try {
            redis = RedisNode.start(new RedisNode.Settings(dir.resolve("redis"), "127.0.0.1", Ports.free(), false),
                    Duration.ofSeconds(20));
        } catch (RuntimeException e) {
            cassandra.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            redis.close();
            cassandra.close();
            stopped.countDown();
        }, "deps-stop"));
        try {
            Path tmp = Files.createTempFile(options.envFile().toAbsolutePath().getParent(), "env", ".tmp");
            Files.writeString(tmp, "export PARLEY_TEST_CASSANDRA=" + cassandra.cql() + "\n"
                    + "export PARLEY_TEST_REDIS=" + redis.endpoint() + "\n"
                    + "export PARLEY_TEST_DEPS_PID=" + ProcessHandle.current().pid() + "\n");
            Files.move(tmp, options.envFile(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new DevStackException("cannot write " + options.envFile() + ": " + e.getMessage(), e);
        }
        out.println("Cassandra " + cassandra.cql() + ", Redis " + redis.endpoint() + " (env in " + options.envFile() + ")");
        awaitForever(stopped);
        return 0;
    }

    private static void awaitForever(CountDownLatch stopped) {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Properties readProperties(Path file) {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new DevStackException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return properties;
    }

    record Options(Path dataDir, StackPorts ports, Path envFile) {

        static Options parse(List<String> args, Path home) {
            Path dataDir = home.resolve(".parley");
            StackPorts ports = StackPorts.defaults();
            List<String[]> portOverrides = new ArrayList<>();
            Path envFile = null;
            for (int i = 0; i < args.size(); i++) {
                String option = args.get(i);
                if (i + 1 >= args.size()) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                String value = args.get(++i);
                switch (option) {
                    case "--data-dir" -> dataDir = Path.of(value).toAbsolutePath().normalize();
                    case "--env-file" -> envFile = Path.of(value).toAbsolutePath().normalize();
                    case "--ports" -> {
                        if (!value.equals("auto")) {
                            throw new IllegalArgumentException("--ports takes only 'auto' (free ephemeral ports)");
                        }
                        ports = StackPorts.ephemeral();
                    }
                    default -> {
                        if (!StackPorts.defaults().byOption().containsKey(option)) {
                            throw new IllegalArgumentException("unknown option " + option);
                        }
                        portOverrides.add(new String[] {option, value});
                    }
                }
            }
            for (String[] override : portOverrides) {
                try {
                    int port = Integer.parseInt(override[1]);
                    if (port < 1 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    ports = ports.with(override[0], port);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(override[0] + " needs a port number (1-65535), not '"
                            + override[1] + "'");
                }
            }
            return new Options(dataDir, ports, envFile);
        }
    }
}
