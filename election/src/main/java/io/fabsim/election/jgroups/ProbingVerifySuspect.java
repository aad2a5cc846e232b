package io.fabsim.election.jgroups;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.annotations.ManagedAttribute;
import org.jgroups.annotations.Property;
import org.jgroups.conf.AttributeType;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.stack.IpAddress;

/**
 * JGroups' {@code VERIFY_SUSPECT2} without the wait where the suspect's death is certain. Every
 * suspicion is verified as {@code VERIFY_SUSPECT2} does (ARE_YOU_DEAD, then the suspect is passed up
 * after {@code timeout}, 1 to 2 times {@code timeout} in practice, unless it answers); in parallel the
 * suspect's transport port is dialled once. When the dial is refused, nothing listens on that port:
 * the process is gone (kill -9, crash, exit), since a live member, even a frozen one (SIGSTOP), keeps
 * its listening socket and the kernel accepts for it. Then the suspect is passed up at once. A dial
 * that connects or times out (host down, cable cut, frozen peer) proves nothing and the normal
 * verification decides.
 *
 * <p>Used in the stack as {@code <io.fabsim.election.jgroups.ProbingVerifySuspect timeout="100ms"/>}
 * in place of {@code VERIFY_SUSPECT2}.
 */
public class ProbingVerifySuspect extends VERIFY_SUSPECT2 {

    /** JGroups protocol id (custom ids start at 512). */
    static final short ID = 1620;

    static {
        ClassConfigurator.addProtocol(ID, ProbingVerifySuspect.class);
    }

    @Property(description = "How long the dial to a suspect's transport port may take; a refused dial passes the "
            + "suspect up at once, any other outcome leaves it to the verification", type = AttributeType.TIME)
    protected long probe_timeout = 100;

    @ManagedAttribute(description = "Suspects passed up at once because their port refused a connection",
            type = AttributeType.SCALAR)
    protected final LongAdder certain = new LongAdder();

    /** Suspects passed up at once because their port refused a connection (not after the timeout). */
    public long certainDeaths() {
        return certain.sum();
    }

    @Override
    protected void verifySuspect(Collection<Address> mbrs) {
        super.verifySuspect(mbrs);
        if (mbrs == null) {
            return;
        }
        for (Address mbr : mbrs) {
            if (down_prot.down(new Event(Event.GET_PHYSICAL_ADDRESS, mbr)) instanceof IpAddress physical) {
                timer.execute(() -> probe(mbr, physical));
            }
        }
    }

    private void probe(Address mbr, IpAddress physical) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(physical.getIpAddress(), physical.getPort()), (int) probe_timeout);
        } catch (ConnectException e) {
            if (refused(e) && removeSuspect(mbr)) {
                certain.increment();
                log.debug("%s: %s refused a connection on %s: its process is gone, sending up SUSPECT at once",
                        local_addr, mbr, physical);
                up_prot.up(new Event(Event.SUSPECT, List.of(mbr)));
            }
        } catch (IOException e) {
            log.trace("%s: probe of %s at %s: %s; left to the verification", local_addr, mbr, physical, e);
        }
    }

    private static boolean refused(ConnectException e) {
        String message = e.getMessage();
        return message != null && message.toLowerCase(Locale.ROOT).contains("refused");
    }
}
