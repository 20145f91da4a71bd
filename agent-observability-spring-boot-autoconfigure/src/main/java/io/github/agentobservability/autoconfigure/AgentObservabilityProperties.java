package io.github.agentobservability.autoconfigure;

import java.nio.file.Path;

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

	/**
	 * Span exporters of the starter, each behind its own batch span processor. OTLP is
	 * Spring Boot's, under 'management.opentelemetry.tracing.export.otlp'.
	 */
	public static class Exporters {

		private final Console console = new Console();

		private final Jsonl jsonl = new Jsonl();

		public Console getConsole() {
			return this.console;
		}

		public Jsonl getJsonl() {
			return this.jsonl;
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

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
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
