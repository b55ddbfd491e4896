package dev.parley.benchmark.workloads;

import dev.parley.protocol.ClientIdentity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * The users of the 1:1 workload, one device each, paired at random into conversations (user i talks
 * with {@code partner(i)}). Fixed pairs rather than a fresh random pair per message: real chat keeps
 * to a few conversations, and on Parley the first message of a conversation costs a lease claim (a
 * lightweight transaction) that would otherwise be measured instead of the message path.
 */
record Conversations(List<ClientIdentity> devices, int[] partner) {

    static Conversations pairUp(int users, Random random) {
        List<ClientIdentity> devices = new ArrayList<>();
        for (int i = 0; i < users - users % 2; i++) {
            devices.add(new ClientIdentity(UUID.randomUUID(), "bench"));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        int[] partner = new int[devices.size()];
        for (int i = 0; i < order.size(); i += 2) {
            partner[order.get(i)] = order.get(i + 1);
            partner[order.get(i + 1)] = order.get(i);
        }
        return new Conversations(devices, partner);
    }

    int size() {
        return devices.size();
    }

    int pairs() {
        return devices.size() / 2;
    }

    List<UUID> userIds() {
        return devices.stream().map(ClientIdentity::userId).toList();
    }

    String inboxOf(int user) {
        return "users/" + devices.get(user).userId() + "/messages";
    }
}
