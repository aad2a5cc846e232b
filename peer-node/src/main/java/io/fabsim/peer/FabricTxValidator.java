package io.fabsim.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.verify.ConfigUpdateValidator;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.gossip.TxValidator;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.LedgerException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Supplier;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.ConfigEnvelope;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEvent;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;
import org.hyperledger.fabric.protos.peer.TxValidationCode;

/**
 * The committer's transaction validation of one channel, as a Fabric v2.5 peer does it
 * ({@code core/committer/txvalidator/v20} over {@code core/common/validation/msgvalidation.go}):
 *
 * <ol>
 *   <li>an envelope that does not parse: {@code INVALID_OTHER_REASON}; a payload that does not:
 *       {@code BAD_PAYLOAD};</li>
 *   <li>the common header: the type must be {@code ENDORSER_TRANSACTION}, {@code CONFIG} or
 *       {@code CONFIG_UPDATE} (so {@code MESSAGE} fails), epoch 0, a nonce and a creator, else
 *       {@code BAD_COMMON_HEADER};</li>
 *   <li>the creator is a valid identity of the channel's MSPs and signed the payload, else
 *       {@code BAD_CREATOR_SIGNATURE};</li>
 *   <li>by type: an endorser transaction needs its tx id derived from nonce and creator
 *       ({@code BAD_PROPOSAL_TXID}), one action whose proposal hash matches
 *       ({@code INVALID_ENDORSER_TRANSACTION}), a tx id not in the ledger ({@code DUPLICATE_TXID}),
 *       and then the chaincode's validation: fabsim defines no chaincode, so after Fabric's
 *       structural checks of the action ({@code BAD_HEADER_EXTENSION}, {@code BAD_RESPONSE_PAYLOAD},
 *       {@code BAD_RWSET}, {@code INVALID_OTHER_REASON}, {@code ILLEGAL_WRITESET}) it is
 *       {@code INVALID_CHAINCODE}, what a Fabric peer gives a chaincode that is not defined (the
 *       {@code _lifecycle} system namespace is treated the same: not modelled). A config
 *       transaction must apply to the current config: its config must be at the current sequence
 *       + 1 and parse as a channel config, else the whole block is refused (an error, not a flag;
 *       fabsim does not re-run the config update's policies as Fabric's {@code Apply} does).
 *       {@code CONFIG_UPDATE} and other types: {@code UNSUPPORTED_TX_PAYLOAD};</li>
 *   <li>a valid endorser transaction whose tx id appeared earlier in the block: {@code DUPLICATE_TXID}.</li>
 * </ol>
 */
final class FabricTxValidator implements TxValidator {

    private final String channelId;
    private final BlockStore store;
    private final Supplier<ChannelConfig> config;

    /** {@code config} is the channel's current config, read for each block. */
    FabricTxValidator(BlockStore store, Supplier<ChannelConfig> config) {
        this.channelId = store.channelId();
        this.store = store;
        this.config = config;
    }

    /** The validation code with, for a valid endorser transaction, its tx id (for the in-block duplicate rule). */
    private record Result(TxValidationCode code, String validTxId) {

        static Result of(TxValidationCode code) {
            return new Result(code, null);
        }
    }

