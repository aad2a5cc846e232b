package io.fabsim.common.verify;

import com.google.protobuf.ByteString;
import org.hyperledger.fabric.protos.common.MSPRole.MSPRoleType;

/**
 * A signer whose identity passed MSP validation and whose signature verified: its MSP id, its
 * role in that MSP ({@code CLIENT}, {@code PEER}, {@code ADMIN}, {@code ORDERER}, or {@code MEMBER}
 * when the MSP has no NodeOUs) and its serialized identity.
 */
public record ValidSigner(String mspId, MSPRoleType role, ByteString serializedIdentity) {

    /** Fabric's {@code SatisfiesPrincipal} for a ROLE principal {@code mspId.role}. */
    public boolean satisfiesRole(String principalMspId, MSPRoleType principalRole) {
        return mspId.equals(principalMspId) && (principalRole == MSPRoleType.MEMBER || principalRole == role);
    }
}
