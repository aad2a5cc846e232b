package io.fabsim.common.configtx;

import com.google.protobuf.ByteString;
import io.fabsim.common.config.HostPort;
import io.fabsim.common.crypto.CryptoMaterialException;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.msp.OrgMsp;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.EnvelopeException;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.protoutil.ParsedEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Config;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.HeaderType;

/**
 * A channel's configuration read from a config block (the genesis block or any later one), as
 * Fabric's {@code channelconfig.Bundle} exposes it: orgs with their MSP config, orderer endpoints,
 * batch settings, consensus type, capabilities and the policy tree.
 */
public final class ChannelConfig {

    /** Name of the application group under {@code /Channel}. */
    public static final String APPLICATION_GROUP = "Application";
    /** Name of the orderer group under {@code /Channel}. */
    public static final String ORDERER_GROUP = "Orderer";

    /** Path of the policy the peer checks block signatures against. */
    public static final String BLOCK_VALIDATION = "/Channel/Orderer/BlockValidation";

    private final String channelId;
    private final Config config;
    private final List<OrgConfig> applicationOrgs;
    private final List<OrgConfig> ordererOrgs;
    private final List<HostPort> globalOrdererAddresses;
    private final OrdererSettings orderer;
    private final Set<String> channelCapabilities;
    private final Set<String> applicationCapabilities;
    private final PolicyGroup policies;
    private final MspVerifier mspVerifier;

    ChannelConfig(String channelId, Config config, ParsedGroups groups) throws ConfigTxException {
        this.channelId = channelId;
        this.config = config;
        this.applicationOrgs = List.copyOf(groups.applicationOrgs());
        this.ordererOrgs = List.copyOf(groups.ordererOrgs());
        this.globalOrdererAddresses = List.copyOf(groups.globalOrdererAddresses());
        this.orderer = groups.orderer();
        this.channelCapabilities = Set.copyOf(groups.channelCapabilities());
        this.applicationCapabilities = Set.copyOf(groups.applicationCapabilities());
        this.policies = groups.policies();
        try {
            this.mspVerifier = new MspVerifier(orgMsps(allOrgs()));
        } catch (CryptoMaterialException e) {
            throw new ConfigTxException("/Channel: " + e.getMessage(), e);
        }
    }

    private static List<OrgMsp> orgMsps(List<OrgConfig> orgs) throws ConfigTxException {
        List<OrgMsp> msps = new ArrayList<>();
        for (OrgConfig org : orgs) {
            try {
                msps.add(OrgMsp.fromFabricMspConfig(org.msp()));
            } catch (CryptoMaterialException e) {
                throw new ConfigTxException(org.policies().path() + "/MSP: " + e.getMessage(), e);
            }
        }
        return msps;
    }

    /** Reads the config from a config block: data[0] is a CONFIG envelope holding a {@code ConfigEnvelope}. */
    public static ChannelConfig fromBlock(Block block) throws ConfigTxException {
        if (!Blocks.isConfigBlock(block)) {
            throw new ConfigTxException("block " + block.getHeader().getNumber()
                    + ": expected a config block (one CONFIG envelope), got "
                    + block.getData().getDataCount() + " envelope(s) that are not a config transaction");
        }
        try {
            ParsedEnvelope envelope = Envelopes.parse(Blocks.envelopeAt(block, 0));
            if (envelope.channelHeader().getType() != HeaderType.CONFIG_VALUE) {
                throw new ConfigTxException("block " + block.getHeader().getNumber()
                        + ": expected a CONFIG envelope, got header type " + envelope.channelHeader().getType());
            }
            ConfigEnvelope configEnvelope = ConfigEnvelope.parseFrom(envelope.payload().getData());
            return fromConfig(envelope.channelId(), configEnvelope.getConfig());
        } catch (EnvelopeException e) {
            throw new ConfigTxException("block " + block.getHeader().getNumber() + ": " + e.getMessage(), e);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new ConfigTxException("block " + block.getHeader().getNumber()
                    + ": payload data is not a common.ConfigEnvelope: " + e.getMessage(), e);
        }
    }

    /** Reads a {@code common.Config} of channel {@code channelId}. */
    public static ChannelConfig fromConfig(String channelId, Config config) throws ConfigTxException {
        if (!config.hasChannelGroup()) {
            throw new ConfigTxException("/Channel: missing (config has no channel group)");
        }
        return new ChannelConfig(channelId, config, ConfigParser.parse(config.getChannelGroup()));
    }

