package io.github.agentobservability.sample;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample application.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	private final Chaos chaos = new Chaos();

	private final Retrieval retrieval = new Retrieval();

	private final Conversations conversations = new Conversations();

	/**
	 * Base URL of a Jaeger UI that receives the traces, for example
	 * http://localhost:16686; the page then links each answer to its trace there.
	 */
	private @Nullable String jaegerUrl;

	/**
	 * Request paths (Spring path patterns) that make no trace and no http.server.requests
	 * metric: health checks, Prometheus scrapes, the favicon and the page's own requests.
	 * Empty to trace every request.
	 */
	private List<String> untracedPaths = new ArrayList<>(
			List.of("/actuator/**", "/favicon.ico", "/", "/index.html", "/api/ui", "/api/traces/**"));

	public Chaos getChaos() {
		return this.chaos;
	}

	public Retrieval getRetrieval() {
		return this.retrieval;
	}

	public Conversations getConversations() {
		return this.conversations;
	}

	public @Nullable String getJaegerUrl() {
		return this.jaegerUrl;
	}

	public void setJaegerUrl(@Nullable String jaegerUrl) {
		this.jaegerUrl = jaegerUrl;
	}

	public List<String> getUntracedPaths() {
		return this.untracedPaths;
	}

	public void setUntracedPaths(List<String> untracedPaths) {
		this.untracedPaths = untracedPaths;
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

	/**
	 * Retrieval of passages from the bundled corpus.
	 */
	public static class Retrieval {

		/**
		 * Lowest BM25 score of a retrieved passage. A question that no passage reaches
		 * retrieves nothing and is answered with "I could not find anything about that in
		 * the corpus.", without a model call.
		 */
		private double minScore = 1.5;

		/**
		 * Lowest score of a retrieved passage as a fraction of the best passage's score,
		 * so that passages matching only a common word of the question stay out of the
		 * answer.
		 */
		private double minRelativeScore = 0.5;

		public double getMinScore() {
			return this.minScore;
		}

		public void setMinScore(double minScore) {
			this.minScore = minScore;
		}

		public double getMinRelativeScore() {
			return this.minRelativeScore;
		}

		public void setMinRelativeScore(double minRelativeScore) {
			this.minRelativeScore = minRelativeScore;
		}

	}

	/**
	 * The chat memory of questions asked with a conversation id, kept in memory until the
	 * application stops.
	 */
	public static class Conversations {

		/**
		 * Number of a conversation's latest messages the model sees with a new question:
		 * two per earlier exchange, the question and the answer.
		 */
		private int maxMessages = 10;

		public int getMaxMessages() {
			return this.maxMessages;
		}

		public void setMaxMessages(int maxMessages) {
			this.maxMessages = maxMessages;
		}

	}

}
