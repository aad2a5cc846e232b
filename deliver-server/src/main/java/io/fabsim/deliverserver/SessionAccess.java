package io.fabsim.deliverserver;

import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Fabric's {@code SessionAccessControl}: the creator's certificate must not have expired (checked
 * before every block), and the reader policy is evaluated on first use and again whenever the
 * chain's config sequence grows.
 */
final class SessionAccess {

    private final DeliverChain chain;
    private final SignedData signedData;
    private final Clock clock;
    private final Optional<Instant> expiresAt;
    private long lastConfigSequence;
    private boolean usedAtLeastOnce;

    SessionAccess(DeliverChain chain, SignedData signedData, Clock clock) {
        this.chain = chain;
        this.signedData = signedData;
        this.clock = clock;
        this.expiresAt = CertificateExpiry.expiresAt(signedData.identity().toByteArray());
    }

    void evaluate() throws AccessDeniedException {
        Instant now = clock.now();
        if (expiresAt.isPresent() && now.isAfter(expiresAt.get())) {
            throw new AccessDeniedException("client identity expired at " + expiresAt.get() + ", now " + now);
        }
        boolean checkNeeded = !usedAtLeastOnce;
        long sequence = chain.configSequence();
        if (sequence > lastConfigSequence) {
            lastConfigSequence = sequence;
            checkNeeded = true;
        }
        if (checkNeeded) {
            usedAtLeastOnce = true;
            chain.checkReaders(signedData);
        }
    }
}
