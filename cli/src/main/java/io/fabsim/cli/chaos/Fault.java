package io.fabsim.cli.chaos;

import java.util.Locale;

/**
 * One planned fault: in epoch {@code epoch} (one freshly started network), {@code atMillis} after the
 * network is up, inject {@code kind} on {@code target} and undo it {@code holdMillis} later (a
 * restart has no hold: it is over when the process runs again).
 */
public record Fault(int epoch, long atMillis, FaultKind kind, Target target, long holdMillis) {

    /**
     * Whom a fault hits: a named node, or whichever peer of {@code org} streams {@code channel}
     * from an orderer when the fault is injected ({@code node} null).
     */
    public record Target(String node, String channel, String org) {

        public static Target node(String node, String org) {
            return new Target(node, null, org);
        }

        public static Target leader(String channel, String org) {
            return new Target(null, channel, org);
        }

        public boolean isLeader() {
            return node == null;
        }

        @Override
        public String toString() {
            return isLeader() ? "leader(" + channel + "," + org + ")" : node;
        }
    }

    public long endMillis() {
        return atMillis + holdMillis;
    }

    /** One line of the printed schedule: {@code epoch 0  +12.345 s  pause leader(ch1,Org1) for 3.120 s}. */
    public String describe() {
        String hold = holdMillis > 0 ? String.format(Locale.ROOT, " for %.3f s", holdMillis / 1000.0) : "";
        return String.format(Locale.ROOT, "epoch %d  +%8.3f s  %-12s %s%s", epoch, atMillis / 1000.0, kind.label(), target,
                hold);
    }
}
