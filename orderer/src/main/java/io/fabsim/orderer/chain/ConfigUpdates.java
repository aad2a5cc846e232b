package io.fabsim.orderer.chain;

import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.EnvelopeSpec;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.protoutil.ParsedEnvelope;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.ConfigUpdateValidator;
import java.util.Set;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.ConfigUpdateEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;

/**
 * Turns a {@code CONFIG_UPDATE} envelope into the signed {@code CONFIG} envelope of the next config,
 * as Fabric's {@code ProposeConfigUpdate} does: {@link ConfigUpdateValidator} applies Fabric's read
 * set, delta set, version and mod_policy rules with Fabric's messages. Of the changes Fabric allows,
 * this simulator applies values only: {@code /Channel/Orderer/BatchSize},
 * {@code /Channel/Orderer/BatchTimeout}, {@code /Channel/Orderer/<org>/Endpoints} and
 * {@code /Channel/OrdererAddresses}; an update that adds or changes a group or policy, or changes
 * another value, is refused as unsupported. The new config has sequence + 1 and the
 * {@code ConfigEnvelope}'s last_update is the update envelope itself.
 */
final class ConfigUpdates {

    private static final Set<String> SUPPORTED_TOP = Set.of("/Channel/OrdererAddresses",
            "/Channel/Orderer/BatchSize", "/Channel/Orderer/BatchTimeout");

    private ConfigUpdates() {
    }

    /** The next config and its CONFIG envelope, signed by the orderer. */
    record Result(ChannelConfig newConfig, Envelope configEnvelope) {
    }

    /** A config update that is malformed, unsupported or unauthorized. */
    static final class ConfigUpdateException extends Exception {
        ConfigUpdateException(String message) {
            super(message);
        }
    }

    static Result propose(Chain chain, ParsedEnvelope update, Signer signer, Clock clock) throws ConfigUpdateException {
        ConfigUpdateEnvelope updateEnvelope;
        try {
            updateEnvelope = ConfigUpdateEnvelope.parseFrom(update.payload().getData());
        } catch (InvalidProtocolBufferException e) {
            throw new ConfigUpdateException("unparseable ConfigUpdateEnvelope: " + e.getMessage());
        }
        ConfigUpdateValidator.Proposal proposal;
        try {
            proposal = ConfigUpdateValidator.propose(chain.config(), updateEnvelope);
        } catch (ConfigUpdateValidator.RejectedException e) {
            throw new ConfigUpdateException(e.getMessage());
        }
        for (ConfigUpdateValidator.Element changed : proposal.delta()) {
            if (!changed.isValue() || !isSupported(changed.path())) {
                throw new ConfigUpdateException(changed.key() + ": changing it is not supported (supported: values "
                        + "/Channel/Orderer/BatchSize, /Channel/Orderer/BatchTimeout, /Channel/Orderer/<org>/Endpoints, "
                        + "/Channel/OrdererAddresses)");
            }
        }
        ChannelConfig newConfig;
        try {
            newConfig = ChannelConfig.fromConfig(chain.channelId(), proposal.next());
        } catch (ConfigTxException e) {
            throw new ConfigUpdateException("the updated config is invalid: " + e.getMessage());
        }
        ConfigEnvelope configEnvelope = ConfigEnvelope.newBuilder().setConfig(proposal.next())
                .setLastUpdate(update.envelope()).build();
        Envelope signed = Envelopes.createSigned(
                EnvelopeSpec.of(HeaderType.CONFIG, chain.channelId(), configEnvelope.toByteString()), signer, clock);
        return new Result(newConfig, signed);
    }

    private static boolean isSupported(String valuePath) {
        if (SUPPORTED_TOP.contains(valuePath)) {
            return true;
        }
        String[] parts = valuePath.split("/");
        return parts.length == 5 && parts[2].equals("Orderer") && parts[4].equals("Endpoints");
    }
}
