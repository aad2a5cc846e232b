package io.fabsim.deliver;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.configtx.OrgConfig;
import io.fabsim.common.verify.BlockVerificationException;
import io.fabsim.common.verify.ChannelBlockVerifier;
import io.fabsim.common.verify.InvalidBlockException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hyperledger.fabric.protos.common.Block;

/**
 * The {@link BlockVerifier} over a channel's config: Fabric's peer block verification
 * ({@link ChannelBlockVerifier}: number, channel, well-formed transactions, data hash, the
 * {@code /Channel/Orderer/BlockValidation} policy over the orderer signatures), re-built from every
 * config block; orderer endpoints from the config in force. peer-node builds one per delivery run
 * from the channel's current config.
 */
public final class ConfigBlockVerifier implements BlockVerifier {

    private ChannelConfig config;
    private ChannelBlockVerifier verifier;

    public ConfigBlockVerifier(ChannelConfig config) {
        this.config = config;
        this.verifier = ChannelBlockVerifier.forConfig(config);
    }

    public static ConfigBlockVerifier fromConfigBlock(Block configBlock) throws ConfigTxException {
        return new ConfigBlockVerifier(ChannelConfig.fromBlock(configBlock));
    }

    /** The config in force. */
    public ChannelConfig config() {
        return config;
    }

    @Override
    public void verify(String channel, long blockNumber, Block block) throws InvalidBlockException {
        if (!channel.equals(config.channelId())) {
            throw new InvalidBlockException(InvalidBlockException.Reason.MALFORMED, "verifier of channel "
                    + config.channelId() + " asked to verify block " + blockNumber + " of channel " + channel);
        }
        try {
            verifier.verify(blockNumber, block);
        } catch (BlockVerificationException e) {
            throw new InvalidBlockException(InvalidBlockException.reasonOf(e), e.getMessage(), e);
        }
    }

    @Override
    public void updateConfig(Block configBlock) throws InvalidBlockException {
        ChannelConfig next;
        try {
            next = ChannelConfig.fromBlock(configBlock);
        } catch (ConfigTxException e) {
            throw new InvalidBlockException(InvalidBlockException.Reason.BAD_CONFIG, "config block "
                    + configBlock.getHeader().getNumber() + " of channel " + config.channelId() + ": " + e.getMessage(), e);
        }
        if (!next.channelId().equals(config.channelId())) {
            throw new InvalidBlockException(InvalidBlockException.Reason.BAD_CONFIG, "config block "
                    + configBlock.getHeader().getNumber() + " is for channel " + next.channelId() + ", expected " + config.channelId());
        }
        verifier = ChannelBlockVerifier.forConfig(next);
        config = next;
    }

    @Override
    public OrdererAddresses ordererAddresses() {
        return addressesOf(config);
    }

    /** The endpoints a channel config defines: global addresses and, per orderer org, its endpoints and TLS CAs. */
    public static OrdererAddresses addressesOf(ChannelConfig config) {
        List<String> global = config.globalOrdererAddresses().stream().map(HostPort::toString).toList();
        Map<String, OrdererAddresses.Org> orgs = new LinkedHashMap<>();
        for (OrgConfig org : config.ordererOrgs()) {
            List<ByteString> certs = new ArrayList<>(org.tlsRootCerts());
            certs.addAll(org.tlsIntermediateCerts());
            orgs.put(org.name(), new OrdererAddresses.Org(org.endpoints().stream().map(HostPort::toString).toList(), certs));
        }
        return new OrdererAddresses(global, orgs);
    }
}
