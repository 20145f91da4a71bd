package io.github.agentobservability.ai;

import java.util.List;

import io.github.agentobservability.ai.internal.PatternContentRedactor;

/**
 * Redacts secrets and personal data from recorded content (prompts, completions, tool
 * arguments and results, agent input) before it is truncated and put on a span.
 * <p>
 * Content capture is off by default; when it is on, everything recorded goes through the
 * application's single bean of this type. The starter's bean is {@link #builtIn(List)}
 * with the {@code agent.observability.content.redaction.patterns}. Define a bean of this
 * type for redaction of your own (a DLP service, a named-entity recognizer); delegate to
 * {@link #builtIn(List)} to keep the built-in patterns as well. It runs on every
 * recorded text, on the application's threads, so it must be thread-safe and fast.
 */
@FunctionalInterface
public interface ContentRedactor {

	/**
	 * Returns the given text with its secrets replaced.
	 * @param text the text to redact
	 * @return the redacted text, the given instance if nothing was redacted
	 */
	String redact(String text);

	/**
	 * Returns the built-in redactor: markers naming what was redacted replace API keys
	 * and tokens ({@code [REDACTED:api-key]}), bearer tokens
	 * ({@code [REDACTED:bearer-token]}), e-mail addresses ({@code [REDACTED:email]}) and
	 * Luhn-valid card numbers ({@code [REDACTED:card-number]}); then each match of the
	 * given patterns becomes {@code [REDACTED]}. Best effort: it catches well-formed
	 * secrets of known shapes, not every secret.
	 * @param patterns additional regular expressions whose matches are redacted
	 * @return the redactor
	 * @throws IllegalArgumentException if a pattern is not a valid regular expression or
	 * matches the empty string, naming the pattern and its index
	 */
	static ContentRedactor builtIn(List<String> patterns) {
		return new PatternContentRedactor(patterns);
	}

}
