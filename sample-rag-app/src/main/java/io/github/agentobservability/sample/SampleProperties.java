package io.github.agentobservability.sample;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample application.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	private final Chaos chaos = new Chaos();

	public Chaos getChaos() {
		return this.chaos;
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
