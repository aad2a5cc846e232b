package io.fabsim.common.grpc;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The keepalive policy every fabsim gRPC server enforces, as Fabric's {@code comm.ServerConfig}
 * defaults: clients may ping every {@code ServerMinInterval} (60 s), also while no stream is open.
 * grpc-java's own default (5 minutes) would make a server close the connection of a Fabric-style
 * client that pings every 60 s on an idle channel, costing it a needless reconnect.
 */
public final class ServerKeepalive {

    /** Fabric's {@code peer.keepalive.minInterval} / {@code General.Keepalive.ServerMinInterval}. */
    public static final Duration MIN_INTERVAL = Duration.ofSeconds(60);

    private ServerKeepalive() {
    }

    public static NettyServerBuilder apply(NettyServerBuilder builder) {
        return builder.permitKeepAliveTime(MIN_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true);
    }
}
