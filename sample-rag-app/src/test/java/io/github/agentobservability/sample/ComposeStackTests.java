package io.github.agentobservability.sample;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Docker Compose stack ({@code compose.yaml}, {@code observability/}) checked without
 * Docker: services, pinned images, published ports, mounts that exist, references between
 * the files (host names, data source uids, config paths), the Grafana dashboard's queries
 * against the agent meters' real names, and Prometheus' config and alert rules through
 * {@code promtool}. CI installs Prometheus, so there the promtool checks cannot be skipped.
 */
class ComposeStackTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Path OBSERVABILITY = ROOT.resolve("observability");

	private static final Path DASHBOARD = OBSERVABILITY.resolve("grafana/dashboards/agent-observability.json");

	private static final Path PROMETHEUS_CONFIG = OBSERVABILITY.resolve("prometheus/prometheus.yml");

	private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

	private static final String APP = "sample-rag-app";

	private static final String COLLECTOR = "otel-collector";

	private static final String JAEGER = "jaeger";

	private static final String PROMETHEUS = "prometheus";

	private static final String GRAFANA = "grafana";

	/** The families of the README's metrics table, with the suffixes Prometheus adds. */
	private static final Set<String> AGENT_METRICS = Set.of("agent_requests_total", "agent_requests_errors_total",
			"agent_request_duration_seconds_bucket", "agent_request_duration_seconds_sum",
			"agent_request_duration_seconds_count", "agent_request_duration_seconds_max", "agent_requests_active",
			"agent_tokens_total", "agent_tokens_cost_usd_total", "agent_tools_calls_total", "agent_tools_errors_total",
			"agent_model_duration_seconds_bucket", "agent_model_duration_seconds_sum",
			"agent_model_duration_seconds_count", "agent_model_duration_seconds_max",
			"agent_model_time_to_first_chunk_seconds_bucket", "agent_model_time_to_first_chunk_seconds_sum",
			"agent_model_time_to_first_chunk_seconds_count", "agent_model_time_to_first_chunk_seconds_max");

	private static final Set<String> PROMQL_KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right", "bool", "offset", "and", "or", "unless", "atan2", "inf", "nan");

	private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.:])([a-zA-Z_:][a-zA-Z0-9_:]*+)(?!\\s*\\()");

	private static final Pattern FULL_VERSION = Pattern.compile("v?\\d+\\.\\d+\\.\\d+.*");

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void everyServiceOfTheStackIsThere() throws IOException {
		assertThat(services()).containsKeys(APP, COLLECTOR, JAEGER, PROMETHEUS, GRAFANA);
	}

	@Test
	void everyImageIsPinnedToAnExactVersion() throws IOException {
		services().forEach((name, service) -> {
			String image = (String) service.get("image");
			assertThat(image).as("image of %s", name).isNotBlank();
			String lastSegment = image.substring(image.lastIndexOf('/') + 1);
			assertThat(lastSegment).as("image of %s has a tag", name).contains(":");
			String tag = lastSegment.substring(lastSegment.indexOf(':') + 1);
			assertThat(tag).as("tag of %s", name).isNotEqualTo("latest").matches(FULL_VERSION);
		});
	}

	@Test
	void theUserInterfacesAndReceiversArePublished() throws IOException {
		assertThat(publishedPorts(APP)).containsEntry(8080, 8080);
		assertThat(publishedPorts(JAEGER)).containsEntry(16686, 16686);
		assertThat(publishedPorts(PROMETHEUS)).containsEntry(9090, 9090);
		assertThat(publishedPorts(GRAFANA)).containsEntry(3000, 3000);
		assertThat(publishedPorts(COLLECTOR)).containsEntry(4317, 4317).containsEntry(4318, 4318);
	}

	@Test
	void everyMountedHostPathExistsAndTheJarIsTheModulesBuildOutput() throws Exception {
		String jar = "sample-rag-app/target/" + artifactFileName();
		List<String> mounted = new ArrayList<>();
		for (String name : services().keySet()) {
			for (Mount mount : mounts(name)) {
				Path relative = ROOT.relativize(mount.host());
				mounted.add(relative.toString());
				if (relative.startsWith("sample-rag-app/target")) {
					assertThat(relative.toString()).as("%s mounts the module's jar", name).isEqualTo(jar);
				}
				else {
					assertThat(mount.host()).as("%s mounts %s", name, mount.host()).exists();
				}
			}
		}
		assertThat(mounted).contains(jar);
		List<String> command = stringList(services().get(APP).get("command"));
		assertThat(command).as("the app runs the mounted jar").contains(containerPathOf(APP, ROOT.resolve(jar)));
	}

	@Test
	void everyContainerReadsItsConfigurationFromTheRepository() throws IOException {
		assertThat(hostPath(PROMETHEUS, flag(PROMETHEUS, "--config.file"))).isEqualTo(PROMETHEUS_CONFIG);
		assertThat(hostPath(COLLECTOR, flag(COLLECTOR, "--config")))
			.isEqualTo(OBSERVABILITY.resolve("otel-collector.yaml"));
		Map<String, Object> provider = first(list(yaml(
				OBSERVABILITY.resolve("grafana/provisioning/dashboards/dashboards.yaml")).get("providers")));
		String dashboardsFolder = (String) map(provider.get("options")).get("path");
		assertThat(hostPath(GRAFANA, dashboardsFolder)).isEqualTo(DASHBOARD.getParent());
		assertThat(hostPath(GRAFANA, "/etc/grafana/provisioning/datasources/datasources.yaml"))
			.isRegularFile()
			.isEqualTo(OBSERVABILITY.resolve("grafana/provisioning/datasources/datasources.yaml"));
		Object home = environment(GRAFANA).get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
		if (home != null) {
			assertThat(hostPath(GRAFANA, (String) home)).isEqualTo(DASHBOARD);
		}
	}

	@Test
	void hostNamesInTheConfigurationAreComposeServices() throws IOException {
		Set<String> services = services().keySet();
		URI otlp = URI.create((String) environment(APP).get("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT"));
		assertThat(otlp.getHost()).isEqualTo(COLLECTOR);
		assertThat(publishedPorts(COLLECTOR)).containsValue(otlp.getPort());
		assertThat(environment(APP)).containsEntry("SAMPLE_JAEGER_URL", "http://localhost:16686");

		Map<String, Object> collector = yaml(OBSERVABILITY.resolve("otel-collector.yaml"));
		map(collector.get("exporters")).forEach((name, exporter) -> {
			String endpoint = (String) map(exporter).get("endpoint");
			assertThat(endpoint).as("collector exporter %s", name).startsWith(JAEGER + ":");
		});

		for (Object scrapeConfig : list(yaml(PROMETHEUS_CONFIG).get("scrape_configs"))) {
			for (Object staticConfig : list(map(scrapeConfig).get("static_configs"))) {
				for (String target : stringList(map(staticConfig).get("targets"))) {
					assertThat(target).isEqualTo(APP + ":8080");
				}
			}
		}

		for (Map<String, Object> datasource : datasources()) {
			assertThat(URI.create((String) datasource.get("url")).getHost()).as("data source %s", datasource.get("name"))
				.isIn(services);
		}
	}

	@Test
	void theDashboardQueriesOnlyTheAgentMetersThroughTheProvisionedDataSource() throws IOException {
		JsonNode dashboard = json.readTree(DASHBOARD.toFile());
		assertThat(dashboard.path("uid").asString()).isEqualTo("agent-observability");
		assertThat(dashboard.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
		Set<String> datasourceUids = new LinkedHashSet<>();
		datasources().forEach((datasource) -> datasourceUids.add((String) datasource.get("uid")));
		assertThat(datasourceUids).contains("prometheus", "jaeger");

		List<JsonNode> panels = panels(dashboard);
		assertThat(panels).hasSizeGreaterThanOrEqualTo(10);
		Set<Integer> ids = new TreeSet<>();
		Set<String> metrics = new TreeSet<>();
		for (JsonNode panel : panels) {
			String title = panel.path("title").asString();
			assertThat(ids.add(panel.path("id").asInt())).as("panel id of %s is unique", title).isTrue();
			assertThat(panel.path("datasource").path("uid").asString()).as(title).isIn(datasourceUids);
			List<String> exprs = new ArrayList<>();
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString("");
				assertThat(expr).as("%s: expr of target %s", title, target.path("refId").asString()).isNotBlank();
				assertThat(expr).as("%s: evaluable verbatim (no template variables)", title).doesNotContain("$");
				exprs.add(expr);
				for (String metric : metricNames(expr)) {
					metrics.add(metric);
					assertThat(AGENT_METRICS.contains(metric) || metric.startsWith("gen_ai_client_"))
						.as("%s: %s queries unknown metric %s", title, expr, metric)
						.isTrue();
				}
			}
			assertThat(exprs).as("%s has a query", title).isNotEmpty();
		}
		assertThat(metrics).contains("agent_requests_total", "agent_requests_errors_total",
				"agent_request_duration_seconds_bucket", "agent_tokens_total", "agent_requests_active",
				"agent_tokens_cost_usd_total", "agent_tools_calls_total", "agent_tools_errors_total",
				"agent_model_duration_seconds_bucket", "agent_model_time_to_first_chunk_seconds_bucket",
				"gen_ai_client_operation_duration_seconds_bucket");
	}

	@Test
	void metricNamesAreReadFromExpressionsAndNotFromLabelsOrFunctions() {
		assertThat(metricNames(
				"histogram_quantile(0.95, sum by (le, agent) (rate(agent_request_duration_seconds_bucket{agent=\"rag\"}[5m])))"))
			.containsExactly("agent_request_duration_seconds_bucket");
		assertThat(metricNames("sum(rate(a_total[1m] offset 5m)) / on(agent) group_left(model) b + 1e3"))
			.containsExactly("a_total", "b");
	}

	@Test
	void alertThresholdAnnotationsMatchTheirExpressions() throws IOException {
		Map<String, Object> rules = yaml(OBSERVABILITY.resolve("prometheus/alerts.yml"));
		Set<String> alerts = new TreeSet<>();
		for (Object group : list(rules.get("groups"))) {
			for (Object item : list(map(group).get("rules"))) {
				Map<String, Object> rule = map(item);
				if (rule.get("alert") == null) {
					continue;
				}
				alerts.add((String) rule.get("alert"));
				String threshold = (String) map(rule.get("annotations")).get("threshold");
				assertThat(threshold).as("threshold annotation of %s", rule.get("alert")).isNotBlank();
				assertThat(((String) rule.get("expr")).strip()).as("expr of %s", rule.get("alert"))
					.endsWith("> " + threshold);
			}
		}
		assertThat(alerts).contains("AgentErrorRateHigh", "AgentLatencyP95High", "AgentCostPerHourHigh",
				"AgentTenantCostPerHourHigh");
	}

	@Test
	void prometheusRuleFilesExistAndPromtoolAcceptsConfigRulesAndDashboardQueries() throws Exception {
		List<String> ruleFiles = stringList(yaml(PROMETHEUS_CONFIG).get("rule_files"));
		assertThat(ruleFiles).isNotEmpty();
		for (String ruleFile : ruleFiles) {
			assertThat(PROMETHEUS_CONFIG.resolveSibling(ruleFile)).as("rule file %s", ruleFile).isRegularFile();
		}
		if (!Files.isExecutable(PROMTOOL)) {
			assertThat(System.getenv("CI")).as("promtool must be installed in CI (.ci/run installs prometheus)")
				.isNotEqualTo("true");
			return;
		}
		promtool("check", "config", PROMETHEUS_CONFIG.toString());
		for (String ruleFile : ruleFiles) {
			promtool("check", "rules", PROMETHEUS_CONFIG.resolveSibling(ruleFile).toString());
		}
		Path ruleTests = OBSERVABILITY.resolve("prometheus/alerts-test.yml");
		if (Files.exists(ruleTests)) {
			promtool("test", "rules", ruleTests.toString());
		}
		// promtool parses PromQL in recording rules: one rule per dashboard query.
		List<Map<String, Object>> recordings = new ArrayList<>();
		for (JsonNode panel : panels(json.readTree(DASHBOARD.toFile()))) {
			for (JsonNode target : panel.path("targets")) {
				recordings.add(Map.of("record", "dashboard:panel_" + panel.path("id").asInt() + "_"
						+ target.path("refId").asString().toLowerCase(), "expr", target.path("expr").asString()));
			}
		}
		Path dashboardRules = Path.of("target", "compose-stack", "dashboard-queries.yml");
		Files.createDirectories(dashboardRules.getParent());
		Files.writeString(dashboardRules, new Yaml()
			.dump(Map.of("groups", List.of(Map.of("name", "dashboard-queries", "rules", recordings)))));
		promtool("check", "rules", dashboardRules.toString());
	}

	private static void promtool(String... args) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(PROMTOOL.toString());
		command.addAll(List.of(args));
		File output = Path.of("target", "compose-stack", "promtool-" + args[0] + "-" + args[1] + "-" + Path.of(args[2]).getFileName() + ".txt")
			.toFile();
		output.getParentFile().mkdirs();
		Process promtool = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output).start();
		assertThat(promtool.waitFor(60, TimeUnit.SECONDS)).as("promtool %s finishes", String.join(" ", args)).isTrue();
		assertThat(promtool.exitValue()).as("promtool %s:%n%s", String.join(" ", args), Files.readString(output.toPath()))
			.isZero();
	}

	/**
	 * Metric names in a PromQL expression: identifiers outside label matchers, ranges,
	 * strings and grouping clauses that are neither function calls nor keywords.
	 */
	static Set<String> metricNames(String expr) {
		String stripped = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
			.replaceAll("\\{[^}]*}", " ")
			.replaceAll("\\[[^]]*]", " ")
			.replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
			.replaceAll("(?i)\\boffset\\s+-?\\w+", " ");
		Set<String> names = new LinkedHashSet<>();
		Matcher matcher = IDENTIFIER.matcher(stripped);
		while (matcher.find()) {
			String name = matcher.group(1);
			if (!PROMQL_KEYWORDS.contains(name.toLowerCase())) {
				names.add(name);
			}
		}
		return names;
	}

	private static List<JsonNode> panels(JsonNode dashboard) {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			if ("row".equals(panel.path("type").asString())) {
				panel.path("panels").forEach(panels::add);
			}
			else {
				panels.add(panel);
			}
		}
		return panels;
	}

	private record Mount(Path host, String container) {
	}

	private static List<Mount> mounts(String service) throws IOException {
		List<Mount> mounts = new ArrayList<>();
		Object volumes = services().get(service).get("volumes");
		for (Object volume : (volumes != null) ? list(volumes) : List.of()) {
			String source;
			String target;
			if (volume instanceof Map<?, ?> longSyntax) {
				source = (String) longSyntax.get("source");
				target = (String) longSyntax.get("target");
			}
			else {
				String[] parts = ((String) volume).split(":");
				source = parts[0];
				target = parts[1];
			}
			if (source.startsWith(".") || source.startsWith("/")) {
				mounts.add(new Mount(ROOT.resolve(source).normalize(), target));
			}
		}
		return mounts;
	}

	/** The repository path a container sees at {@code containerPath}. */
	private static Path hostPath(String service, String containerPath) throws IOException {
		for (Mount mount : mounts(service)) {
			String target = mount.container().replaceAll("/+$", "");
			if (containerPath.equals(target)) {
				return mount.host();
			}
			if (containerPath.startsWith(target + "/")) {
				return mount.host().resolve(containerPath.substring(target.length() + 1)).normalize();
			}
		}
		return fail("%s mounts nothing at %s", service, containerPath);
	}

	private static String containerPathOf(String service, Path host) throws IOException {
		for (Mount mount : mounts(service)) {
			if (mount.host().equals(host.normalize())) {
				return mount.container();
			}
		}
		return fail("%s does not mount %s", service, host);
	}

	private static String flag(String service, String name) throws IOException {
		for (String argument : stringList(services().get(service).get("command"))) {
			if (argument.startsWith(name + "=")) {
				return argument.substring(name.length() + 1);
			}
		}
		return fail("%s has no %s", service, name);
	}

	/** Published ports of a service: host port to container port. */
	private static Map<Integer, Integer> publishedPorts(String service) throws IOException {
		Map<Integer, Integer> ports = new LinkedHashMap<>();
		for (Object port : list(services().get(service).get("ports"))) {
			if (port instanceof Map<?, ?> longSyntax) {
				ports.put(Integer.valueOf(String.valueOf(longSyntax.get("published"))),
						Integer.valueOf(String.valueOf(longSyntax.get("target"))));
				continue;
			}
			// YAML 1.1 reads an unquoted 16686:16686 as a base-60 number.
			assertThat(port).as("%s: ports are quoted strings", service).isInstanceOf(String.class);
			String[] parts = ((String) port).replaceAll("/(tcp|udp)$", "").split(":");
			assertThat(parts.length).as("%s publishes %s on a host port", service, port).isGreaterThanOrEqualTo(2);
			ports.put(Integer.valueOf(parts[parts.length - 2]), Integer.valueOf(parts[parts.length - 1]));
		}
		return ports;
	}

	private static Map<String, Object> environment(String service) throws IOException {
		return map(services().get(service).get("environment"));
	}

	private static List<Map<String, Object>> datasources() throws IOException {
		List<Map<String, Object>> datasources = new ArrayList<>();
		for (Object datasource : list(
				yaml(OBSERVABILITY.resolve("grafana/provisioning/datasources/datasources.yaml")).get("datasources"))) {
			datasources.add(map(datasource));
		}
		return datasources;
	}

	private static Map<String, Map<String, Object>> services() throws IOException {
		Map<String, Map<String, Object>> services = new LinkedHashMap<>();
		map(yaml(ROOT.resolve("compose.yaml")).get("services")).forEach((name, service) -> services.put(name, map(service)));
		return services;
	}

	private static String artifactFileName() throws Exception {
		Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
		Element project = pom.getDocumentElement();
		String version = child(project, "version");
		if (version == null) {
			version = child((Element) project.getElementsByTagName("parent").item(0), "version");
		}
		return child(project, "artifactId") + "-" + version + ".jar";
	}

	private static String child(Element element, String name) {
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(name)) {
				return child.getTextContent().strip();
			}
		}
		return null;
	}

	private static Map<String, Object> yaml(Path file) throws IOException {
		try (Reader reader = Files.newBufferedReader(file)) {
			return new Yaml().load(reader);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Object value) {
		assertThat(value).isInstanceOf(Map.class);
		return (Map<String, Object>) value;
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Object value) {
		assertThat(value).isInstanceOf(List.class);
		return (List<Object>) value;
	}

	private static List<String> stringList(Object value) {
		return list(value).stream().map(String::valueOf).toList();
	}

	private static Map<String, Object> first(List<Object> values) {
		assertThat(values).isNotEmpty();
		return map(values.get(0));
	}

}
