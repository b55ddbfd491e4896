package dev.parley.broker.messages;

import java.time.Duration;

/**
 * @param nodeId      this broker node's name in leases; stable across restarts so a restarted node
 *                    takes its conversations back at once instead of waiting for its old leases to end
 * @param leaseTtl    how long a conversation lease lasts
 * @param renewBefore renew an active lease when less than this remains
 * @param writeMargin stop writing when less than this remains: longer than a write can take plus the
 *                    clock skew tolerated between nodes, so that no write of ours lands after a takeover
 */
record SequencerSettings(String nodeId, Duration leaseTtl, Duration renewBefore, Duration writeMargin) {
    SequencerSettings {
        if (writeMargin.compareTo(renewBefore) >= 0 || renewBefore.compareTo(leaseTtl) >= 0) {
            throw new IllegalArgumentException("lease timings must satisfy writeMargin < renewBefore < leaseTtl");
        }
    }
}
