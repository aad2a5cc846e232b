package io.fabsim.peer;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.configtx.OrgConfig;
import io.fabsim.common.verify.BlockVerificationException;
import io.fabsim.common.verify.ChannelBlockVerifier;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.deliver.OrdererAddresses;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;

/**
 * Adapters from common's {@link ChannelBlockVerifier} (Fabric's {@code VerifyBlock} under a channel
 * config) to what the committer (gossip) and the deliver client declare they need.
 */
final class ChannelVerifiers {

    private ChannelVerifiers() {
    }

    /** The committer's verifier under one channel config (the committer replaces it on config blocks). */
    static io.fabsim.gossip.BlockVerifier forCommitter(ChannelConfig config) {
        ChannelBlockVerifier verifier = ChannelBlockVerifier.forConfig(config);
        return block -> {
            try {
                verifier.verify(block.getHeader().getNumber(), block);
            } catch (BlockVerificationException e) {
                throw new InvalidBlockException(InvalidBlockException.reasonOf(e), "channel " + config.channelId()
                        + ": block " + block.getHeader().getNumber() + ": " + e.getMessage(), e);
            }
        };
    }

    /** The orderer endpoints of a channel config, as the deliver client's connection source takes them. */
    static OrdererAddresses ordererAddresses(ChannelConfig config) {
        Map<String, OrdererAddresses.Org> orgs = new LinkedHashMap<>();
        for (OrgConfig org : config.ordererOrgs()) {
            List<String> addresses = org.endpoints().stream().map(Object::toString).toList();
            orgs.put(org.mspId(), new OrdererAddresses.Org(addresses, org.tlsRootCerts()));
        }
        List<String> global = config.globalOrdererAddresses().stream().map(Object::toString).toList();
        return new OrdererAddresses(global, orgs);
    }

    /**
     * The deliver client's verifier for one run: starts from the channel's committed config and
     * follows the config blocks it receives (Fabric 3.x {@code UpdatableBlockVerifier}).
     */
    static final class ForDeliver implements io.fabsim.deliver.BlockVerifier {

        private ChannelConfig config;
        private ChannelBlockVerifier verifier;

        ForDeliver(ChannelConfig config) {
            this.config = config;
            this.verifier = ChannelBlockVerifier.forConfig(config);
        }

        @Override
        public void verify(String channel, long blockNumber, Block block) throws io.fabsim.common.verify.InvalidBlockException {
            try {
                verifier.verify(blockNumber, block);
            } catch (BlockVerificationException e) {
                throw new io.fabsim.common.verify.InvalidBlockException(reason(e), "channel " + channel + ": block " + blockNumber
                        + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void updateConfig(Block configBlock) throws io.fabsim.common.verify.InvalidBlockException {
            try {
                config = ChannelConfig.fromBlock(configBlock);
                verifier = ChannelBlockVerifier.forConfig(config);
            } catch (ConfigTxException e) {
                throw new io.fabsim.common.verify.InvalidBlockException(io.fabsim.common.verify.InvalidBlockException.Reason.BAD_CONFIG,
                        "channel " + config.channelId() + ": config block " + configBlock.getHeader().getNumber()
                                + " cannot be applied: " + e.getMessage(), e);
            }
        }

        @Override
        public OrdererAddresses ordererAddresses() {
            return ChannelVerifiers.ordererAddresses(config);
        }

        private static io.fabsim.common.verify.InvalidBlockException.Reason reason(BlockVerificationException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("DataHash")) {
                return io.fabsim.common.verify.InvalidBlockException.Reason.DATA_HASH_MISMATCH;
            }
            if (message.contains("seqNum")) {
                return io.fabsim.common.verify.InvalidBlockException.Reason.WRONG_NUMBER;
            }
            if (message.contains("policy") || message.contains("signature")) {
                return io.fabsim.common.verify.InvalidBlockException.Reason.BAD_SIGNATURE;
            }
            return io.fabsim.common.verify.InvalidBlockException.Reason.MALFORMED;
        }
    }

}
