package io.fabsim.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.msp.OrgMsp;
import io.fabsim.common.msp.ValidatedIdentity;
import io.fabsim.common.protoutil.Envelopes;
import io.fabsim.ledger.LedgerException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.Proposal;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.SignedProposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fabric's {@code protos.Endorser/ProcessProposal} for the system chaincodes Fabric's CLI calls
 * ({@code core/endorser/endorser.go}): the proposal is unpacked and validated (header type, epoch,
 * nonce, creator, tx id, signature: against the local MSP when the proposal names no channel, else
 * the channel's MSPs, then the duplicate tx id check), the chaincode runs ({@link SystemChaincodes}),
 * and the answer is unendorsed for a proposal with no channel, endorsed by this peer (Fabric's
 * default {@code escc}: a signature over the response payload and the endorser's identity) for a
 * channel-scoped one. A chaincode other than {@code cscc} and {@code qscc} is not defined in fabsim
 * and gets the error a Fabric peer gives for a chaincode that is not defined on the channel.
 */
final class Endorser {

    private static final Logger log = LoggerFactory.getLogger(Endorser.class);
    static final String SYSCC_VERSION = "syscc";

    private final Channels channels;
    private final OrgMsp localMsp;
    private final Signer signer;
    private final SystemChaincodes chaincodes;

    /** A proposal refused before the chaincode runs; Fabric returns it as the gRPC error (code Unknown). */
    static final class ProposalException extends Exception {
        ProposalException(String message) {
            super(message);
        }
    }

    /** What the validation of a proposal yields. */
    record Unpacked(SignedProposal signed, ChannelHeader channelHeader, SignatureHeader signatureHeader, String chaincode,
            ChaincodeInput input, byte[] proposalHash) {

        String channelId() {
            return channelHeader.getChannelId();
        }
    }

    Endorser(Channels channels, OrgMsp localMsp, Signer signer) {
        this.channels = channels;
        this.localMsp = localMsp;
        this.signer = signer;
        this.chaincodes = new SystemChaincodes(channels, MspVerifier.of(localMsp));
    }

    ProposalResponse process(SignedProposal signed) throws ProposalException {
        Unpacked proposal = unpack(signed);
        Optional<PeerChannel> channel = Optional.empty();
        MspVerifier deserializer = MspVerifier.of(localMsp);
        if (!proposal.channelId().isEmpty()) {
            channel = channels.get(proposal.channelId());
            if (channel.isEmpty()) {
                return error("channel '" + proposal.channelId() + "' not found");
            }
            deserializer = channelMsps(channel.get());
        }
        validate(proposal, deserializer);
        if (channel.isPresent()) {
            try {
                if (channel.get().store().txIdExists(proposal.channelHeader().getTxId())) {
                    throw new ProposalException("duplicate transaction found [" + proposal.channelHeader().getTxId()
                            + "]. Creator [" + java.util.HexFormat.of().formatHex(proposal.signatureHeader().getCreator()
                            .toByteArray()) + "]");
                }
            } catch (LedgerException e) {
                return error(e.getMessage());
            }
        }
        if (!SystemChaincodes.isSystem(proposal.chaincode())) {
            // Fabric's lifecycle finds no definition: with no channel it cannot even read a channel config.
            String cause = proposal.channelId().isEmpty() ? "could not get channel config for channel ''"
                    : "chaincode " + proposal.chaincode() + " not found";
            return error("make sure the chaincode " + proposal.chaincode() + " has been successfully defined on channel "
                    + proposal.channelId() + " and try again: " + cause);
        }
        Response response = chaincodes.invoke(proposal);
        ByteString payload = ProposalResponsePayload.newBuilder().setProposalHash(ByteString.copyFrom(proposal.proposalHash()))
                .setExtension(ChaincodeAction.newBuilder().setResponse(response)
                        .setChaincodeId(ChaincodeID.newBuilder().setName(proposal.chaincode()).setVersion(SYSCC_VERSION))
                        .build().toByteString())
                .build().toByteString();
        if (response.getStatus() >= 500) {
            return ProposalResponse.newBuilder().setResponse(response).setPayload(payload).build();
        }
        if (proposal.channelId().isEmpty() || response.getStatus() >= 400) {
            return ProposalResponse.newBuilder().setResponse(response).build();
        }
        ByteString endorser = ByteString.copyFrom(signer.serializedIdentity());
        Endorsement endorsement = Endorsement.newBuilder().setEndorser(endorser)
                .setSignature(ByteString.copyFrom(signer.sign(payload.concat(endorser).toByteArray()))).build();
        return ProposalResponse.newBuilder().setVersion(1).setEndorsement(endorsement).setPayload(payload)
                .setResponse(response).build();
    }

    private static ProposalResponse error(String message) {
        return ProposalResponse.newBuilder().setResponse(Response.newBuilder().setStatus(500).setMessage(message)).build();
    }

    private static MspVerifier channelMsps(PeerChannel channel) throws ProposalException {
        try {
            return LedgerChannel.latestConfig(channel.store()).mspVerifier();
        } catch (ChannelInitException e) {
            throw new ProposalException("channel " + channel.channelId() + ": " + e.getMessage());
        }
    }

    /** Fabric's {@code UnpackProposal}: the layers of the proposal, the chaincode and its input, the proposal hash. */
    static Unpacked unpack(SignedProposal signed) throws ProposalException {
        try {
            Proposal proposal = Proposal.parseFrom(signed.getProposalBytes());
            Header header = Header.parseFrom(proposal.getHeader());
            ChannelHeader channelHeader = ChannelHeader.parseFrom(header.getChannelHeader());
            SignatureHeader signatureHeader = SignatureHeader.parseFrom(header.getSignatureHeader());
            ChaincodeHeaderExtension extension = ChaincodeHeaderExtension.parseFrom(channelHeader.getExtension());
            if (!extension.hasChaincodeId()) {
                throw new ProposalException("ChaincodeHeaderExtension.ChaincodeId is nil");
            }
            if (extension.getChaincodeId().getName().isEmpty()) {
                throw new ProposalException("ChaincodeHeaderExtension.ChaincodeId.Name is empty");
            }
            ChaincodeProposalPayload payload = ChaincodeProposalPayload.parseFrom(proposal.getPayload());
            ChaincodeInvocationSpec spec = ChaincodeInvocationSpec.parseFrom(payload.getInput());
            if (!spec.hasChaincodeSpec()) {
                throw new ProposalException("chaincode invocation spec did not contain chaincode spec");
            }
            if (!spec.getChaincodeSpec().hasInput()) {
                throw new ProposalException("chaincode input did not contain any input");
            }
            ByteString withoutTransient = ChaincodeProposalPayload.newBuilder().setInput(payload.getInput()).build()
                    .toByteString();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(header.getChannelHeader().toByteArray());
            sha.update(header.getSignatureHeader().toByteArray());
            sha.update(withoutTransient.toByteArray());
            return new Unpacked(signed, channelHeader, signatureHeader, extension.getChaincodeId().getName(),
                    spec.getChaincodeSpec().getInput(), sha.digest());
        } catch (InvalidProtocolBufferException e) {
            throw new ProposalException("error unmarshalling proposal: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Fabric's {@code UnpackedProposal.Validate}, wrapped as {@code preProcess} wraps it. */
    private static void validate(Unpacked p, MspVerifier deserializer) throws ProposalException {
        String prefix = "error validating proposal: ";
        HeaderType type = HeaderType.forNumber(p.channelHeader().getType());
        if (type != HeaderType.ENDORSER_TRANSACTION && type != HeaderType.CONFIG) {
            throw new ProposalException(prefix + "invalid header type " + (type == null ? p.channelHeader().getType() : type));
        }
        if (p.channelHeader().getEpoch() != 0) {
            throw new ProposalException(prefix + "epoch is non-zero");
        }
        if (p.signatureHeader().getNonce().isEmpty()) {
            throw new ProposalException(prefix + "nonce is empty");
        }
        if (p.signatureHeader().getCreator().isEmpty()) {
            throw new ProposalException(prefix + "creator is empty");
        }
        String expected = Envelopes.computeTxId(p.signatureHeader().getNonce().toByteArray(),
                p.signatureHeader().getCreator().toByteArray());
        if (!expected.equals(p.channelHeader().getTxId())) {
            throw new ProposalException(prefix + "incorrectly computed txid '" + p.channelHeader().getTxId()
                    + "' -- expected '" + expected + "'");
        }
        if (p.signed().getProposalBytes().isEmpty()) {
            throw new ProposalException(prefix + "empty proposal bytes");
        }
        if (p.signed().getSignature().isEmpty()) {
            throw new ProposalException(prefix + "empty signature bytes");
        }
        // Fabric deserializes the creator first (an MSP it does not know: "malformed"), then validates and verifies.
        String mspId = null;
        try {
            mspId = org.hyperledger.fabric.protos.msp.SerializedIdentity.parseFrom(p.signatureHeader().getCreator()).getMspid();
        } catch (InvalidProtocolBufferException e) {
            mspId = null;
        }
        if (mspId == null || deserializer.org(mspId).isEmpty()) {
            throw new ProposalException(prefix + "access denied: channel [" + p.channelId()
                    + "] creator org unknown, creator is malformed");
        }
        try {
            ValidatedIdentity creator = deserializer.verifyIdentity(p.signatureHeader().getCreator().toByteArray(),
                    p.signed().getProposalBytes().toByteArray(), p.signed().getSignature().toByteArray());
            log.debug("proposal {} by {}", p.channelHeader().getTxId(), creator);
        } catch (SignatureVerificationException | RuntimeException e) {
            log.warn("access denied: channel [{}] creator org [{}]: {}", p.channelId(), mspId, e.getMessage());
            throw new ProposalException(prefix + "access denied: channel [" + p.channelId() + "] creator org [" + mspId + "]");
        }
    }
}
