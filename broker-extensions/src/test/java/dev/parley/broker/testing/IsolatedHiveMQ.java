package dev.parley.broker.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * An EmbeddedHiveMQ in a class loader that sees what a stock HiveMQ CE sees: HiveMQ and its own
 * libraries, not the extension's classes nor the libraries only the extension brings (Lettuce, the
 * Cassandra driver, Reactor, ...). An extension folder loaded by it proves that the packaged jar
 * carries everything it needs: in the test JVM's flat classpath, HiveMQ's parent-last extension
 * class loader would silently borrow a missing class from the test classpath.
 *
 * <p>Driven by reflection, since its classes are not the test's.
 */
public final class IsolatedHiveMQ implements AutoCloseable {

    /**
     * Groups of the extension's runtime closure that HiveMQ CE 2025.5 also depends on (its POM), so
     * the broker keeps them. Everything else of the closure is the extension's alone.
     */
    private static final List<String> SHARED_WITH_HIVEMQ = List.of(
            "/io/netty/", "/org/slf4j/", "/com/fasterxml/jackson/", "/io/dropwizard/metrics/");

    private final URLClassLoader loader;
    private final Object hivemq;

    private IsolatedHiveMQ(URLClassLoader loader, Object hivemq) {
        this.loader = loader;
        this.hivemq = hivemq;
    }

    /**
     * @param runtimeClasspath file listing the extension's runtime closure (maven-dependency-plugin)
     * @param moduleTarget     this module's target/ folder, whose classes HiveMQ must not see either
     */
    public static IsolatedHiveMQ start(BrokerHome home, Path runtimeClasspath, Path moduleTarget, Duration timeout)
            throws Exception {
        URLClassLoader loader = brokerClassLoader(runtimeClasspath, moduleTarget);
        Object hivemq = withContextClassLoader(loader, () -> {
            try {
                Class<?> api = loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQ");
                Object builder = api.getMethod("builder").invoke(null);
                Class<?> builderApi = loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQBuilder");
                builderApi.getMethod("withConfigurationFolder", Path.class).invoke(builder, home.conf());
                builderApi.getMethod("withDataFolder", Path.class).invoke(builder, home.data());
                builderApi.getMethod("withExtensionsFolder", Path.class).invoke(builder, home.extensions());
                return builderApi.getMethod("build").invoke(builder);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
        IsolatedHiveMQ isolated = new IsolatedHiveMQ(loader, hivemq);
        isolated.call("start").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return isolated;
    }

    public ClassLoader classLoader() {
        return loader;
    }

    @Override
    public void close() throws Exception {
        try {
            call("stop").get(60, TimeUnit.SECONDS);
            withContextClassLoader(loader, () -> {
                try {
                    method("close").invoke(hivemq);
                    return null;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            loader.close();
        }
    }

    private CompletableFuture<?> call(String name) {
        return withContextClassLoader(loader, () -> {
            try {
                return (CompletableFuture<?>) method(name).invoke(hivemq);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private Method method(String name) throws ReflectiveOperationException {
        return loader.loadClass("com.hivemq.embedded.EmbeddedHiveMQ").getMethod(name);
    }

    /** HiveMQ's threads inherit the context class loader of the thread that starts it (JAXB needs it). */
    private static <T> T withContextClassLoader(ClassLoader loader, Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The class loader a stock HiveMQ would have: the test classpath minus the extension's own. */
    public static URLClassLoader brokerClassLoader(Path runtimeClasspath, Path moduleTarget) {
        Set<String> extensionOnly;
        try {
            extensionOnly = Arrays.stream(Files.readString(runtimeClasspath).trim().split(File.pathSeparator))
                    .filter(entry -> SHARED_WITH_HIVEMQ.stream().noneMatch(entry::contains))
                    .map(entry -> Path.of(entry).toAbsolutePath().normalize().toString())
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException("run `mvn package` first: " + runtimeClasspath + " is written by it", e);
        }
        Path target = moduleTarget.toAbsolutePath().normalize();
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry).toAbsolutePath().normalize();
            if (path.startsWith(target) || extensionOnly.contains(path.toString())) {
                continue;
            }
            try {
                urls.add(path.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
        return new URLClassLoader("isolated-hivemq", urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }
}
