package io.github.agentobservability.autoconfigure;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.agentobservability.export.ConsoleSpanExporter;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the agent observability starter. What Spring Boot already configures
 * (OTLP endpoint, sampling, batching, resource attributes) stays under
 * {@code management.*}.
 */
@ConfigurationProperties("agent.observability")
public class AgentObservabilityProperties {

	/**
	 * Whether agent observability is enabled.
	 */
	private boolean enabled = true;

	/**
	 * Version of the service, exported as the resource attribute 'service.version'.
	 * Defaults to 'spring.application.version' or the build version when known.
	 */
	private @Nullable String serviceVersion;

	/**
	 * Deployment environment, exported as the resource attribute
	 * 'deployment.environment.name'.
	 */
	private @Nullable String environment;

	private final Exporters exporters = new Exporters();

	private final Spans spans = new Spans();

	private final Ai ai = new Ai();

	private final Pricing pricing = new Pricing();

	private final Content content = new Content();

	private final Metrics metrics = new Metrics();

	private final Attribution attribution = new Attribution();

	public Attribution getAttribution() {
		return this.attribution;
	}

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getServiceVersion() {
		return this.serviceVersion;
	}

	public void setServiceVersion(@Nullable String serviceVersion) {
		this.serviceVersion = serviceVersion;
	}

	public @Nullable String getEnvironment() {
		return this.environment;
	}

	public void setEnvironment(@Nullable String environment) {
		this.environment = environment;
	}

	public Exporters getExporters() {
		return this.exporters;
	}

	public Spans getSpans() {
		return this.spans;
	}

	public Ai getAi() {
		return this.ai;
	}

	/**
	 * Who the work is for, from baggage: the request context that W3C 'baggage' headers
	 * carry across services (with Boot's management.tracing.baggage.remote-fields) or
	 * that the application sets in code.
	 */
	public static class Attribution {

		/**
		 * Baggage fields every span gets as attributes of the same name, for example
		 * tenant.id and user.id.
		 */
		private List<String> baggage = new ArrayList<>();

		/**
		 * Baggage fields also added as tags to the agent meters and the GenAI token and
		 * duration meters, 'none' when absent, bounded by
		 * agent.observability.metrics.max-tag-values. Meant for a tenant, never for
		 * users: a field named like user.id, enduser.id or session.id fails startup.
		 */
		private List<String> meterTags = new ArrayList<>();

		public List<String> getBaggage() {
			return this.baggage;
		}

		public void setBaggage(List<String> baggage) {
			this.baggage = baggage;
		}

		public List<String> getMeterTags() {
			return this.meterTags;
		}

		public void setMeterTags(List<String> meterTags) {
			this.meterTags = meterTags;
		}

	}

	/**
	 * Limits applied to every span, whatever instrumentation made it.
	 */
	public static class Spans {

		/**
		 * Maximum length of a string attribute value; longer values are cut by the
		 * OpenTelemetry SDK before any exporter sees them, unless the application sets span
		 * limits of its own, which then replace the starter's (a warning says so when this
		 * property is set too).
		 */
		private int maxAttributeLength = 16384;

		public int getMaxAttributeLength() {
			return this.maxAttributeLength;
		}

		public void setMaxAttributeLength(int maxAttributeLength) {
			this.maxAttributeLength = maxAttributeLength;
		}

	}

	public Pricing getPricing() {
		return this.pricing;
	}

	public Content getContent() {
		return this.content;
	}

	public Metrics getMetrics() {
		return this.metrics;
	}

	/**
	 * Spring AI instrumentation.
	 */
	public static class Ai {

		/**
		 * Whether model spans also carry the tutorial's attribute names: llm.model,
		 * llm.provider and llm.tokens.input, output and total.
		 */
		private boolean legacyAttributes = true;

		/**
		 * Whether Spring AI's spans keep the deprecated gen_ai.system attribute, which
		 * gen_ai.provider.name replaces, for dashboards that still read it.
		 */
		private boolean deprecatedSystemAttribute;

		/**
		 * Whether Spring AI's ChatClient and advisor observations get spans of their own
		 * (chat_client, tool_calling, call, stream), to debug advisors. Off, the model,
		 * tool and retrieval spans under them are children of the application's span.
		 */
		private boolean frameworkSpans;

		public boolean isFrameworkSpans() {
			return this.frameworkSpans;
		}

