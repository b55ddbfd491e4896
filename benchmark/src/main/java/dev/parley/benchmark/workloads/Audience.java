package dev.parley.benchmark.workloads;

/**
 * Which devices must receive message i of a step, each in its own slot ({@code 0 ≤ slot < fanOut()}):
 * one recipient for a 1:1 message, every member of the group for a group message. Devices are indices
 * into the workload's device list.
 */
interface Audience {

    /** Deliveries each message must make. */
    int fanOut();

    /** The slot of {@code device} among the receivers of {@code message}, or -1 when it is not one of them. */
    int slot(int message, int device);

    /** 1:1: message i goes to {@code recipient[i]} only. */
    static Audience oneEach(int[] recipient) {
        return new Audience() {
            @Override
            public int fanOut() {
                return 1;
            }

            @Override
            public int slot(int message, int device) {
                return recipient[message] == device ? 0 : -1;
            }
        };
    }

    /**
     * Groups of {@code members} consecutive devices (group g is devices g × members … g × members + members − 1):
     * message i goes to every member of {@code group[i]}, its sender included.
     */
    static Audience groups(int[] group, int members) {
        return new Audience() {
            @Override
            public int fanOut() {
                return members;
            }

            @Override
            public int slot(int message, int device) {
                return device / members == group[message] ? device % members : -1;
            }
        };
    }
}
