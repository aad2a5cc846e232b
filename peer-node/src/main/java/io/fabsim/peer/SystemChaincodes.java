package io.fabsim.peer;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.fabsim.common.configtx.ChannelConfig;
import io.fabsim.common.configtx.ConfigTxException;
import io.fabsim.common.crypto.SignatureVerificationException;
import io.fabsim.common.msp.MspVerifier;
import io.fabsim.common.msp.Role;
import io.fabsim.common.msp.ValidatedIdentity;
import io.fabsim.common.protoutil.Blocks;
import io.fabsim.common.protoutil.SignedData;
import io.fabsim.ledger.BlockStore;
import io.fabsim.ledger.ChainInfo;
import io.fabsim.ledger.LedgerException;
import io.fabsim.deliverserver.AccessDeniedException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.BlockchainInfo;
import org.hyperledger.fabric.protos.common.ChannelHeader;
import org.hyperledger.fabric.protos.common.Envelope;
import org.hyperledger.fabric.protos.common.Payload;
import org.hyperledger.fabric.protos.peer.ChannelInfo;
import org.hyperledger.fabric.protos.peer.ChannelQueryResponse;
import org.hyperledger.fabric.protos.peer.ProcessedTransaction;
import org.hyperledger.fabric.protos.peer.Response;

/**
 * Fabric's {@code cscc} ({@code core/scc/cscc/configure.go}: {@code JoinChain}, {@code GetChannels},
 * {@code GetChannelConfig}) and {@code qscc} ({@code core/scc/qscc/query.go}: {@code GetChainInfo},
 * {@code GetBlockByNumber}, {@code GetBlockByHash}, {@code GetTransactionByID},
 * {@code GetBlockByTxID}), with Fabric's default ACLs ({@code core/aclmgmt}): {@code JoinChain} for
 * the local MSP's admins, {@code GetChannels} for its members, {@code GetChannelConfig} and qscc
 * for the channel's {@code /Channel/Application/Readers}. Responses use Fabric's status codes and
 * messages. {@code JoinChain} joins through {@link Channels#join}, as the admin API does.
 */
final class SystemChaincodes {

    static final List<String> NAMES = List.of("cscc", "qscc");

    private final Channels channels;
    private final MspVerifier localMsp;

    SystemChaincodes(Channels channels, MspVerifier localMsp) {
        this.channels = channels;
        this.localMsp = localMsp;
    }

    static boolean isSystem(String chaincode) {
        return NAMES.contains(chaincode);
    }

    Response invoke(Endorser.Unpacked proposal) {
        List<ByteString> args = proposal.input().getArgsList();
        return proposal.chaincode().equals("cscc") ? cscc(args, proposal) : qscc(args, proposal);
    }

    private Response cscc(List<ByteString> args, Endorser.Unpacked p) {
        if (args.isEmpty()) {
            return error("Incorrect number of arguments, 0");
        }
        String function = args.get(0).toStringUtf8();
        if (!function.equals("GetChannels") && args.size() < 2) {
            return error("Incorrect number of arguments, " + args.size());
        }
        switch (function) {
            case "JoinChain" -> {
                return joinChain(args.get(1), p);
            }
            case "GetChannelConfig" -> {
                String channelId = args.get(1).toStringUtf8();
                if (channelId.isEmpty()) {
                    return error("empty channel name provided");
                }
                Optional<PeerChannel> channel = channels.get(channelId);
                if (channel.isEmpty()) {
                    return error("Unknown chain ID, " + channelId);
                }
                String denied = readers(channel.get(), p);
                if (denied != null) {
                    return error("access denied for [" + function + "][" + channelId + "]: " + denied);
                }
                try {
                    return success(LedgerChannel.latestConfig(channel.get().store()).config().toByteString());
                } catch (ChannelInitException e) {
                    return error(e.getMessage());
                }
            }
            case "GetChannels" -> {
                String denied = local(p, Role.MEMBER, "Members");
                if (denied != null) {
                    return error("access denied for [" + function + "]: " + denied);
                }
                ChannelQueryResponse.Builder response = ChannelQueryResponse.newBuilder();
                channels.list().forEach(c -> response.addChannels(ChannelInfo.newBuilder().setChannelId(c.channelId())));
                return success(response.build().toByteString());
            }
            default -> {
                return error("Requested function " + function + " not found.");
            }
        }
    }