		public void setFrameworkSpans(boolean frameworkSpans) {
			this.frameworkSpans = frameworkSpans;
		}

		public boolean isLegacyAttributes() {
			return this.legacyAttributes;
		}

		public void setLegacyAttributes(boolean legacyAttributes) {
			this.legacyAttributes = legacyAttributes;
		}

		public boolean isDeprecatedSystemAttribute() {
			return this.deprecatedSystemAttribute;
		}

		public void setDeprecatedSystemAttribute(boolean deprecatedSystemAttribute) {
			this.deprecatedSystemAttribute = deprecatedSystemAttribute;
		}

	}

	/**
	 * Model prices used to estimate the cost of each call.
	 */
	public static class Pricing {

		/**
		 * Prices per model name, in USD per million tokens; entries override the built-in
		 * table and date suffixes of response model names resolve to their base entry.
		 */
		private Map<String, ModelPriceProperties> models = new LinkedHashMap<>();

		public Map<String, ModelPriceProperties> getModels() {
			return this.models;
		}

		public void setModels(Map<String, ModelPriceProperties> models) {
			this.models = models;
		}

	}

	/**
	 * Price of one model, in USD per million tokens.
	 */
	public static class ModelPriceProperties {

		/**
		 * Price of a million input (prompt) tokens, in USD.
		 */
		private @Nullable BigDecimal inputPerMillion;

		/**
		 * Price of a million output (completion) tokens, in USD.
		 */
		private @Nullable BigDecimal outputPerMillion;

		/**
		 * Price of a million input tokens served from the provider's cache, in USD;
		 * defaults to the input price.
		 */
		private @Nullable BigDecimal cachedInputPerMillion;

		public @Nullable BigDecimal getInputPerMillion() {
			return this.inputPerMillion;
		}

		public void setInputPerMillion(@Nullable BigDecimal inputPerMillion) {
			this.inputPerMillion = inputPerMillion;
		}

		public @Nullable BigDecimal getOutputPerMillion() {
			return this.outputPerMillion;
		}

		public void setOutputPerMillion(@Nullable BigDecimal outputPerMillion) {
			this.outputPerMillion = outputPerMillion;
		}

		public @Nullable BigDecimal getCachedInputPerMillion() {
			return this.cachedInputPerMillion;
		}

		public void setCachedInputPerMillion(@Nullable BigDecimal cachedInputPerMillion) {
			this.cachedInputPerMillion = cachedInputPerMillion;
		}

	}

	/**
	 * Prompt and completion content on spans.
	 */
	public static class Content {

		/**
		 * Whether to record prompts, completions and tool arguments and results on spans,
		 * redacted and truncated.
		 */
		private boolean capture;

		/**
		 * Maximum number of characters of each recorded text.
		 */
		private int maxLength = 2048;

		private final Redaction redaction = new Redaction();

		public boolean isCapture() {
			return this.capture;
		}

		public void setCapture(boolean capture) {
			this.capture = capture;
		}

		public int getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(int maxLength) {
			this.maxLength = maxLength;
		}

		public Redaction getRedaction() {
			return this.redaction;
		}

	}

	/**
	 * Redaction of recorded content.
	 */
	public static class Redaction {

		/**
		 * Regular expressions whose matches are redacted, in addition to the built-in
		 * patterns for API keys, bearer tokens, e-mail addresses and payment-card numbers.
		 */
		private List<String> patterns = new ArrayList<>();

		public List<String> getPatterns() {
			return this.patterns;
		}

		public void setPatterns(List<String> patterns) {
			this.patterns = patterns;
		}

	}

	/**
	 * Agent metrics.
	 */
	public static class Metrics {

		/**
		 * Maximum number of distinct values per tag key; further values are reported as
		 * 'other'.
		 */
		private int maxTagValues = 100;

		private final Semconv semconv = new Semconv();

		public int getMaxTagValues() {
			return this.maxTagValues;
		}

		public void setMaxTagValues(int maxTagValues) {
			this.maxTagValues = maxTagValues;
		}

		public Semconv getSemconv() {
			return this.semconv;
		}

	}

	/**
	 * OpenTelemetry GenAI semantic-convention metrics.
	 */
	public static class Semconv {

