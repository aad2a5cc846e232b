package io.fabsim.peer;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.verify.BlockVerificationException;
import io.fabsim.common.verify.ChannelBlockVerifier;
import io.fabsim.common.verify.InvalidBlockException;

/**
 * The adapter from common's {@link ChannelBlockVerifier} (Fabric's {@code VerifyBlock} under a
 * channel config) to what the committer (gossip) declares it needs. The deliver client's verifier
 * is deliver-client's {@link io.fabsim.deliver.ConfigBlockVerifier}.
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
}
