package io.fabsim.tools.cryptogen;

import io.fabsim.common.config.ConfigException;
import io.fabsim.common.config.ConfigReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The input of {@code fabsim cryptogen generate}: Fabric's {@code crypto-config.yaml} in HOCON,
 * with the same keys ({@code OrdererOrgs} / {@code PeerOrgs}, each with {@code Name},
 * {@code Domain}, {@code EnableNodeOUs}, {@code CA}, {@code Specs}, {@code Template},
 * {@code Users.Count}). Templates ({@code {{.Hostname}}}, {@code {{.Domain}}},
 * {@code {{.CommonName}}}, {@code {{.Prefix}}}, {@code {{.Index}}}) are rendered here, as
 * cryptogen renders them, so the record holds final names.
 */
public record CryptogenConfig(List<OrgSpec> ordererOrgs, List<OrgSpec> peerOrgs) {

    /** One organization, rendered: its CA subject, its nodes and how many users besides Admin. */
    public record OrgSpec(String name, String domain, boolean enableNodeOUs, CaSpec ca, List<NodeSpec> nodes, int users) {
    }

    /** The subject of an org's CAs: {@code CN=<commonName>} and {@code CN=tls<commonName>}. */
    public record CaSpec(String commonName, String country, String province, String locality, Optional<String> organizationalUnit) {
    }

    /** A node: host name, certificate common name, and TLS SANs (CN and host name first, as Fabric). */
    public record NodeSpec(String hostname, String commonName, List<String> sans) {
    }

