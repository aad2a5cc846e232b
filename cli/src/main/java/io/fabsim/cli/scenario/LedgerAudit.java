package io.fabsim.cli.scenario;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.verify.BlockVerificationException;
import io.fabsim.common.verify.ChannelBlockVerifier;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerConfig;
import io.fabsim.ledger.LedgerException;
import io.fabsim.ledger.file.FileLedgerManager;
import java.nio.file.Path;
import java.util.HexFormat;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Reads a stopped node's ledger of one channel from disk and checks every block as a peer would:
 * numbers without a gap, the hash chain, data hashes and the orderer signatures under the channel
 * config in force (refreshed at each config block).
 */
public final class LedgerAudit {

    /** What one ledger holds: its height and the header hash of its last block. */
    public record Summary(long height, String lastHash) {
    }

    private LedgerAudit() {
    }

    public static Summary audit(Path ledgerRoot, String channel) throws ScenarioFailure {
        try (FileLedgerManager ledgers = new FileLedgerManager(ledgerRoot, LedgerConfig.defaults())) {
            if (!ledgers.exists(channel)) {
                throw new ScenarioFailure(ledgerRoot + ": no ledger for channel " + channel);
            }
            BlockStore store = ledgers.open(channel);
            long height = store.height();
            Block genesis = store.block(0);
            ChannelBlockVerifier verifier = ChannelBlockVerifier.forConfig(ChannelConfig.fromBlock(genesis));
            byte[] previous = BlockHashing.headerHash(genesis.getHeader());
            for (long n = 1; n < height; n++) {
                Block block = store.block(n);
                try {
                    verifier.verify(n, block, com.google.protobuf.ByteString.copyFrom(previous));
                } catch (BlockVerificationException e) {
                    throw new ScenarioFailure(ledgerRoot + ": channel " + channel + ": block " + n + " fails verification: "
                            + e.getMessage());
                }
                if (Blocks.isConfigBlock(block)) {
                    verifier = ChannelBlockVerifier.forConfig(ChannelConfig.fromBlock(block));
                }
                previous = BlockHashing.headerHash(block.getHeader());
            }
            return new Summary(height, HexFormat.of().formatHex(previous));
        } catch (LedgerException | ConfigTxException e) {
            throw new ScenarioFailure(ledgerRoot + ": channel " + channel + ": " + e.getMessage());
        }
    }

    /** The header hash of block {@code number} of {@code channel} in the ledger at {@code ledgerRoot}, in hex. */
    public static String hashAt(Path ledgerRoot, String channel, long number) throws ScenarioFailure {
        try (FileLedgerManager ledgers = new FileLedgerManager(ledgerRoot, LedgerConfig.defaults())) {
            BlockStore store = ledgers.open(channel);
            if (number < 0 || number >= store.height()) {
                throw new ScenarioFailure(ledgerRoot + ": channel " + channel + ": no block " + number + " (height "
                        + store.height() + ")");
            }
            return HexFormat.of().formatHex(BlockHashing.headerHash(store.block(number).getHeader()));
        } catch (LedgerException e) {
            throw new ScenarioFailure(ledgerRoot + ": channel " + channel + ": " + e.getMessage());
        }
    }
}
