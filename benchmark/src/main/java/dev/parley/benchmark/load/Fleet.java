package dev.parley.benchmark.load;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.parley.benchmark.stack.Target;
import dev.parley.protocol.ClientIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.IntFunction;

/** Many devices connected at once, at most {@value #CONNECTS_IN_FLIGHT} connects in flight. */
public final class Fleet implements AutoCloseable {

    private static final int CONNECTS_IN_FLIGHT = 100;

    private final List<Device> devices;

    private Fleet(List<Device> devices) {
        this.devices = devices;
    }

    /**
     * @param onMessage receives (index of the device in {@code identities}, the publish it got)
     */
    public static Fleet connect(Target target, List<ClientIdentity> identities, boolean subscribe,
                                BiConsumer<Integer, Mqtt5Publish> onMessage) {
        return connect(target, identities, i -> subscribe ? Device.ownTopics(identities.get(i)) : List.of(), onMessage);
    }

    /**
     * @param topics    what the device at each index subscribes to
     * @param onMessage receives (index of the device in {@code identities}, the publish it got)
     */
    public static Fleet connect(Target target, List<ClientIdentity> identities, IntFunction<List<String>> topics,
                                BiConsumer<Integer, Mqtt5Publish> onMessage) {
        Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
        List<CompletableFuture<Device>> connecting = new ArrayList<>();
        for (int i = 0; i < identities.size(); i++) {
            int index = i;
            ClientIdentity identity = identities.get(i);
            inFlight.acquireUninterruptibly();
            connecting.add(Device.connect(target, identity, topics.apply(index),
                            publish -> onMessage.accept(index, publish))
                    .whenComplete((d, e) -> inFlight.release()));
        }
        List<Device> devices = new ArrayList<>();
        try {
            for (CompletableFuture<Device> device : connecting) {
                devices.add(device.get(60, TimeUnit.SECONDS));
            }
        } catch (Exception e) {
            new Fleet(devices).close();
            connecting.forEach(c -> c.thenAccept(Device::disconnect));
            throw new IllegalStateException("connecting " + identities.size() + " devices to " + target.name()
                    + " failed after " + devices.size() + ": " + e, e);
        }
        return new Fleet(devices);
    }

    public Device get(int index) {
        return devices.get(index);
    }

    public int size() {
        return devices.size();
    }

    @Override
    public void close() {
        CompletableFuture.allOf(devices.stream().map(Device::disconnect).toArray(CompletableFuture[]::new))
                .completeOnTimeout(null, 30, TimeUnit.SECONDS).join();
    }
}
