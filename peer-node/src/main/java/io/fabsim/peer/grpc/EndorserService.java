package io.fabsim.peer.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.hyperledger.fabric.protos.peer.EndorserGrpc;
import org.hyperledger.fabric.protos.peer.ProposalResponse;
import org.hyperledger.fabric.protos.peer.SignedProposal;

/**
 * gRPC glue for {@code protos.Endorser/ProcessProposal}. A proposal refused before its chaincode
 * runs is answered, as by Fabric's Go server, with the error's text under status {@code UNKNOWN};
 * every other outcome is a {@link ProposalResponse}.
 */
public final class EndorserService extends EndorserGrpc.EndorserImplBase {

    /** The endorser's logic, kept apart from stream I/O. */
    @FunctionalInterface
    public interface Processor {

        /** @throws RefusedException with the text Fabric's peer returns as the gRPC error */
        ProposalResponse process(SignedProposal proposal) throws RefusedException;
    }

    /** A proposal refused before its chaincode runs. */
    public static final class RefusedException extends Exception {
        public RefusedException(String message) {
            super(message);
        }
    }

    private final Processor processor;

    public EndorserService(Processor processor) {
        this.processor = processor;
    }

    @Override
    public void processProposal(SignedProposal request, StreamObserver<ProposalResponse> response) {
        try {
            response.onNext(processor.process(request));
            response.onCompleted();
        } catch (RefusedException e) {
            response.onError(Status.UNKNOWN.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
