package io.fabsim.common.protoutil;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.time.Clock;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Header;
import org.hyperledger.fabric.protos.common.HeaderType;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.common.SignatureHeader;
import org.hyperledger.fabric.protos.ledger.rwset.NsReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.TxReadWriteSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVRWSet;
import org.hyperledger.fabric.protos.ledger.rwset.kvrwset.KVWrite;
import org.hyperledger.fabric.protos.peer.ChaincodeAction;
import org.hyperledger.fabric.protos.peer.ChaincodeActionPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeEndorsedAction;
import org.hyperledger.fabric.protos.peer.ChaincodeHeaderExtension;
import org.hyperledger.fabric.protos.peer.ChaincodeID;
import org.hyperledger.fabric.protos.peer.ChaincodeInput;
import org.hyperledger.fabric.protos.peer.ChaincodeInvocationSpec;
import org.hyperledger.fabric.protos.peer.ChaincodeProposalPayload;
import org.hyperledger.fabric.protos.peer.ChaincodeSpec;
import org.hyperledger.fabric.protos.peer.Endorsement;
import org.hyperledger.fabric.protos.peer.ProposalResponsePayload;
import org.hyperledger.fabric.protos.peer.Response;
import org.hyperledger.fabric.protos.peer.Transaction;
import org.hyperledger.fabric.protos.peer.TransactionAction;

/**
 * Fabric endorser transactions as a client assembles them ({@code protoutil.CreateSignedTx}): a
 * proposal invoking {@code chaincode}, one endorsement by each of {@code endorsers} over a response
 * writing one key of {@code value}, wrapped in an envelope signed by the client. The built-in load
 * sends them; knobs make the malformed variants a committer must flag (tests).
 */
public record EndorserTransactions(String channelId, Signer client, List<Signer> endorsers, Clock clock) {

    /** What to get wrong, if anything. */
    public enum Defect { NONE, WRONG_TX_ID, PROPOSAL_HASH_MISMATCH, TWO_ACTIONS }

    public EndorserTransactions {
        endorsers = List.copyOf(endorsers);
        if (endorsers.isEmpty()) {
            throw new IllegalArgumentException("an endorser transaction needs at least one endorser");
        }
    }

    /** One endorser, the system clock: as most tests need. */
    public EndorserTransactions(String channelId, Signer client, Signer endorser) {
        this(channelId, client, List.of(endorser), Clock.system());
    }

    /** A well-formed transaction writing {@code k = v}. */
    public Envelope invoke(String chaincode, byte[] nonce, Defect defect) {
        return invoke(chaincode, nonce, ByteString.copyFromUtf8("v"), defect);
    }

    /** A transaction writing {@code value} under key {@code k}, made wrong as {@code defect} says. */
    public Envelope invoke(String chaincode, byte[] nonce, ByteString value, Defect defect) {
        byte[] creator = client.serializedIdentity();
        String txId = defect == Defect.WRONG_TX_ID ? Envelopes.computeTxId(nonce, nonce) : Envelopes.computeTxId(nonce, creator);
        ChaincodeID id = ChaincodeID.newBuilder().setName(chaincode).build();
        ByteString channelHeader = ChannelHeader.newBuilder().setType(HeaderType.ENDORSER_TRANSACTION_VALUE)
                .setChannelId(channelId).setTxId(txId)
                .setTimestamp(Timestamp.newBuilder().setSeconds(clock.now().getEpochSecond()))
                .setExtension(ChaincodeHeaderExtension.newBuilder().setChaincodeId(id).build().toByteString())
                .build().toByteString();
        ByteString signatureHeader = SignatureHeader.newBuilder().setCreator(ByteString.copyFrom(creator))
                .setNonce(ByteString.copyFrom(nonce)).build().toByteString();
        ByteString proposalPayload = ChaincodeProposalPayload.newBuilder().setInput(ChaincodeInvocationSpec.newBuilder()
                .setChaincodeSpec(ChaincodeSpec.newBuilder().setChaincodeId(id).setType(ChaincodeSpec.Type.GOLANG)
                        .setInput(ChaincodeInput.newBuilder().addArgs(ByteString.copyFromUtf8("put"))))
                .build().toByteString()).build().toByteString();
        ByteString results = TxReadWriteSet.newBuilder().setDataModel(TxReadWriteSet.DataModel.KV)
                .addNsRwset(NsReadWriteSet.newBuilder().setNamespace(chaincode).setRwset(KVRWSet.newBuilder()
                        .addWrites(KVWrite.newBuilder().setKey("k").setValue(value)).build()
                        .toByteString()))
                .build().toByteString();
        byte[] proposalHash = sha256(channelHeader, signatureHeader, proposalPayload);
        if (defect == Defect.PROPOSAL_HASH_MISMATCH) {
            proposalHash[0] ^= 1;
        }
        ByteString responsePayload = ProposalResponsePayload.newBuilder().setProposalHash(ByteString.copyFrom(proposalHash))
                .setExtension(ChaincodeAction.newBuilder().setResults(results)
                        .setResponse(Response.newBuilder().setStatus(200))
                        .setChaincodeId(id.toBuilder().setVersion("1.0")).build().toByteString())
                .build().toByteString();
        ChaincodeEndorsedAction.Builder endorsed = ChaincodeEndorsedAction.newBuilder().setProposalResponsePayload(responsePayload);
        for (Signer endorser : endorsers) {
            ByteString endorserId = ByteString.copyFrom(endorser.serializedIdentity());
            endorsed.addEndorsements(Endorsement.newBuilder().setEndorser(endorserId).setSignature(ByteString.copyFrom(
                    endorser.sign(responsePayload.concat(endorserId).toByteArray()))));
        }
        TransactionAction action = TransactionAction.newBuilder().setHeader(signatureHeader)
                .setPayload(ChaincodeActionPayload.newBuilder().setChaincodeProposalPayload(proposalPayload)
                        .setAction(endorsed)
                        .build().toByteString())
                .build();
        Transaction.Builder tx = Transaction.newBuilder().addActions(action);
        if (defect == Defect.TWO_ACTIONS) {
            tx.addActions(action);
        }
        ByteString payload = Payload.newBuilder()
                .setHeader(Header.newBuilder().setChannelHeader(channelHeader).setSignatureHeader(signatureHeader))
                .setData(tx.build().toByteString()).build().toByteString();
        return Envelope.newBuilder().setPayload(payload)
                .setSignature(ByteString.copyFrom(client.sign(payload.toByteArray()))).build();
    }

    private static byte[] sha256(ByteString... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (ByteString part : parts) {
                sha.update(part.toByteArray());
            }
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