    private Response joinChain(ByteString blockBytes, Endorser.Unpacked p) {
        Block block;
        try {
            block = Block.parseFrom(blockBytes);
        } catch (InvalidProtocolBufferException e) {
            // Go's protobuf names no detail for bytes that are not wire format; neither does Fabric's message.
            return error("Failed to reconstruct the genesis block, error unmarshalling Block: proto: cannot parse invalid "
                    + "wire-format data");
        }
        String channelId;
        try {
            Envelope envelope = Envelope.parseFrom(block.getData().getData(0));
            channelId = ChannelHeader.parseFrom(Payload.parseFrom(envelope.getPayload()).getHeader().getChannelHeader())
                    .getChannelId();
        } catch (InvalidProtocolBufferException | IndexOutOfBoundsException e) {
            return error("\"JoinChain\" request failed to extract channel id from the block due to ["
                    + (e instanceof IndexOutOfBoundsException ? "block has no data" : e.getMessage()) + "]");
        }
        try {
            ChannelConfig.fromBlock(block);
        } catch (ConfigTxException e) {
            return error("\"JoinChain\" for channelID = " + channelId + " failed because of validation of configuration "
                    + "block, because of " + e.getMessage());
        }
        String denied = local(p, Role.ADMIN, "Admins");
        if (denied != null) {
            return error("access denied for [JoinChain][" + channelId + "]: [" + denied + "]");
        }
        try {
            channels.join(block);
            return success(ByteString.EMPTY);
        } catch (ChannelJoinException e) {
            return error(e.getMessage());
        }
    }

    private Response qscc(List<ByteString> args, Endorser.Unpacked p) {
        if (args.size() < 2) {
            return error("Incorrect number of arguments, " + args.size());
        }
        String function = args.get(0).toStringUtf8();
        String channelId = args.get(1).toStringUtf8();
        if (!function.equals("GetChainInfo") && args.size() < 3) {
            return error("missing 3rd argument for " + function);
        }
        Optional<PeerChannel> channel = channels.get(channelId);
        if (channel.isEmpty()) {
            return error("Invalid chain ID, " + channelId);
        }
        String denied = readers(channel.get(), p);
        if (denied != null) {
            return error("access denied for [" + function + "][" + channelId + "]: [" + denied + "]");
        }
        BlockStore store = channel.get().store();
        try {
            return switch (function) {
                case "GetChainInfo" -> chainInfo(store);
                case "GetBlockByNumber" -> blockByNumber(store, args.get(2).toStringUtf8());
                case "GetBlockByHash" -> blockByHash(store, args.get(2));
                case "GetTransactionByID" -> transactionById(store, args.get(2).toStringUtf8());
                case "GetBlockByTxID" -> blockByTxId(store, args.get(2).toStringUtf8());
                default -> error("Requested function " + function + " not found.");
            };
        } catch (LedgerException e) {
            return error(e.getMessage());
        }
    }

    private static Response chainInfo(BlockStore store) {
        ChainInfo info = store.info();
        return success(BlockchainInfo.newBuilder().setHeight(info.height())
                .setCurrentBlockHash(ByteString.copyFrom(info.currentBlockHash()))
                .setPreviousBlockHash(ByteString.copyFrom(info.previousBlockHash())).build().toByteString());
    }

    private static Response blockByNumber(BlockStore store, String number) throws LedgerException {
        if (number.isEmpty()) {
            return error("Block number must not be nil.");
        }
        long n;
        try {
            n = Long.parseUnsignedLong(number);
        } catch (NumberFormatException e) {
            return error("Failed to parse block number with error strconv.ParseUint: parsing \"" + number
                    + "\": invalid syntax");
        }
        if (Long.compareUnsigned(n, store.height()) >= 0) {
            return error("Failed to get block number " + Long.toUnsignedString(n) + ", error Entry not found in index");
        }
        return success(ByteString.copyFrom(store.blockBytes(n)));
    }

