package io.github.agentobservability.sample;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample application.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	private final Chaos chaos = new Chaos();

	/**
	 * Base URL of a Jaeger UI that receives the traces, for example
	 * http://localhost:16686; the page then links each answer to its trace there.
	 */
	private @Nullable String jaegerUrl;

	public Chaos getChaos() {
		return this.chaos;
	}

	public @Nullable String getJaegerUrl() {
		return this.jaegerUrl;
	}

	public void setJaegerUrl(@Nullable String jaegerUrl) {
		this.jaegerUrl = jaegerUrl;
	}

	/**
	 * Failure injection, to see failed runs in traces, metrics and dashboards.
	 */
	public static class Chaos {

		/**
		 * Whether questions may inject failures: a question containing '[fail:model]'
		 * makes the model call fail, one containing '[fail:tool]' makes the tool call
		 * fail. Keep it off in production.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
