package dev.parley.benchmark.workloads;

import dev.parley.protocol.ClientIdentity;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The users of the group workload, one device each: group g is devices {@code g × members} to
 * {@code g × members + members − 1} (the layout {@link Audience#groups} matches arrivals with). Each
 * user is in one group, so a delivery's device tells its group.
 */
record GroupMembers(List<ClientIdentity> devices, int groups, int members) {

    static GroupMembers of(int groups, int members) {
        List<ClientIdentity> devices = new ArrayList<>();
        for (int i = 0; i < groups * members; i++) {
            devices.add(new ClientIdentity(UUID.randomUUID(), "bench"));
        }
        return new GroupMembers(List.copyOf(devices), groups, members);
    }

    /** The member user ids of each group, in device order (the first one creates the group). */
    List<List<UUID>> rosters() {
        List<List<UUID>> rosters = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            rosters.add(devices.subList(g * members, (g + 1) * members).stream().map(ClientIdentity::userId).toList());
        }
        return rosters;
    }

    List<UUID> userIds() {
        return devices.stream().map(ClientIdentity::userId).toList();
    }

    int groupOf(int device) {
        return device / members;
    }

    static String topicOf(UUID groupId) {
        return "groups/" + groupId + "/messages";
    }
}
