package dev.parley.benchmark.stack;

import dev.parley.protocol.ClientIdentity;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A system the workloads run against: the plain broker or the Parley stack. */
public interface Target extends AutoCloseable {

    /** "plain" or "parley": the key in results and plots. */
    String name();

    String host();

    int mqttPort();

    /** True for Parley: messages are stored, sequenced and echoed to the sender's devices. */
    boolean durable();

    /** The MQTT password of a device: an access token for Parley; plain HiveMQ takes anything. */
    String password(ClientIdentity device);

    /** Makes these users exist where the target checks recipients (Parley's user table; nothing for plain). */
    void createUsers(List<UUID> users);

    /**
     * Makes one group per roster (first user its admin) where the target keeps groups and returns their
     * ids in order: Parley stores them as persistence-service does; plain HiveMQ only needs topic names.
     */
    List<UUID> createGroups(List<List<UUID>> rosters);

    /** Process name → pid of every process under test, for CPU and memory. */
    Map<String, Long> processes();

    long brokerPid();

    @Override
    void close();
}
