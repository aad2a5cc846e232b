package io.fabsim.peer;

import io.fabsim.common.crypto.Pem;
import io.fabsim.common.crypto.Signer;
import io.fabsim.common.protoutil.SeekInfos;
import io.fabsim.common.testing.FabricVectors;
import io.fabsim.common.testing.VectorIdentities;
import io.fabsim.common.time.Clock;
import io.fabsim.common.tls.TlsMaterial;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.hyperledger.fabric.protos.common.Block;
import org.hyperledger.fabric.protos.common.Status;
import org.hyperledger.fabric.protos.orderer.SeekInfo;
import org.hyperledger.fabric.protos.peer.DeliverGrpc;
import org.hyperledger.fabric.protos.peer.DeliverResponse;

/**
 * A client of a peer's Deliver service over TLS, as a user of the vectors' crypto material: it
 * presents the user's TLS client certificate ({@code users/<user>/tls/client.crt}) and signs its
 * seek requests with the user's MSP identity. Only for tests.
 */
final class TlsDeliverClient implements AutoCloseable {

    /** A user of the vectors: {@code org2.example.com}, {@code User1@org2.example.com}, {@code Org2MSP}. */
    record User(Path dir, String mspId) {

        static User peerOrg(String domain, String name, String mspId) {
            return new User(FabricVectors.dir().resolve("crypto-config/peerOrganizations/" + domain + "/users/" + name),
                    mspId);
        }

        static User ordererOrgAdmin() {
            return new User(FabricVectors.dir().resolve("crypto-config/ordererOrganizations/example.com/users/Admin@example.com"),
                    "OrdererMSP");
        }
    }

    /** What one Deliver stream answered, and how it ended. */
    static final class Stream implements StreamObserver<DeliverResponse> {
        final List<Block> blocks = new CopyOnWriteArrayList<>();
        final List<Status> statuses = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> error = new AtomicReference<>();

        @Override
        public void onNext(DeliverResponse value) {
            if (value.hasBlock()) {
                blocks.add(value.getBlock());
            } else if (value.hasStatus()) {
                statuses.add(value.getStatus());
            }
        }

        @Override
        public void onError(Throwable t) {
            error.set(t);
        }

        @Override
        public void onCompleted() {
        }
    }

    private final ManagedChannel channel;
    private final Signer signer;
    private final byte[] tlsCertHash;

    /** Connects to {@code 127.0.0.1:port}, trusting {@code serverCa} for the server named {@code authority}. */
    TlsDeliverClient(int port, Path serverCa, String authority, User user) throws Exception {
        SslContextBuilder ssl = GrpcSslContexts.forClient().trustManager(serverCa.toFile())
                .keyManager(user.dir().resolve("tls/client.crt").toFile(), user.dir().resolve("tls/client.key").toFile());
        channel = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(ssl.build())
                .overrideAuthority(authority).build();
        signer = VectorIdentities.signer(user.mspId(), user.dir().resolve("msp"));
        tlsCertHash = TlsMaterial.certHash(Pem.readCertificate(user.dir().resolve("tls/client.crt")));
    }

    /** Asks for blocks (bound to the client's TLS certificate, as mutual TLS requires) {@code from} to {@code to} of {@code channelId}, waiting for them to be committed. */
    Stream deliver(String channelId, long from, long to) {
        Stream stream = new Stream();
        StreamObserver<org.hyperledger.fabric.protos.common.Envelope> requests = DeliverGrpc.newStub(channel).deliver(stream);
        requests.onNext(SeekInfos.seekEnvelope(channelId, SeekInfos.seekInfo(SeekInfos.specified(from),
                SeekInfos.specified(to), SeekInfo.SeekBehavior.BLOCK_UNTIL_READY), signer, Clock.system(), tlsCertHash));
        return stream;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
