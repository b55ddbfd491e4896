package dev.parley.client.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The terminal chat's command line: {@code --handle ada [--register --name "Ada L."] [--rest URL] [--mqtt URL]
 * [--data-dir DIR]}. Without --rest/--mqtt the endpoints of a running {@code ./parley up} are read from
 * {@code .parley/run/stack.properties}, else the README's defaults.
 */
record ChatOptions(String handle, boolean register, String displayName, URI rest, URI mqtt, Path dataDir) {

    static final String USAGE = "usage: parley chat --handle NAME [--register [--name \"Display Name\"]] "
            + "[--rest http://127.0.0.1:8080] [--mqtt tcp://127.0.0.1:1883] [--data-dir DIR]";

    static ChatOptions parse(String[] args, Path parleyHome) {
        String handle = null;
        boolean register = false;
        String name = null;
        String rest = null;
        String mqtt = null;
        String dataDir = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--register" -> register = true;
                case "--handle", "--name", "--rest", "--mqtt", "--data-dir" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value\n" + USAGE);
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--handle" -> handle = value;
                        case "--name" -> name = value;
                        case "--rest" -> rest = value;
                        case "--mqtt" -> mqtt = value;
                        default -> dataDir = value;
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'\n" + USAGE);
            }
        }
        if (handle == null) {
            throw new IllegalArgumentException("--handle is required\n" + USAGE);
        }
        Properties stack = runningStack(parleyHome);
        return new ChatOptions(handle, register, name == null ? handle : name,
                URI.create(rest != null ? rest : stack.getProperty("rest", "http://127.0.0.1:8080")),
                URI.create(mqtt != null ? mqtt : stack.getProperty("mqtt.tcp", "tcp://127.0.0.1:1883")),
                dataDir != null ? Path.of(dataDir) : Path.of(System.getProperty("user.home"), ".parley-chat", handle));
    }

    private static Properties runningStack(Path parleyHome) {
        Properties properties = new Properties();
        Path file = parleyHome.resolve(".parley/run/stack.properties");
        if (Files.exists(file)) {
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return properties;
    }
}
