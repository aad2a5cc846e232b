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

/** A chain whose readers are the members of some MSP ids (signature checked against the creator's own certificate). */
public final class FakeChain implements DeliverChain {

    private final BlockStore store;
    private final Set<String> readerMspIds;
    private final ErrorSignal errorSignal = new ErrorSignal();
    private final AtomicLong sequence = new AtomicLong();

    public FakeChain(BlockStore store, Set<String> readerMspIds) {
        this.store = store;
        this.readerMspIds = readerMspIds;
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
