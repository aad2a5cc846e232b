package io.fabsim.deliver.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.protoutil.BlockHashing;
import io.fabsim.common.verify.InvalidBlockException;
import io.fabsim.deliver.BlockVerifier;
import io.fabsim.deliver.OrdererAddresses;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Metadata;
import org.hyperledger.fabric.protos.common.MetadataSignature;

/**
 * A test {@link BlockVerifier}: checks the number and that one orderer signature in metadata[0]
 * verifies with the orderer's public key (Fabric's rule: over value, signature header and header
 * bytes). Config blocks switch the endpoints to {@code addressesOf(configBlock)}.
 */
public final class SignatureBlockVerifier implements BlockVerifier {

    private final PublicKey ordererKey;
    private final Function<Block, OrdererAddresses> addressesOf;
    private volatile OrdererAddresses addresses;
    public final List<Long> verified = new CopyOnWriteArrayList<>();
    public final List<Long> configUpdates = new CopyOnWriteArrayList<>();

    public SignatureBlockVerifier(PublicKey ordererKey, OrdererAddresses initial, Function<Block, OrdererAddresses> addressesOf) {
        this.ordererKey = ordererKey;
        this.addresses = initial;
        this.addressesOf = addressesOf;
    }

    @Override
    public void verify(String channel, long blockNumber, Block block) throws InvalidBlockException {
        if (block.getHeader().getNumber() != blockNumber) {
            throw new InvalidBlockException(InvalidBlockException.Reason.WRONG_NUMBER,
                    "Claimed seqNum is [" + blockNumber + "] but actual seqNum inside block is [" + block.getHeader().getNumber() + "]");
        }
        Metadata metadata;
        try {
            metadata = Metadata.parseFrom(block.getMetadata().getMetadata(0));
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            throw new InvalidBlockException(InvalidBlockException.Reason.MALFORMED, "no signature metadata in block " + blockNumber);
        }
        ByteString header = ByteString.copyFrom(BlockHashing.headerBytes(block.getHeader()));
        for (MetadataSignature sig : metadata.getSignaturesList()) {
            if (verifies(metadata.getValue().concat(sig.getSignatureHeader()).concat(header), sig.getSignature())) {
                verified.add(blockNumber);
                return;
            }
        }
        throw new InvalidBlockException(InvalidBlockException.Reason.BAD_SIGNATURE, "block " + blockNumber
                + ": implicit policy evaluation failed - 0 sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be satisfied");
    }

    @Override
    public void updateConfig(Block configBlock) {
        configUpdates.add(configBlock.getHeader().getNumber());
        addresses = addressesOf.apply(configBlock);
    }

    @Override
    public OrdererAddresses ordererAddresses() {
        return addresses;
    }

    private boolean verifies(ByteString message, ByteString signature) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(ordererKey);
            s.update(message.asReadOnlyByteBuffer());
            return s.verify(signature.toByteArray());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
