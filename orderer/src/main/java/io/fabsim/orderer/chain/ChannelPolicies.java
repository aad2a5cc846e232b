package io.fabsim.orderer.chain;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.verify.PolicyEvaluationException;
import io.fabsim.common.verify.PolicyEvaluator;
import io.fabsim.deliverserver.AccessDeniedException;
import java.util.List;

/**
 * The policies an orderer evaluates on one channel config: {@code /Channel/Readers} (Deliver),
 * {@code /Channel/Writers} (Broadcast) and {@code /Channel/Orderer/Admins} (config updates).
 */
final class ChannelPolicies {

    static final String READERS = "/Channel/Readers";
    static final String WRITERS = "/Channel/Writers";
    static final String ORDERER_ADMINS = "/Channel/Orderer/Admins";

    private final ChannelConfig config;
    private final PolicyEvaluator evaluator;

    ChannelPolicies(ChannelConfig config) {
        this.config = config;
        this.evaluator = PolicyEvaluator.forConfig(config);
    }

    ChannelConfig config() {
        return config;
    }

    void check(String path, List<SignedData> signedData) throws PolicyEvaluationException {
        evaluator.evaluate(path, signedData);
    }

    /** A Deliver request's check: its signer must satisfy {@code /Channel/Readers}. */
    void checkReaders(SignedData request) throws AccessDeniedException {
        try {
            check(READERS, List.of(request));
        } catch (PolicyEvaluationException e) {
            throw new AccessDeniedException("channel " + config.channelId() + ": " + READERS + ": " + e.getMessage(), e);
        }
    }
}
