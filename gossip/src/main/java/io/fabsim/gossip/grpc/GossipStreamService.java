package io.fabsim.gossip.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.SocketAddress;
import org.hyperledger.fabric.protos.gossip.Empty;
import org.hyperledger.fabric.protos.gossip.Envelope;
import org.hyperledger.fabric.protos.gossip.GossipGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of {@code gossip.Gossip}: an inbound stream must open with the remote's signed
 * ConnEstablish; only once it checks does this peer answer with its own and start exchanging
 * messages. A stream that does not complete the handshake within {@code dialTimeout} is closed.
 */
final class GossipStreamService extends GossipGrpc.GossipImplBase {

    private static final Logger log = LoggerFactory.getLogger(GossipStreamService.class);

    /** The status description telling a dialer it reached itself. */
    static final String SELF = "connection to self";

    private final GrpcGossipTransport transport;

    GossipStreamService(GrpcGossipTransport transport) {
        this.transport = transport;
    }

    @Override
    public void ping(Empty request, StreamObserver<Empty> responseObserver) {
        responseObserver.onNext(Empty.getDefaultInstance());
        responseObserver.onCompleted();
    }

    @Override
    public StreamObserver<Envelope> gossipStream(StreamObserver<Envelope> responseObserver) {
        ServerCallStreamObserver<Envelope> out = (ServerCallStreamObserver<Envelope>) responseObserver;
        SocketAddress address = TlsSessions.REMOTE.get();
        byte[] clientCert = TlsSessions.peerCertificate(TlsSessions.SESSION.get());
        String remote = address == null ? "unknown address" : address.toString();
        GrpcGossipTransport.Setup setup = transport.setup();
        Connection connection = new Connection(false, remote, out, setup.config().sendBuffSize(), setup.metrics());
        out.setOnReadyHandler(connection::drain);
        out.setOnCancelHandler(() -> transport.inPeer(() -> transport.unregister(connection)));
        if (transport.isClosed()) {
            connection.close(Status.UNAVAILABLE.withDescription("peer shutting down"));
            return new Ignoring();
        }
        transport.scheduler().schedule(setup.config().dialTimeout(), () -> {
            if (!connection.authenticated() && !connection.closed()) {
                log.warn("refused connection from {}: no handshake within {}", remote,
                        setup.config().dialTimeout());
                connection.close(Status.DEADLINE_EXCEEDED.withDescription("no ConnEstablish in time"));
            }
        });
        return new StreamObserver<>() {
            @Override
            public void onNext(Envelope envelope) {
                transport.inPeer(() -> received(envelope));
            }

            private void received(Envelope envelope) {
                if (connection.closed()) {
                    return;
                }
                if (connection.authenticated()) {
                    transport.dispatch(connection, envelope);
                    return;
                }
                try {
                    connection.authenticated(transport.handshake().verify(envelope, clientCert, remote));
                } catch (HandshakeException e) {
                    log.warn("refused connection from {}: {}", remote, e.getMessage());
                    connection.close(Status.PERMISSION_DENIED.withDescription("handshake refused"));
                    return;
                }
                if (connection.pkiId().equals(transport.localPkiId())) {
                    connection.close(Status.FAILED_PRECONDITION.withDescription(SELF));
                    return;
                }
                connection.enqueue(transport.handshake().connEstablish());
                transport.register(connection);
            }

            @Override
            public void onError(Throwable t) {
                transport.inPeer(() -> transport.unregister(connection));
            }

            @Override
            public void onCompleted() {
                transport.inPeer(() -> {
                    connection.close(Status.OK);
                    transport.unregister(connection);
                });
            }
        };
    }

    /** Discards the messages of a stream that was refused. */
    private static final class Ignoring implements StreamObserver<Envelope> {
        @Override
        public void onNext(Envelope value) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
        }
    }
}