		/**
		 * Whether to record the OpenTelemetry GenAI histograms (gen_ai.client.token.usage,
		 * gen_ai.client.operation.duration and the others) and drop Spring AI's counter
		 * gen_ai.client.token.usage, whose name the token histogram takes.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Span exporters of the starter, each behind its own batch span processor. OTLP is
	 * Spring Boot's, under 'management.opentelemetry.tracing.export.otlp'.
	 */
	public static class Exporters {

		/**
		 * Whether to turn off the OpenTelemetry OTLP exporters' own log of every failed
		 * batch, since the starter logs a failing exporter once and counts the lost spans.
		 */
		private boolean quietOtelExporterLog = true;

		private final Console console = new Console();

		private final Jsonl jsonl = new Jsonl();

		private final RecentTraces recentTraces = new RecentTraces();

		public boolean isQuietOtelExporterLog() {
			return this.quietOtelExporterLog;
		}

		public void setQuietOtelExporterLog(boolean quietOtelExporterLog) {
			this.quietOtelExporterLog = quietOtelExporterLog;
		}

		public Console getConsole() {
			return this.console;
		}

		public RecentTraces getRecentTraces() {
			return this.recentTraces;
		}

		public Jsonl getJsonl() {
			return this.jsonl;
		}

	}

	/**
	 * In-memory buffer of the last traces, served by the 'agenttraces' Actuator endpoint.
	 */
	public static class RecentTraces {

		/**
		 * Whether to keep the last traces in memory.
		 */
		private boolean enabled;

		/**
		 * Number of traces kept.
		 */
		private int maxTraces = 100;

		/**
		 * Number of spans kept per trace.
		 */
		private int maxSpansPerTrace = 500;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxTraces() {
			return this.maxTraces;
		}

		public void setMaxTraces(int maxTraces) {
			this.maxTraces = maxTraces;
		}

		public int getMaxSpansPerTrace() {
			return this.maxSpansPerTrace;
		}

		public void setMaxSpansPerTrace(int maxSpansPerTrace) {
			this.maxSpansPerTrace = maxSpansPerTrace;
		}

	}

	/**
	 * Console exporter, for development.
	 */
	public static class Console {

		/**
		 * Whether to log every finished trace.
		 */
		private boolean enabled;

		/**
		 * Output format: an indented tree per trace, or one JSON object per span.
		 */
		private ConsoleSpanExporter.Format format = ConsoleSpanExporter.Format.TREE;

		/**
		 * How long a tree waits, once its local root span has ended, for the spans still
		 * open in its trace before it is printed without them.
		 */
		private Duration lateSpanWait = Duration.ofSeconds(1);

		/**
		 * How often to print the agent meters to the log, for example 30s; not printed
		 * when unset.
		 */
		private @Nullable Duration metricsInterval;

		public @Nullable Duration getMetricsInterval() {
			return this.metricsInterval;
		}

		public void setMetricsInterval(@Nullable Duration metricsInterval) {
			this.metricsInterval = metricsInterval;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getLateSpanWait() {
			return this.lateSpanWait;
		}

		public void setLateSpanWait(Duration lateSpanWait) {
			this.lateSpanWait = lateSpanWait;
		}

		public ConsoleSpanExporter.Format getFormat() {
			return this.format;
		}

		public void setFormat(ConsoleSpanExporter.Format format) {
			this.format = format;
		}

	}

	/**
	 * JSON-lines file exporter, one span per line, for offline analysis.
	 */
	public static class Jsonl {

		/**
		 * Whether to write spans to a JSON-lines file.
		 */
		private boolean enabled;

		/**
		 * File to write; archives get the suffixes .1, .2 and so on.
		 */
		private Path path = Path.of("traces", "agent-traces.jsonl");

		/**
		 * Size at which the file is rotated.
		 */
		private DataSize maxFileSize = DataSize.ofMegabytes(50);

		/**
		 * Number of files kept, the current one included.
		 */
		private int maxFiles = 5;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Path getPath() {
			return this.path;
		}

		public void setPath(Path path) {
			this.path = path;
		}

		public DataSize getMaxFileSize() {
			return this.maxFileSize;
		}

		public void setMaxFileSize(DataSize maxFileSize) {
			this.maxFileSize = maxFileSize;
		}

		public int getMaxFiles() {
			return this.maxFiles;
		}

		public void setMaxFiles(int maxFiles) {
			this.maxFiles = maxFiles;
		}

	}

}
