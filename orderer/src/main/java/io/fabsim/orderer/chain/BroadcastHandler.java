package io.fabsim.orderer.chain;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.EnvelopeException;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.common.protoutil.ParsedEnvelope;
import io.fabsim.common.time.Clock;
import io.fabsim.common.verify.PolicyEvaluationException;
import io.fabsim.deliverserver.CertificateExpiry;
import java.time.Instant;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.BroadcastResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's Broadcast processing ({@code orderer/common/broadcast} with the standard channel's
 * filters), transport-independent: one {@link BroadcastResponse} per envelope.
 *
 * <ul>
 *   <li>{@code BAD_REQUEST}: unparseable payload or headers, empty payload, a creator certificate
 *       past its NotAfter, a message larger than the channel's AbsoluteMaxBytes, a CONFIG or
 *       ORDERER_TRANSACTION envelope (only CONFIG_UPDATE changes config here), or a config update
 *       that is malformed, unsupported or not signed by the admins its items' mod_policy names;</li>
 *   <li>{@code NOT_FOUND}: the channel is not served;</li>
 *   <li>{@code FORBIDDEN}: the envelope does not satisfy {@code /Channel/Writers};</li>
 *   <li>{@code SERVICE_UNAVAILABLE}: the chain is errored/halted, or only followed here;</li>
 *   <li>{@code SUCCESS}: the message was queued for ordering.</li>
 * </ul>
 */
public final class BroadcastHandler {

    private static final Logger log = LoggerFactory.getLogger(BroadcastHandler.class);

    private final Chains chains;
    private final Signer signer;
    private final Clock clock;

    public BroadcastHandler(Chains chains, Signer signer, Clock clock) {
        this.chains = chains;
        this.signer = signer;
        this.clock = clock;
    }

    public BroadcastResponse process(Envelope envelope) {
        ParsedEnvelope parsed;
        try {
            parsed = Envelopes.parse(envelope);
        } catch (EnvelopeException e) {
            return response(Status.BAD_REQUEST, "bad envelope: " + e.getMessage());
        }
        String channelId = parsed.channelId();
        if (chains.chain(channelId).isEmpty()) {
            return response(Status.NOT_FOUND, "channel " + channelId + " does not exist");
        }
        Optional<Chain> ordering = chains.orderingChain(channelId);
        if (ordering.isEmpty()) {
            return response(Status.SERVICE_UNAVAILABLE, "channel " + channelId + " is only followed by this orderer");
        }
        Chain chain = ordering.get();
        HeaderType type = parsed.type();
        if (type == HeaderType.CONFIG || type == HeaderType.ORDERER_TRANSACTION) {
            return response(Status.BAD_REQUEST, "message of type " + type + " cannot be broadcast; send a CONFIG_UPDATE");
        }
        BroadcastResponse refused = applyFilters(chain, parsed);
        if (refused != null) {
            return refused;
        }
        if (chain.errorSignal().isErrored()) {
            return response(Status.SERVICE_UNAVAILABLE, "channel " + channelId + " is halted: " + chain.errorSignal().reason());
        }
        if (type == HeaderType.CONFIG_UPDATE) {
            return configUpdate(chain, parsed);
        }
        chain.order(envelope);
        return response(Status.SUCCESS, "");
    }

    /** The standard channel's filters: empty, expiration, size, then the Writers signature policy. */
    private BroadcastResponse applyFilters(Chain chain, ParsedEnvelope parsed) {
        Envelope envelope = parsed.envelope();
        if (envelope.getPayload().isEmpty()) {
            return response(Status.BAD_REQUEST, "Message was empty");
        }
        Optional<Instant> expiresAt = CertificateExpiry.expiresAt(parsed.signatureHeader().getCreator().toByteArray());
        if (expiresAt.isPresent() && clock.now().isAfter(expiresAt.get())) {
            return response(Status.BAD_REQUEST, "broadcast client identity expired");
        }
        int max = chain.config().batchSize().absoluteMaxBytes();
        if (Integer.toUnsignedLong(envelope.getSerializedSize()) > Integer.toUnsignedLong(max)) {
            return response(Status.BAD_REQUEST, "message payload is " + envelope.getSerializedSize()
                    + " bytes and exceeds maximum allowed " + Integer.toUnsignedString(max) + " bytes");
        }
        try {
            chain.checkWriters(parsed.signedData());
        } catch (PolicyEvaluationException e) {
            log.warn("[channel: {}] Rejecting broadcast: {}: {}", chain.channelId(), ChannelPolicies.WRITERS, e.getMessage());
            return response(Status.FORBIDDEN, "implicit policy evaluation failed: " + e.getMessage());
        }
        return null;
    }

    private BroadcastResponse configUpdate(Chain chain, ParsedEnvelope parsed) {
        try {
            ConfigUpdates.Result result = ConfigUpdates.propose(chain, parsed, signer, clock);
            chain.configure(result.configEnvelope(), result.newConfig());
            ChannelConfig next = result.newConfig();
            log.info("[channel: {}] Accepted a config update to sequence {}", chain.channelId(), next.sequence());
            return response(Status.SUCCESS, "");
        } catch (ConfigUpdates.ConfigUpdateException e) {
            log.warn("[channel: {}] Rejecting config update: {}", chain.channelId(), e.getMessage());
            return response(Status.BAD_REQUEST, "error applying config update to existing channel '"
                    + chain.channelId() + "': " + e.getMessage());
        }
    }

    private static BroadcastResponse response(Status status, String info) {
        return BroadcastResponse.newBuilder().setStatus(status).setInfo(info).build();
    }
}
