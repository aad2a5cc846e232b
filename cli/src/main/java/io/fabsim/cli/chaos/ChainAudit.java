package io.fabsim.cli.chaos;

import io.fabsim.cli.network.NetworkState;
import io.fabsim.cli.scenario.Invariants;
import io.fabsim.cli.scenario.LedgerAudit;
import io.fabsim.cli.scenario.ScenarioFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * No block lost, checked offline once a network is down: every node's chain of every channel is
 * verified block by block (numbers, hash chain, data hashes, orderer signatures) and must be a
 * prefix of the chain of the orderer that cuts the blocks (its last block is that orderer's block
 * of the same number).
 */
final class ChainAudit {

    /** The blocks verified, and what failed. */
    record Result(long blocks, List<Violation> violations) {
    }

    private ChainAudit() {
    }

    static Result audit(NetworkState state, int epoch, long seed) {
        NetworkState.Node source = state.orderers().stream().filter(n -> "orderer".equals(n.mode())).findFirst()
                .orElse(state.orderers().get(0));
        long blocks = 0;
        List<Violation> violations = new ArrayList<>();
        for (String channel : state.channels()) {
            Path sourceRoot = Invariants.ledgerRoot(source);
            LedgerAudit.Summary reference;
            try {
                reference = LedgerAudit.audit(sourceRoot, channel);
                blocks += reference.height();
            } catch (ScenarioFailure e) {
                violations.add(lost(epoch, seed, channel, source, e.getMessage()));
                continue;
            }
            for (NetworkState.Node node : state.processes()) {
                if (node == source || !node.channels().contains(channel)) {
                    continue;
                }
                try {
                    LedgerAudit.Summary chain = LedgerAudit.audit(Invariants.ledgerRoot(node), channel);
                    blocks += chain.height();
                    if (chain.height() > reference.height()) {
                        violations.add(lost(epoch, seed, channel, node, "height " + chain.height() + " beyond "
                                + source.name() + "'s " + reference.height()));
                    } else if (!LedgerAudit.hashAt(sourceRoot, channel, chain.height() - 1).equals(chain.lastHash())) {
                        violations.add(lost(epoch, seed, channel, node, "block " + (chain.height() - 1) + " differs from "
                                + source.name() + "'s: not a prefix of its chain"));
                    }
                } catch (ScenarioFailure e) {
                    violations.add(lost(epoch, seed, channel, node, e.getMessage()));
                }
            }
        }
        return new Result(blocks, violations);
    }

    private static Violation lost(int epoch, long seed, String channel, NetworkState.Node node, String detail) {
        return new Violation("block-lost", epoch, -1, -1, channel, node.org(), List.of(node.name()), seed, detail);
    }
}