    private static final Set<String> ORG_KEYS = Set.of("Name", "Domain", "EnableNodeOUs", "CA", "Specs", "Template", "Users");
    private static final Set<String> CA_KEYS = Set.of("Hostname", "CommonName", "Country", "Province", "Locality", "OrganizationalUnit");
    private static final Set<String> SPEC_KEYS = Set.of("Hostname", "CommonName", "SANS");
    private static final Set<String> TEMPLATE_KEYS = Set.of("Count", "Start", "Hostname", "SANS");
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*\\.(\\w+)\\s*}}");
    private static final int MAX_NODES = 10_000;

    public CryptogenConfig {
        ordererOrgs = List.copyOf(ordererOrgs);
        peerOrgs = List.copyOf(peerOrgs);
    }

    /** Reads and validates {@code OrdererOrgs} and {@code PeerOrgs} from a loaded cryptogen file. */
    public static CryptogenConfig from(ConfigReader reader) {
        SpecReader root = new SpecReader(reader.config(), "");
        List<OrgSpec> orderers = new ArrayList<>();
        for (SpecReader org : root.objects("OrdererOrgs")) {
            orderers.add(org(org, "orderer"));
        }
        List<OrgSpec> peers = new ArrayList<>();
        for (SpecReader org : root.objects("PeerOrgs")) {
            peers.add(org(org, "peer"));
        }
        if (orderers.isEmpty() && peers.isEmpty()) {
            throw new ConfigException("OrdererOrgs", "expected at least one organization in OrdererOrgs or PeerOrgs, got none");
        }
        Set<String> domains = new HashSet<>();
        for (OrgSpec org : concat(orderers, peers)) {
            if (!domains.add(org.domain())) {
                throw new ConfigException("Domain", "domain \"" + org.domain() + "\" is used by two organizations");
            }
        }
        return new CryptogenConfig(orderers, peers);
    }

    public List<OrgSpec> allOrgs() {
        return concat(ordererOrgs, peerOrgs);
    }

    private static OrgSpec org(SpecReader org, String prefix) {
        org.allowOnly(prefix.equals("orderer") ? without(ORG_KEYS, "Users") : ORG_KEYS);
        String name = org.name("Name");
        String domain = org.name("Domain");
        CaSpec ca = ca(org.object("CA"), org.path("CA"), domain);
        List<NodeSpec> nodes = new ArrayList<>();
        Optional<SpecReader> template = org.object("Template");
        if (template.isPresent()) {
            SpecReader t = template.get();
            t.allowOnly(TEMPLATE_KEYS);
            int count = t.intInRange("Count", 0, 0, MAX_NODES);
            int start = t.intInRange("Start", 0, 0, 1_000_000);
            String hostnameTemplate = t.optionalString("Hostname").orElse("{{.Prefix}}{{.Index}}");
            for (int i = 0; i < count; i++) {
                String hostname = render(hostnameTemplate, Map.of("Prefix", prefix, "Index", String.valueOf(start + i),
                        "Domain", domain), t.path("Hostname"));
                nodes.add(node(SpecReader.checkName(t.path("Hostname"), hostname), Optional.empty(), t.strings("SANS"), domain, t));
            }
        }
        for (SpecReader spec : org.objects("Specs")) {
            spec.allowOnly(SPEC_KEYS);
            nodes.add(node(spec.name("Hostname"), spec.optionalString("CommonName"), spec.strings("SANS"), domain, spec));
        }
        Set<String> names = new HashSet<>();
        for (NodeSpec node : nodes) {
            if (!names.add(node.commonName())) {
                throw new ConfigException(org.path("Specs"), "two nodes of " + domain + " have the common name \"" + node.commonName() + "\"");
            }
        }
        int users = 0;
        Optional<SpecReader> usersSpec = org.object("Users");
        if (usersSpec.isPresent()) {
            usersSpec.get().allowOnly(Set.of("Count"));
            users = usersSpec.get().intInRange("Count", 0, 0, MAX_NODES);
        }
        return new OrgSpec(name, domain, org.bool("EnableNodeOUs", false), ca, List.copyOf(nodes), users);
    }

    private static CaSpec ca(Optional<SpecReader> spec, String path, String domain) {
        if (spec.isEmpty()) {
            return new CaSpec("ca." + domain, "US", "California", "San Francisco", Optional.empty());
        }
        SpecReader ca = spec.get();
        ca.allowOnly(CA_KEYS);
        String hostname = ca.optionalString("Hostname").orElse("ca");
        String cn = render(ca.optionalString("CommonName").orElse("{{.Hostname}}.{{.Domain}}"),
                Map.of("Hostname", hostname, "Domain", domain), path + ".CommonName");
        return new CaSpec(SpecReader.checkName(path + ".CommonName", cn), ca.optionalString("Country").orElse("US"),
                ca.optionalString("Province").orElse("California"), ca.optionalString("Locality").orElse("San Francisco"),
                ca.optionalString("OrganizationalUnit"));
    }

    private static NodeSpec node(String hostname, Optional<String> cnTemplate, List<String> extraSans, String domain, SpecReader at) {
        String cn = render(cnTemplate.orElse("{{.Hostname}}.{{.Domain}}"), Map.of("Hostname", hostname, "Domain", domain),
                at.path("CommonName"));
        SpecReader.checkName(at.path("CommonName"), cn);
        List<String> sans = new ArrayList<>(List.of(cn, hostname));
        Map<String, String> vars = Map.of("Hostname", hostname, "Domain", domain, "CommonName", cn);
        for (String san : extraSans) {
            sans.add(render(san, vars, at.path("SANS")));
        }
        return new NodeSpec(hostname, cn, List.copyOf(sans));
    }

    /** Renders cryptogen's Go-template variables; an unknown variable is a config error. */
    static String render(String template, Map<String, String> vars, String path) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) {
                throw new ConfigException(path, "unknown template variable {{." + m.group(1) + "}} in \"" + template
                        + "\" (available: " + vars.keySet().stream().sorted().toList() + ")");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (out.indexOf("{{") >= 0) {
            throw new ConfigException(path, "malformed template \"" + template + "\"");
        }
        return out.toString();
    }

    private static Set<String> without(Set<String> set, String key) {
        Set<String> copy = new HashSet<>(set);
        copy.remove(key);
        return copy;
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