    @Override
    public byte[] validate(Block block) throws InvalidBlockException {
        ChannelConfig current = config.get();
        int count = block.getData().getDataCount();
        byte[] filter = new byte[count];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            Result result = validateTx(block, i, current);
            TxValidationCode code = result.code();
            if (result.validTxId() != null && !seen.add(result.validTxId())) {
                code = TxValidationCode.DUPLICATE_TXID;
            }
            filter[i] = (byte) code.getNumber();
        }
        return filter;
    }

    private Result validateTx(Block block, int index, ChannelConfig current) throws InvalidBlockException {
        ByteString data = block.getData().getData(index);
        Envelope envelope;
        try {
            envelope = Envelope.parseFrom(data);
        } catch (InvalidProtocolBufferException e) {
            return Result.of(TxValidationCode.INVALID_OTHER_REASON);
        }
        Payload payload;
        try {
            payload = Payload.parseFrom(envelope.getPayload());
        } catch (InvalidProtocolBufferException e) {
            return Result.of(TxValidationCode.BAD_PAYLOAD);
        }
        ChannelHeader channelHeader;
        SignatureHeader signatureHeader;
        try {
            channelHeader = ChannelHeader.parseFrom(payload.getHeader().getChannelHeader());
            signatureHeader = SignatureHeader.parseFrom(payload.getHeader().getSignatureHeader());
        } catch (InvalidProtocolBufferException e) {
            return Result.of(TxValidationCode.BAD_COMMON_HEADER);
        }
        if (!payload.hasHeader() || !validHeader(channelHeader, signatureHeader)) {
            return Result.of(TxValidationCode.BAD_COMMON_HEADER);
        }
        if (!creatorSigned(channelHeader, signatureHeader, envelope, current)) {
            return Result.of(TxValidationCode.BAD_CREATOR_SIGNATURE);
        }
        return switch (HeaderType.forNumber(channelHeader.getType())) {
            case ENDORSER_TRANSACTION -> endorserTransaction(payload, channelHeader, signatureHeader);
            case CONFIG -> {
                checkConfig(block, index, payload, current);
                yield Result.of(TxValidationCode.VALID);
            }
            default -> Result.of(TxValidationCode.UNSUPPORTED_TX_PAYLOAD);
        };
    }

    private static boolean validHeader(ChannelHeader channel, SignatureHeader signature) {
        HeaderType type = HeaderType.forNumber(channel.getType());
        boolean knownType = type == HeaderType.ENDORSER_TRANSACTION || type == HeaderType.CONFIG
                || type == HeaderType.CONFIG_UPDATE;
        return knownType && channel.getEpoch() == 0 && validSignatureHeader(signature);
    }

    private static boolean validSignatureHeader(SignatureHeader header) {
        return !header.getNonce().isEmpty() && !header.getCreator().isEmpty();
    }

    /** Fabric's {@code checkSignatureFromCreator}, with the MSPs of the channel the header names. */
    private boolean creatorSigned(ChannelHeader channel, SignatureHeader header, Envelope envelope, ChannelConfig current) {
        if (!channel.getChannelId().equals(channelId) || envelope.getSignature().isEmpty()) {
            return false;
        }
        try {
            current.mspVerifier().verifyIdentity(header.getCreator().toByteArray(), envelope.getPayload().toByteArray(),
                    envelope.getSignature().toByteArray());
            return true;
        } catch (SignatureVerificationException | RuntimeException e) {
            return false;
        }
    }

    private Result endorserTransaction(Payload payload, ChannelHeader channel, SignatureHeader signature)
            throws InvalidBlockException {
        if (!channel.getTxId().equals(txId(signature))) {
            return Result.of(TxValidationCode.BAD_PROPOSAL_TXID);
        }
        ByteString action = wellFormedAction(payload);
        if (action == null) {
            return Result.of(TxValidationCode.INVALID_ENDORSER_TRANSACTION);
        }
        try {
            if (store.txIdExists(channel.getTxId())) {
                return Result.of(TxValidationCode.DUPLICATE_TXID);
            }
        } catch (LedgerException e) {
            throw new InvalidBlockException(InvalidBlockException.Reason.MALFORMED, "channel " + channelId + ": tx id index: " + e.getMessage(), e);
        }
        return Result.of(chaincodeValidation(channel, action));
    }

    /**
     * Fabric's {@code validateEndorserTransaction}: one action, a signature header, a matching
     * proposal hash; returns the action's proposal response extension (the chaincode action), or null.
     */
    private static ByteString wellFormedAction(Payload payload) {
        try {
            Transaction tx = Transaction.parseFrom(payload.getData());
            if (tx.getActionsCount() != 1) {
                return null;
            }
            TransactionAction act = tx.getActions(0);
            if (!validSignatureHeader(SignatureHeader.parseFrom(act.getHeader()))) {
                return null;
            }
            ChaincodeActionPayload actionPayload = ChaincodeActionPayload.parseFrom(act.getPayload());
            ProposalResponsePayload response = ProposalResponsePayload.parseFrom(
                    actionPayload.getAction().getProposalResponsePayload());
            byte[] hash = sha256(payload.getHeader().getChannelHeader(), act.getHeader(),
                    actionPayload.getChaincodeProposalPayload());
            if (!ByteString.copyFrom(hash).equals(response.getProposalHash())) {
                return null;
            }
            return response.getExtension();
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    /** Fabric's plugin dispatcher ({@code Dispatch}) up to the chaincode lookup, which finds no chaincode in fabsim. */
    private static TxValidationCode chaincodeValidation(ChannelHeader channel, ByteString actionBytes) {
        ChaincodeHeaderExtension extension;
        try {
            extension = ChaincodeHeaderExtension.parseFrom(channel.getExtension());
        } catch (InvalidProtocolBufferException e) {
            return TxValidationCode.BAD_HEADER_EXTENSION;
        }
        ChaincodeAction action;
        try {
            action = ChaincodeAction.parseFrom(actionBytes);
        } catch (InvalidProtocolBufferException e) {
            return TxValidationCode.BAD_RESPONSE_PAYLOAD;
        }
        TxReadWriteSet rwset;
        try {
            rwset = TxReadWriteSet.parseFrom(action.getResults());
            for (NsReadWriteSet ns : rwset.getNsRwsetList()) {
                KVRWSet.parseFrom(ns.getRwset());
            }
        } catch (InvalidProtocolBufferException e) {
            return TxValidationCode.BAD_RWSET;
        }
        if (!extension.hasChaincodeId() || !action.hasChaincodeId()) {
            return TxValidationCode.INVALID_OTHER_REASON;
        }
        String name = extension.getChaincodeId().getName();
        if (name.isEmpty() || !name.equals(action.getChaincodeId().getName())
                || action.getChaincodeId().getVersion().isEmpty()) {
            return TxValidationCode.INVALID_CHAINCODE;
        }
        if (!action.getEvents().isEmpty()) {
            try {
                if (!ChaincodeEvent.parseFrom(action.getEvents()).getChaincodeId().equals(name)) {
                    return TxValidationCode.INVALID_OTHER_REASON;
                }
            } catch (InvalidProtocolBufferException e) {
                return TxValidationCode.INVALID_OTHER_REASON;
            }
        }
        Set<String> namespaces = new HashSet<>();
        for (NsReadWriteSet ns : rwset.getNsRwsetList()) {
            if (!namespaces.add(ns.getNamespace())) {
                return TxValidationCode.ILLEGAL_WRITESET;
            }
        }
        return TxValidationCode.INVALID_CHAINCODE;
    }

    /**
     * Fabric's {@code Apply} of a config transaction to the current config: the next sequence, the very
     * config its last_update makes of the current one under Fabric's update rules (read set, versions,
     * mod_policies satisfied), and a config this peer can read.
     */
    private void checkConfig(Block block, int index, Payload payload, ChannelConfig current) throws InvalidBlockException {
        String where = "channel " + channelId + ": block " + block.getHeader().getNumber() + ": config transaction " + index;
        try {
            ConfigEnvelope envelope = ConfigEnvelope.parseFrom(payload.getData());
            ConfigUpdateValidator.validate(current, envelope);
            ChannelConfig.fromConfig(channelId, envelope.getConfig());
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidBlockException(InvalidBlockException.Reason.BAD_CONFIG, where + ": not a ConfigEnvelope: " + e.getMessage(), e);
        } catch (ConfigUpdateValidator.RejectedException e) {
            throw new InvalidBlockException(InvalidBlockException.Reason.BAD_CONFIG, where
                    + ": error validating config which passed initial validity checks: " + e.getMessage(), e);
        } catch (ConfigTxException e) {
            throw new InvalidBlockException(InvalidBlockException.Reason.BAD_CONFIG, where + ": the config does not apply: " + e.getMessage(), e);
        }
    }

    /** Fabric's {@code ComputeTxID}: hex SHA-256 of nonce || creator. */
    static String txId(SignatureHeader header) {
        return HexFormat.of().formatHex(sha256(header.getNonce(), header.getCreator()));
    }

    private static byte[] sha256(ByteString... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ByteString part : parts) {
                sha.update(part.asReadOnlyByteBuffer());
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
