package dev.parley.devstack;

/** A TCP endpoint on this machine that a started dependency listens on. */
public record Endpoint(String host, int port) {
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
