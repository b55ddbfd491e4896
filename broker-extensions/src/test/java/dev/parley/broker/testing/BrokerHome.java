package dev.parley.broker.testing;

import dev.parley.devstack.BrokerConfig;

import dev.parley.devstack.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The folders of a test broker: {@code conf/} (config.xml with a TCP and a WebSocket listener on free
 * ports, in-memory persistence, Parley's maximum packet size, and a quiet logback.xml), {@code data/},
 * {@code extensions/}, and {@code log/parley.log}, where Parley's and HiveMQ's extension lines are also
 * written.
 */
public record BrokerHome(Path root, int mqttPort, int websocketPort) {

    public static BrokerHome create(Path root) {
        BrokerHome home = new BrokerHome(root, Ports.free(), Ports.free());
        try {
            Files.createDirectories(home.conf());
            Files.createDirectories(home.data());
            Files.createDirectories(home.extensions());
            Files.createDirectories(home.logFile().getParent());
            Files.writeString(home.conf().resolve("config.xml"), BrokerConfig.xml("127.0.0.1", home.mqttPort(), home.websocketPort(), true));
            Files.writeString(home.conf().resolve("logback.xml"), home.logbackXml());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return home;
    }

    public Path conf() {
        return root.resolve("conf");
    }

    public Path data() {
        return root.resolve("data");
    }

    public Path extensions() {
        return root.resolve("extensions");
    }

    public Path logFile() {
        return root.resolve("log").resolve("parley.log");
    }

    public String tcpUri() {
        return "tcp://127.0.0.1:" + mqttPort;
    }

    public String websocketUri() {
        return "ws://127.0.0.1:" + websocketPort + "/mqtt";
    }

    private String logbackXml() {
        return """
                <configuration>
                    <appender name="CONSOLE" class="ch.qos.logback.core.ConsoleAppender">
                        <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern></encoder>
                    </appender>
                    <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                        <file>%s</file>
                        <encoder><pattern>%%-5level %%logger - %%msg%%n</pattern></encoder>
                    </appender>
                    <logger name="dev.parley" level="INFO" additivity="false">
                        <appender-ref ref="CONSOLE"/>
                        <appender-ref ref="FILE"/>
                    </logger>
                    <logger name="com.hivemq.extensions" level="INFO" additivity="false">
                        <appender-ref ref="FILE"/>
                    </logger>
                    <root level="WARN">
                        <appender-ref ref="CONSOLE"/>
                    </root>
                </configuration>
                """.formatted(logFile().toAbsolutePath());
    }
}