    /** Scans the chain from the top (fabsim's block store indexes numbers and tx ids, not hashes). */
    private static Response blockByHash(BlockStore store, ByteString hash) throws LedgerException {
        if (hash.isEmpty()) {
            return error("Block hash must not be nil.");
        }
        for (long n = store.height() - 1; n >= 0; n--) {
            Block block = store.block(n);
            if (Arrays.equals(io.fabsim.common.protoutil.BlockHashing.headerHash(block.getHeader()), hash.toByteArray())) {
                return success(block.toByteString());
            }
        }
        return error("Failed to get block hash " + hash.toStringUtf8() + ", error Entry not found in index");
    }

    private static Response transactionById(BlockStore store, String txId) throws LedgerException {
        if (txId.isEmpty()) {
            return error("Transaction ID must not be nil.");
        }
        Optional<Block> block = store.blockByTxId(txId);
        if (block.isPresent()) {
            byte[] filter = Blocks.transactionsFilter(block.get());
            List<ByteString> data = block.get().getData().getDataList();
            for (int i = 0; i < data.size(); i++) {
                try {
                    Envelope envelope = Envelope.parseFrom(data.get(i));
                    ChannelHeader header = ChannelHeader.parseFrom(Payload.parseFrom(envelope.getPayload()).getHeader()
                            .getChannelHeader());
                    if (header.getTxId().equals(txId)) {
                        return success(ProcessedTransaction.newBuilder().setTransactionEnvelope(envelope)
                                .setValidationCode(filter[i]).build().toByteString());
                    }
                } catch (InvalidProtocolBufferException e) {
                    // not this transaction
                }
            }
        }
        return error("Failed to get transaction with id " + txId + ", error no such transaction ID [" + txId
                + "] in index");
    }

    private static Response blockByTxId(BlockStore store, String txId) throws LedgerException {
        Optional<Block> block = store.blockByTxId(txId);
        if (block.isEmpty()) {
            return error("Failed to get block for txID " + txId + ", error no such transaction ID [" + txId + "] in index");
        }
        return success(block.get().toByteString());
    }

    /** Fabric's channel-less ACL check against the local MSP; null when satisfied, else Fabric's reason. */
    private String local(Endorser.Unpacked p, Role role, String policy) {
        ValidatedIdentity identity;
        try {
            identity = localMsp.verifyIdentity(p.signatureHeader().getCreator().toByteArray(),
                    p.signed().getProposalBytes().toByteArray(), p.signed().getSignature().toByteArray());
        } catch (SignatureVerificationException | RuntimeException e) {
            return "Failed deserializing proposal creator during channelless check policy with policy [" + policy
                    + "]: [" + e.getMessage() + "]";
        }
        if (!identity.role().satisfies(role)) {
            return "Failed verifying that proposal's creator satisfies local MSP principal during channelless check "
                    + "policy with policy [" + policy + "]: [The identity is not an admin under this MSP ["
                    + identity.mspId() + "]: The identity does not contain OU [ADMIN], MSP: [" + identity.mspId() + "]]";
        }
        return null;
    }

    /** The channel's Readers policy over the proposal's signature; null when satisfied. */
    private static String readers(PeerChannel channel, Endorser.Unpacked p) {
        try {
            channel.deliverChain().checkReaders(new SignedData(p.signatureHeader().getCreator(),
                    p.signed().getProposalBytes(), p.signed().getSignature()));
            return null;
        } catch (AccessDeniedException e) {
            return "Failed evaluating policy on signed data during check policy [" + LedgerChannel.READERS_POLICY
                    + "]: [" + e.getMessage() + "]";
        }
    }

    private static Response success(ByteString payload) {
        return Response.newBuilder().setStatus(200).setPayload(payload).build();
    }

    private static Response error(String message) {
        return Response.newBuilder().setStatus(500).setMessage(message).build();
    }
}
