package io.fabsim.deliverserver.testing;

import io.fabsim.common.protoutil.SignedData;
import io.fabsim.deliverserver.AccessDeniedException;
import io.fabsim.deliverserver.DeliverChain;
import io.fabsim.deliverserver.ErrorSignal;
import io.fabsim.ledger.BlockStore;
import java.io.ByteArrayInputStream;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.hyperledger.fabric.protos.msp.SerializedIdentity;

/**
 * A chain whose readers are the members of some MSP ids (signature checked against the creator's own certificate),
 * or, made by {@link #readableByAll}, every client.
 */
public final class FakeChain implements DeliverChain {

    private final BlockStore store;
    private final Set<String> readerMspIds;
    private final boolean everyoneReads;
    private final ErrorSignal errorSignal = new ErrorSignal();
    private final AtomicLong sequence = new AtomicLong();

    public FakeChain(BlockStore store, Set<String> readerMspIds) {
        this(store, readerMspIds, false);
    }

    private FakeChain(BlockStore store, Set<String> readerMspIds, boolean everyoneReads) {
        this.store = store;
        this.readerMspIds = Set.copyOf(readerMspIds);
        this.everyoneReads = everyoneReads;
    }

    /** A chain every client may read, whatever its identity. */
    public static FakeChain readableByAll(BlockStore store) {
        return new FakeChain(store, Set.of(), true);
    }

    @Override
    public BlockStore blocks() {
        return store;
    }

    @Override
    public ErrorSignal errorSignal() {
        return errorSignal;
    }

    @Override
    public long configSequence() {
        return sequence.get();
    }

    @Override
    public void checkReaders(SignedData request) throws AccessDeniedException {
        if (everyoneReads) {
            return;
        }
        try {
            SerializedIdentity identity = SerializedIdentity.parseFrom(request.identity());
            if (!readerMspIds.contains(identity.getMspid())) {
                throw new AccessDeniedException("creator of MSP " + identity.getMspid() + " is not a reader");
            }
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(identity.getIdBytes().toByteArray()));
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(request.data().toByteArray());
            if (!verifier.verify(request.signature().toByteArray())) {
                throw new AccessDeniedException("signature of " + identity.getMspid() + " creator does not verify");
            }
        } catch (AccessDeniedException e) {
            throw e;
        } catch (Exception e) {
            throw new AccessDeniedException("cannot check the creator: " + e.getMessage(), e);
        }
    }
}