    public String channelId() {
        return channelId;
    }

    public long sequence() {
        return config.getSequence();
    }

    /** The config as stored in the block. */
    public Config config() {
        return config;
    }

    /**
     * The channel's MSPs (every org, application and orderer) as one verifier; it caches
     * validated identities, so share this instance.
     */
    public MspVerifier mspVerifier() {
        return mspVerifier;
    }

    /** The MSP of the org with this id. */
    public Optional<OrgMsp> orgMsp(String mspId) {
        return mspVerifier.org(mspId);
    }

    public List<OrgConfig> applicationOrgs() {
        return applicationOrgs;
    }

    public List<OrgConfig> ordererOrgs() {
        return ordererOrgs;
    }

    /** Every org, orderer orgs first. */
    public List<OrgConfig> allOrgs() {
        List<OrgConfig> all = new ArrayList<>(ordererOrgs);
        all.addAll(applicationOrgs);
        return all;
    }

    /** The org with this MSP id, application or orderer. */
    public Optional<OrgConfig> org(String mspId) {
        return allOrgs().stream().filter(o -> o.mspId().equals(mspId)).findFirst();
    }

    /** {@code /Channel/OrdererAddresses} (empty when the config has only per-org endpoints). */
    public List<HostPort> globalOrdererAddresses() {
        return globalOrdererAddresses;
    }

    /**
     * Where a deliver client connects, as Fabric's peer chooses: the per-org {@code Endpoints}
     * with that org's TLS CAs when any orderer org has them; otherwise the global addresses,
     * each trusting every orderer org's TLS CAs.
     */
    public List<OrdererEndpoint> ordererEndpoints() {
        List<OrdererEndpoint> endpoints = new ArrayList<>();
        for (OrgConfig org : ordererOrgs) {
            for (HostPort address : org.endpoints()) {
                endpoints.add(new OrdererEndpoint(address, org.mspId(), org.tlsRootCerts(), org.tlsIntermediateCerts()));
            }
        }
        if (!endpoints.isEmpty()) {
            return endpoints;
        }
        List<ByteString> roots = new ArrayList<>();
        List<ByteString> intermediates = new ArrayList<>();
        for (OrgConfig org : ordererOrgs) {
            roots.addAll(org.tlsRootCerts());
            intermediates.addAll(org.tlsIntermediateCerts());
        }
        for (HostPort address : globalOrdererAddresses) {
            endpoints.add(new OrdererEndpoint(address, "", roots, intermediates));
        }
        return endpoints;
    }

    public BatchSize batchSize() {
        return orderer.batchSize();
    }

    public Duration batchTimeout() {
        return orderer.batchTimeout();
    }

    /** {@code etcdraft}, {@code solo}, {@code BFT}... */
    public String consensusType() {
        return orderer.consensusType();
    }

    public ByteString consensusMetadata() {
        return orderer.consensusMetadata();
    }

    public Set<String> channelCapabilities() {
        return channelCapabilities;
    }

    public Set<String> ordererCapabilities() {
        return orderer.capabilities();
    }

    public Set<String> applicationCapabilities() {
        return applicationCapabilities;
    }

    /** The policy tree rooted at {@code /Channel}. */
    public PolicyGroup policies() {
        return policies;
    }

    /** The policy at an absolute path such as {@code /Channel/Orderer/BlockValidation}. */
    public Optional<PolicyRule> policy(String absolutePath) {
        String prefix = "/Channel/";
        if (!absolutePath.startsWith(prefix)) {
            return Optional.empty();
        }
        String relative = absolutePath.substring(prefix.length());
        int slash = relative.lastIndexOf('/');
        String groupPath = slash < 0 ? "" : relative.substring(0, slash);
        String name = relative.substring(slash + 1);
        return policies.group(groupPath).map(g -> g.policies().get(name));
    }

    @Override
    public String toString() {
        return "ChannelConfig[" + channelId + " seq " + sequence() + ", orderer orgs "
                + ordererOrgs.stream().map(OrgConfig::mspId).toList() + ", application orgs "
                + applicationOrgs.stream().map(OrgConfig::mspId).toList() + "]";
    }
}
