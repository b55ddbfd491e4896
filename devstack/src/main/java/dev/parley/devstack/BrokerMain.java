package dev.parley.devstack;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.nio.file.Path;

/**
 * The dev stack's HiveMQ CE node: a stock broker that loads extensions from a folder, exactly as an
 * operator's HiveMQ loads Parley's packaged extension. Runs in its own JVM, started by the launcher.
 *
 * <p>Usage: {@code BrokerMain <broker-home>}, where the home holds {@code conf/config.xml},
 * {@code data/} and {@code extensions/}.
 */
public final class BrokerMain {

    private BrokerMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BrokerMain <broker-home with conf/, data/, extensions/>");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        EmbeddedHiveMQ broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(home.resolve("conf"))
                .withDataFolder(home.resolve("data"))
                .withExtensionsFolder(home.resolve("extensions"))
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> broker.stop().join(), "broker-stop"));
        broker.start().join();
    }
}
