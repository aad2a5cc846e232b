package io.fabsim.orderer.chain;

import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.OrgConfig;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.msp.OrgMsp;
import io.fabsim.common.msp.ValidatedIdentity;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.common.verify.SignerValidator;
import io.fabsim.common.verify.ValidSigner;
import java.util.ArrayList;
import java.util.List;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;

/** Validates signers against the MSPs of a channel config's organizations (application and orderer). */
final class MspSignerValidator implements SignerValidator {

    private final MspVerifier verifier;

    MspSignerValidator(ChannelConfig config) {
        List<OrgMsp> orgs = new ArrayList<>();
        for (OrgConfig org : config.allOrgs()) {
            orgs.add(OrgMsp.fromFabricMspConfig(org.msp()));
        }
        this.verifier = new MspVerifier(orgs);
    }

    @Override
    public ValidSigner validate(SignedData signedData) throws SignatureVerificationException {
        ValidatedIdentity identity = verifier.verifyIdentity(signedData.identity().toByteArray(),
                signedData.data().toByteArray(), signedData.signature().toByteArray());
        return new ValidSigner(identity.mspId(), roleType(identity), signedData.identity());
    }

    private static MSPRoleType roleType(ValidatedIdentity identity) {
        return switch (identity.role()) {
            case CLIENT -> MSPRoleType.CLIENT;
            case PEER -> MSPRoleType.PEER;
            case ADMIN -> MSPRoleType.ADMIN;
            case ORDERER -> MSPRoleType.ORDERER;
            case MEMBER -> MSPRoleType.MEMBER;
        };
    }
}
