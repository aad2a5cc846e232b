package io.fabsim.common.msp;

/**
 * The role of a validated identity within its organization, as Fabric's MSP principal roles. With
 * NodeOUs enabled it comes from the certificate's OU (client, peer, admin, orderer); with NodeOUs
 * disabled a valid identity is an {@link #ADMIN} when its certificate is one of the org's admin
 * certificates ({@code admincerts/}), else a {@link #MEMBER}.
 */
public enum Role {
    MEMBER,
    CLIENT,
    PEER,
    ADMIN,
    ORDERER;

    /** Whether an identity with this role satisfies a principal asking for {@code wanted}. */
    public boolean satisfies(Role wanted) {
        return wanted == MEMBER || wanted == this;
    }
}
