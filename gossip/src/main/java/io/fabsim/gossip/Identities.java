package io.fabsim.gossip;

import com.google.protobuf.ByteString;
import io.fabsim.common.crypto.IdentityVerifier;
import io.fabsim.common.crypto.SignatureVerificationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Fabric's identity mapper ({@code gossip/identity}): the identities of the peers this peer heard
 * of, by PKI-ID, learned from connection handshakes and from alive messages that carry one, so
 * that later messages naming only a PKI-ID (StateInfo, alive messages without identity) can be
 * verified. Bounded: the least recently used entry goes first, so a flood of identities cannot
 * grow memory without bound.
 */
public final class Identities {

    /** Identities kept at most. */
    public static final int CAPACITY = 4096;

    private final IdentityVerifier verifier;
    private final Map<ByteString, byte[]> byPkiId = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteString, byte[]> eldest) {
            return size() > CAPACITY;
        }
    };

    public Identities(IdentityVerifier verifier) {
        this.verifier = verifier;
    }

    /** Records an identity; refuses one whose PKI-ID is not the one claimed. */
    public void put(ByteString pkiId, byte[] serializedIdentity) throws SignatureVerificationException {
        ByteString actual = SignedMessages.pkiIdOf(serializedIdentity);
        if (!actual.equals(pkiId)) {
            throw new SignatureVerificationException("PKI-ID " + Hex.short16(pkiId) + " is not that of its identity ("
                    + Hex.short16(actual) + ")");
        }
        synchronized (byPkiId) {
            byPkiId.put(pkiId, serializedIdentity.clone());
        }
    }

    public Optional<byte[]> get(ByteString pkiId) {
        synchronized (byPkiId) {
            return Optional.ofNullable(byPkiId.get(pkiId));
        }
    }

    /**
     * Verifies a signature by the peer with this PKI-ID.
     *
     * @return the MSP id of the signer
     * @throws SignatureVerificationException when its identity is unknown, invalid, or did not sign
     */
    public String verify(ByteString pkiId, byte[] message, byte[] signature) throws SignatureVerificationException {
        byte[] identity = get(pkiId).orElseThrow(() -> new SignatureVerificationException(
                "no identity known for PKI-ID " + Hex.short16(pkiId)));
        return verifier.verify(identity, message, signature);
    }

    /** Verifies a signature by an identity that is not (yet) recorded. */
    public String verifyBy(byte[] serializedIdentity, byte[] message, byte[] signature)
            throws SignatureVerificationException {
        return verifier.verify(serializedIdentity, message, signature);
    }
}
